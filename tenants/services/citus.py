"""The platform on a Citus coordinator: county schemas distributed, public tables placed by what they need.

Citus is detected, not configured: when the `citus` extension is installed in the database (the embedded
cluster of `JIAZHAN_DB=citus`, or any coordinator a DATABASE_URL names), `prepare()` -- run by every fleet
migration, after the public schema and before the county schemas -- makes it so that:

- every schema created afterwards is a distributed schema (`citus.enable_schema_based_sharding`, set for
  the database): the template, each spare and so each county (a spare is renamed into a county, and the
  rename is propagated), placed whole on one worker, its tables single-shard tables colocated there;
  schemas made before Citus was there are distributed by `distribute_schemas()`;
- the public tables that county tables point at by foreign key (accounts, the counties themselves, and
  what those point at in turn: `reference_tables()`) are reference tables, copied to every node: a
  foreign key from a distributed schema may point only at a reference table, and a county's queries that
  join them stay on the county's node;
- every other public table stays on the coordinator: read and written by the platform host, beat and the
  upper tiers' pages only, never joined by a county's query on a worker (sessions, admin log, axes'
  attempts, OTP devices, rollups, escalations' inbox, the outbox marks ...), so copying each write to
  every node would only cost. They are "Citus local tables" (in Citus' metadata, their data only on the
  coordinator; `citus.use_citus_managed_tables` makes tables of later migrations so): a plain local table
  cannot be joined with, or point at, a reference table in one query.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.db import connection, models

from tenants.db import tenant_connection

log = logging.getLogger(__name__)

def active() -> bool:
    """Whether the database is a Citus coordinator (the backend asks once a connection)."""
    return tenant_connection().is_citus


def _labels(app_paths: list[str]) -> set[str]:
    return {config.label for config in apps.get_app_configs() if config.name in app_paths}


def reference_tables() -> list[str]:
    """Public tables that some county table reaches by foreign key, directly or through other public tables."""
    shared = _labels(settings.SHARED_APPS)
    county_only = _labels(settings.TENANT_APPS) - shared
    every = list(apps.get_models(include_auto_created=True))

    def targets(model: type[models.Model]) -> set[type[models.Model]]:
        return {
            field.related_model for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not None
            and field.related_model._meta.app_label in shared
        }

    wanted: set[type[models.Model]] = set()
    for model in every:
        if model._meta.app_label in county_only and model._meta.managed:
            wanted |= targets(model)
    pending = list(wanted)
    while pending:
        for target in targets(pending.pop()) - wanted:
            wanted.add(target)
            pending.append(target)
    return sorted(model._meta.db_table for model in wanted)


def _public_tables() -> dict[str, str | None]:
    """Every public table: "reference", "local" (a Citus local table on the coordinator) or None (unknown
    to Citus yet)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, CASE WHEN p.repmodel = 't' THEN 'reference' WHEN p.logicalrelid IS NOT NULL "
            "THEN 'local' END FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
        )
        return dict(cursor.fetchall())


def distributed_schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name::text FROM citus_schemas")
        return {row[0] for row in cursor.fetchall()}


def prepare() -> list[str]:
    """Schema-based sharding on for the database, county-referenced public tables made reference tables;
    returns the tables made reference tables now. Idempotent, a no-op off Citus."""
    if not active():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        database = connection.ops.quote_name(cursor.fetchone()[0])
        for setting in ("citus.enable_schema_based_sharding", "citus.use_citus_managed_tables"):
            cursor.execute(f"ALTER DATABASE {database} SET {setting} = on")
            cursor.execute(f"SET {setting} = on")
        # A county's query runs whole on its worker, in Citus' own session there, which does not take the
        # time zone Django sets on its session (UTC): dates cut from timestamps would fall on another day.
        zone = connection.timezone_name
        cursor.execute("SELECT run_command_on_workers(%s)", [f"ALTER DATABASE {database} SET timezone TO '{zone}'"])
        known = _public_tables()
        made = [t for t in reference_tables() if known.get(t) != "reference"]
        for table in made:
            cursor.execute("SELECT create_reference_table(%s)", [f"public.{connection.ops.quote_name(table)}"])
        # A table is added with those it shares foreign keys with (Citus' cascade), so each pass re-reads.
        while missing := sorted(t for t, kind in _public_tables().items() if kind is None):
            cursor.execute("SELECT citus_add_local_table_to_metadata(%s, cascade_via_foreign_keys => true)",
                           [f"public.{connection.ops.quote_name(missing[0])}"])
    if made:
        log.info("citus: reference tables %s", ", ".join(made))
    sync_sequences("public")
    return made


def sync_sequences(schema: str) -> None:
    """Set each `id` sequence of `schema` past the table's rows. Citus hands a table it converts (to a reference,
    Citus local or distributed table) a fresh sequence while the rows keep their ids: the next insert would
    reuse id 1. The max is read by a query of its own (it may run on a worker) and set on the coordinator,
    whose sequence numbers the rows inserted through it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_serial_sequence(format('%%I.%%I', n.nspname, c.relname), 'id') "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
            [schema],
        )
        for table, sequence in [row for row in cursor.fetchall() if row[1]]:
            quoted = f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(table)}"
            cursor.execute(f"SELECT max(id) FROM {quoted}")
            highest = cursor.fetchone()[0]
            if highest is None:
                continue
            cursor.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + sequence)
            if cursor.fetchone()[0] < highest:
                cursor.execute("SELECT setval(%s, %s)", [sequence, highest])


def distribute_schemas(schemas: list[str]) -> list[str]:
    """Distribute those of `schemas` that exist and are not yet (made before Citus, or by a session without
    schema-based sharding); returns them."""
    if not active() or not schemas:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s) "
            "AND nspname NOT IN (SELECT schema_name::text FROM citus_schemas)",
            [list(schemas)],
        )
        missing = sorted(row[0] for row in cursor.fetchall())
        for schema in missing:
            cursor.execute("SELECT citus_schema_distribute(%s)", [schema])
    for schema in missing:
        sync_sequences(schema)
    return missing


def placement(schema: str) -> tuple[str, int] | None:
    """(node name, port) of the worker holding a distributed schema, None when it is not distributed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nodename, n.nodeport FROM citus_schemas s "
            "JOIN pg_dist_partition p ON p.colocationid = s.colocation_id "
            "JOIN pg_dist_shard sh ON sh.logicalrelid = p.logicalrelid "
            "JOIN pg_dist_placement pl ON pl.shardid = sh.shardid "
            "JOIN pg_dist_node n ON n.groupid = pl.groupid "
            "WHERE s.schema_name::text = %s LIMIT 1",
            [schema],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def workers() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nodename, nodeport FROM pg_dist_node WHERE noderole = 'primary' AND groupid <> 0 "
            "AND isactive ORDER BY nodeport"
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


def parse_node(text: str) -> tuple[str, int]:
    """"HOST:PORT" (the host may be a socket folder, as the embedded cluster names its nodes)."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"节点应写作 主机:端口，而不是 {text!r}")
    return host, int(port)


def move_schema(schema: str, host: str, port: int, *, mode: str = "auto") -> None:
    """Move a distributed schema to the worker `host:port` with Citus' own schema move. With "auto" (logical
    replication for tables with a primary key, which every county table has) reads and writes go on during
    the copy and only the switch-over waits briefly. Must run outside a transaction (replication slots)."""
    if (host, port) not in workers():
        raise ValueError(f"{host}:{port} 不是本集群的工作节点")
    with connection.cursor() as cursor:
        # The copies a previous move left behind are dropped lazily; one still there would stop this move.
        cursor.execute("CALL citus_cleanup_orphaned_resources()")
        cursor.execute("SELECT citus_schema_move(%s::regnamespace, %s, %s, %s::citus.shard_transfer_mode)",
                       [schema, host, port, mode])
