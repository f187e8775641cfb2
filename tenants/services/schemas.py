"""Schema-level operations on county schemas: fingerprint, fast clone, existence.

A county is made by cloning the migrated template schema (tenants.services.fleet keeps it current).
django-tenants' own clone is a 4,600-line PL/pgSQL function that it re-creates on every call
(0.58 s a county); here the clone is one SQL script built from the catalogue: tables with LIKE
(columns, defaults, identities), then every constraint and index re-added under its original name
(so later migrations that drop a constraint by name find it), then the template's rows.
"""

from __future__ import annotations

import contextlib

from django.db import connection
from django_tenants.utils import get_public_schema_name

from tenants.db import tenant_connection

from . import citus

_SENTINEL = "__clone_target__"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def existing_schemas(names: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(names)])
        return {row[0] for row in cursor.fetchall()}


def schema_exists(name: str) -> bool:
    return bool(existing_schemas([name]))


@contextlib.contextmanager
def _catalogue_cursor():
    """A cursor with only pg_catalog on the search path, so pg_get_*def() qualifies every name."""
    with connection.cursor() as cursor:
        cursor.execute("SET search_path = pg_catalog")
        try:
            yield cursor
        finally:
            tenant_connection().forget_search_path()


def _catalogue(cursor, source: str) -> dict:
    """Everything the clone needs about the source schema, read in a few queries."""
    cursor.execute(
        """
        SELECT c.relname,
               array_agg(a.attname ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '')
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
        GROUP BY c.relname ORDER BY c.relname
        """,
        [source],
    )
    tables = {name: cols for name, cols in cursor.fetchall()}
    cursor.execute(
        """
        SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid), con.contype
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = rel.relnamespace
        WHERE n.nspname = %s AND con.contype IN ('p', 'u', 'c', 'x', 'f')
        ORDER BY CASE con.contype WHEN 'f' THEN 1 ELSE 0 END, rel.relname, con.conname
        """,
        [source],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = ic.relnamespace
        WHERE n.nspname = %s
          AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                          WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
        ORDER BY ic.relname
        """,
        [source],
    )
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        """
        SELECT
          (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = %(s)s AND c.relkind IN ('v', 'm', 'f'))
          + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(s)s)
          + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = %(s)s AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0)
          + (SELECT count(*) FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(s)s AND NOT tg.tgisinternal)
          + (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = %(s)s AND c.relkind = 'S'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        """,
        {"s": source},
    )
    unsupported = cursor.fetchone()[0]
    if unsupported:
        raise RuntimeError(
            f"schema {source!r} holds views, functions, types, triggers or free sequences, which the clone "
            "does not copy; extend tenants.services.schemas before adding them to county apps"
        )
    filled = []
    if tables:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(source)}.{quote(t)})" for t in tables
            ),
            list(tables),
        )
        filled = [row[0] for row in cursor.fetchall()]
    return {"tables": tables, "constraints": constraints, "indexes": indexes, "filled": filled}


def clone_script(source: str) -> str:
    """SQL that makes a copy of schema `source` named by the sentinel (see clone_schema)."""
    with _catalogue_cursor() as cursor:
        cat = _catalogue(cursor, source)
    src = quote(source) + "."
    dst = quote(_SENTINEL) + "."
    like = "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS"
    lines = [f"CREATE SCHEMA {quote(_SENTINEL)};"]
    lines += [f"CREATE TABLE {dst}{quote(t)} (LIKE {src}{quote(t)} {like});" for t in cat["tables"]]
    for table, name, definition, _kind in cat["constraints"]:
        definition = definition.replace(src, dst).replace(f" {source}.", f" {dst}")
        lines.append(f"ALTER TABLE {dst}{quote(table)} ADD CONSTRAINT {quote(name)} {definition};")
    for definition in cat["indexes"]:
        lines.append(definition.replace(f" ON {src}", f" ON {dst}").replace(f" ON {source}.", f" ON {dst}") + ";")
    for table in cat["filled"]:
        cols = ", ".join(quote(c) for c in cat["tables"][table])
        lines.append(f"INSERT INTO {dst}{quote(table)} ({cols}) SELECT {cols} FROM {src}{quote(table)};")
        # Two statements, not one: on Citus a single query naming the table would run whole on the table's
        # worker, whose copy of the sequence has another range; the coordinator's sequence numbers new rows.
        lines.append(
            f"DO $$DECLARE m bigint; s text := pg_get_serial_sequence('{dst}{quote(table)}', 'id'); BEGIN "
            f"SELECT max(id) INTO m FROM {dst}{quote(table)}; "
            f"IF s IS NOT NULL AND m IS NOT NULL THEN PERFORM setval(s, m); END IF; END$$;"
            if "id" in cat["tables"][table] else ""
        )
    return "\n".join(line for line in lines if line)


def run_script(statements: list[str]) -> None:
    """Run SQL statements (each complete, `;`-terminated) in the caller's transaction: as one script in one
    round trip, or on Citus one by one (it propagates DDL statement by statement and refuses a script)."""
    statements = [s for s in statements if s.strip()]
    if not statements:
        return
    with connection.cursor() as cursor:
        if not citus.active():
            cursor.execute("\n".join(statements))
            return
        for statement in statements:
            cursor.execute(statement)


def clone_schema(source: str, target: str) -> None:
    """Create schema `target` as a copy of `source` (structure and rows), in the caller's transaction."""
    if target == get_public_schema_name() or target.startswith("pg_"):
        raise ValueError(f"refusing to clone into {target!r}")
    script = clone_script(source).replace(quote(_SENTINEL), quote(target))
    run_script(script.split("\n"))
    # On Citus the schema is distributed when made (schema-based sharding is on for the database); a
    # connection opened before that was switched on made a local one, which this distributes.
    citus.distribute_schemas([target])


def fingerprint(schema: str) -> str:
    """A digest of a schema's structure (columns, constraints, indexes), independent of its name."""
    with _catalogue_cursor() as cursor:
        cursor.execute(
            """
            WITH parts AS (
              SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                     || ' ' || a.attnotnull::text || ' ' || a.attidentity::text || ' ' || a.attgenerated::text
                     || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS part
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
              WHERE n.nspname = %(s)s AND c.relkind IN ('r', 'p')
              UNION ALL
              SELECT 'con ' || rel.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
              FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
              JOIN pg_namespace n ON n.oid = rel.relnamespace WHERE n.nspname = %(s)s
              UNION ALL
              SELECT 'idx ' || pg_get_indexdef(i.indexrelid)
              FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE n.nspname = %(s)s
            )
            SELECT md5(string_agg(replace(replace(part, %(qq)s, ''), %(q)s, ''), E'\n' ORDER BY part)) FROM parts
            """,
            {"s": schema, "q": f"{schema}.", "qq": f"{quote(schema)}."},
        )
        return cursor.fetchone()[0] or ""
