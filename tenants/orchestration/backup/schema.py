"""A county schema as pg_dump writes it (three sections: pre-data, data, post-data), loaded back under any
schema name inside the caller's transaction, and the row counts and content hashes that prove it whole."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import connection

from tenants.db import tenant_connection
from tenants.services.pgtools import pg_run
from tenants.services.schemas import quote

SECTIONS = ("pre-data", "data", "post-data")


def schema_dump(schema: str) -> dict[str, bytes]:
    """section -> plain SQL, as pg_dump writes it for `schema` alone (no owners, no grants)."""
    return {section: pg_run("pg_dump", "--schema", schema, "--section", section, "--no-owner", "--no-privileges",
                            "--format", "plain", "--encoding", "UTF8")
            for section in SECTIONS}


def table_stats(schema: str) -> dict[str, dict[str, str | int]]:
    """table -> {rows, md5}: md5 of every row's text, in order, so equal tables hash equal in any schema."""
    with connection.cursor() as cursor:
        stats: dict[str, dict[str, str | int]] = {}
        for table in table_stats_names(schema):
            cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                           f"FROM {quote(schema)}.{quote(table)} t")
            rows, digest = cursor.fetchone()
            stats[table] = {"rows": rows, "md5": digest}
    return stats


def public_references(schema: str) -> list[dict[str, str]]:
    """The columns of `schema`'s tables that point into the public schema (accounts, mostly): the foreign
    keys the models declare (those to accounts carry no database constraint across schemas), and any
    single-column foreign key constraint besides."""
    found = {(r["table"], r["column"]): r["references"] for r in _constraint_references(schema)}
    here = set(table_stats_names(schema))
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table not in here:
            continue
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target._meta.db_table not in here:
                found[(model._meta.db_table, field.column)] = target._meta.db_table
    return [{"table": t, "column": c, "references": r} for (t, c), r in sorted(found.items())]


def table_stats_names(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname", [schema])
        return [row[0] for row in cursor.fetchall()]


def _constraint_references(schema: str) -> list[dict[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT rel.relname, att.attname, frel.relname
            FROM pg_constraint con
            JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace n ON n.oid = rel.relnamespace
            JOIN pg_class frel ON frel.oid = con.confrelid
            JOIN pg_namespace fn ON fn.oid = frel.relnamespace
            JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
            WHERE con.contype = 'f' AND n.nspname = %s AND fn.nspname = 'public' AND cardinality(con.conkey) = 1
            ORDER BY 1, 2
            """,
            [schema],
        )
        return [{"table": t, "column": c, "references": r} for t, c, r in cursor.fetchall()]


def referenced_ids(schema: str, references: list[dict[str, str]], target: str) -> set[int]:
    ids: set[int] = set()
    with connection.cursor() as cursor:
        for ref in references:
            if ref["references"] == target:
                cursor.execute(f"SELECT DISTINCT {quote(ref['column'])} FROM {quote(schema)}.{quote(ref['table'])} "
                               f"WHERE {quote(ref['column'])} IS NOT NULL")
                ids.update(row[0] for row in cursor.fetchall())
    return ids


def remap(schema: str, references: list[dict[str, str]], target: str, mapping: dict[int, int]) -> None:
    """Point every column of `schema` that refers to public `target` from the old ids to the new ones."""
    changed = {old: new for old, new in mapping.items() if old != new}
    if not changed:
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE restore_id_map (old bigint PRIMARY KEY, new bigint) ON COMMIT DROP")
        cursor.execute("INSERT INTO restore_id_map SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
                       [list(changed), list(changed.values())])
        for ref in references:
            if ref["references"] == target:
                column = quote(ref["column"])
                cursor.execute(f"UPDATE {quote(schema)}.{quote(ref['table'])} t SET {column} = m.new "
                               f"FROM restore_id_map m WHERE t.{column} = m.old")
        cursor.execute("DROP TABLE restore_id_map")


def _renamed(sql: str, source: str, target: str) -> str:
    return re.sub(rf"(?<![\w$]){re.escape(source)}(?![\w$])", target, sql)


def schema_load(section: bytes, *, source: str, target: str) -> None:
    """Run one pg_dump section with schema `source` renamed `target`: statements through the connection,
    COPY blocks through psycopg's copy (their rows are data and are never rewritten)."""
    statements: list[str] = []
    lines = iter(section.decode("utf-8").splitlines(keepends=True))
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor

        def flush() -> None:
            text = "".join(statements).strip()
            statements.clear()
            if text:
                cursor.execute(_renamed(text, source, target))

        for line in lines:
            if line.startswith("\\") or line.startswith("SELECT pg_catalog.set_config('search_path'"):
                continue  # psql meta-commands (\restrict), and the emptied search path Django must not keep
            if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
                flush()
                with cursor.copy(_renamed(line.strip(), source, target)) as copy:
                    for row in lines:
                        if row == "\\.\n" or row == "\\.":
                            break
                        copy.write(row.encode("utf-8"))
                continue
            statements.append(line)
        flush()
    tenant_connection().forget_search_path()
