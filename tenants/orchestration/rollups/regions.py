"""The rows above the counties: province and prefecture sums (RegionFact) and the counties' comparison
headlines (CountyHeadline), both derived from the county total facts (township COUNTY_TOTAL).

Kept current by differences: each county write (store.write) knows, for every county total it changes,
the value before and after; `apply` adds those differences to the county's province and prefecture rows
and to its headline rows, in the same transaction as the facts themselves, so that they commit or roll back
together. Additions commute, so counties refreshing at once need no common lock, only the row locks of
the upsert: the rows are written in one fixed order (level, region, month, metric, key, due date), so that
two transactions touching the same rows wait for each other instead of deadlocking. It runs last in the
refresh, so that those row locks are held for the shortest time.

`rebuild` is the nightly check in the public schema: every region and headline row recomputed from the
county totals, the rows that differed corrected and counted as drift (a RollupRun with no county). One
region at a time, each in its own short transaction, the differences found and corrected in SQL (one
statement per table: nothing is read into Python): every prefecture from its counties' totals (with its
counties' headlines), then every province from its prefectures' rows and its counties under no prefecture.
A county's refresh holds its province's and prefecture's advisory locks shared from its first region row
to its commit; the rebuild of a region holds that region's exclusively, so that it reads county totals and
region rows of the same commits: a refresh under way is waited for, a later one waits (for that region's
turn only, a fraction of a second, not the whole job) and applies its differences to the corrected rows.
Locks are taken province first, prefecture second, by everyone: no cycle.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from tenants.models import (
    COUNTY_TOTAL,
    HEADLINES,
    County,
    CountyHeadline,
    RegionFact,
    RollupFact,
    RollupRun,
    headline_of,
)

RegionKey = tuple[dt.date, str, str, dt.date | None]  # month, metric, key, due_on of a county total
# pg_advisory_xact_lock(class, region id): a county's refresh holds its province's and prefecture's shared,
# the rebuild of a region holds it exclusively (always the province before the prefecture).
REGION_LOCKS = {RegionFact.Level.PROVINCE.value: 0x52675076, RegionFact.Level.PREFECTURE.value: 0x52675066}
Deltas = dict[RegionKey, int]
COLUMNS = list(HEADLINES)


def _order(item: tuple) -> tuple:
    """A total order over region rows (a None due date first), the same in every transaction."""
    return tuple((value is not None, value) if i == 5 else value for i, value in enumerate(item))


def _regions(county: County) -> list[tuple[str, int]]:
    found = [(RegionFact.Level.PROVINCE.value, county.province_id)]
    if county.prefecture_id is not None:
        found.append((RegionFact.Level.PREFECTURE.value, county.prefecture_id))
    return found


def apply(county: County, deltas: Deltas) -> None:
    """Add the differences of `county`'s totals to its regions' rows and to its headlines (two or four
    statements: the upserts, and the deletes of rows that fell to 0 when there are any)."""
    deltas = {key: value for key, value in deltas.items() if value}
    if not deltas:
        return
    rows = sorted(((level, region, month, metric, key, due_on, value)
                   for level, region in _regions(county)
                   for (month, metric, key, due_on), value in deltas.items()), key=_order)
    table = connection.ops.quote_name(RegionFact._meta.db_table)
    with connection.cursor() as cursor:
        for level, region in _regions(county):  # the province first, as every taker of these locks
            _lock(cursor, level, region, exclusive=False)
        cursor.execute(
            f"INSERT INTO {table} AS r (level, region_id, month, metric, key, due_on, value) "
            "SELECT l, g, m, me, k, d, v FROM unnest(%s::varchar[], %s::bigint[], %s::date[], %s::varchar[], "
            "%s::varchar[], %s::date[], %s::bigint[]) WITH ORDINALITY AS u(l, g, m, me, k, d, v, n) ORDER BY n "
            "ON CONFLICT (level, region_id, month, metric, key, due_on) DO UPDATE SET value = r.value + EXCLUDED.value "
            "RETURNING r.id, r.value", [list(column) for column in zip(*rows, strict=True)])
        emptied = [pk for pk, value in cursor.fetchall() if value == 0]
        if emptied:
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s) AND value = 0", [emptied])
    _apply_headlines(county, deltas)


def _apply_headlines(county: County, deltas: Deltas) -> None:
    by_month: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for (month, metric, key, _due_on), value in deltas.items():
        column = headline_of(metric, key)
        if column is not None:
            by_month[month][column] += value
    changed = sorted((month, cells) for month, cells in by_month.items() if any(cells.values()))
    if not changed:
        return
    table = connection.ops.quote_name(CountyHeadline._meta.db_table)
    names = ", ".join(COLUMNS)
    arrays = ", ".join(["%s::bigint[]"] * len(COLUMNS))
    updates = ", ".join(f"{name} = h.{name} + EXCLUDED.{name}" for name in COLUMNS)
    all_zero = " AND ".join(f"h.{name} = 0" for name in COLUMNS)
    params: list = [[month for month, _cells in changed]]
    params += [[cells[name] for _month, cells in changed] for name in COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS h (county_id, month, {names}) "
            f"SELECT %s, u.* FROM unnest(%s::date[], {arrays}) AS u "
            f"ON CONFLICT (county_id, month) DO UPDATE SET {updates} RETURNING h.id, ({all_zero})",
            [county.pk, *params])
        emptied = [pk for pk, zero in cursor.fetchall() if zero]
        if emptied:
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [emptied])


def _lock(cursor, level: str, region: int, *, exclusive: bool) -> None:
    kind = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    cursor.execute(f"SELECT {kind}(%s, %s)", [REGION_LOCKS[level], region])


def _correct_region(cursor, level: str, region: int, wanted_sql: str, wanted_params: list) -> int:
    """Make the RegionFact rows of one region equal `wanted_sql` (month, metric, key, due_on, v; no zero v)
    in one statement: the differences found by a full join, deleted, updated and inserted in place; returns
    how many rows differed."""
    table = connection.ops.quote_name(RegionFact._meta.db_table)
    cursor.execute(
        f"WITH wanted AS ({wanted_sql}), "
        f"have AS (SELECT id, month, metric, key, due_on, value FROM {table} WHERE level = %s AND region_id = %s), "
        "diff AS (SELECT h.id, w.month, w.metric, w.key, w.due_on, w.v FROM wanted w FULL JOIN have h "
        f"  ON h.month = w.month AND h.metric = w.metric AND h.key = w.key "
        f"  AND COALESCE(h.due_on, DATE '0001-01-01') = COALESCE(w.due_on, DATE '0001-01-01') "
        "  WHERE h.id IS NULL OR w.v IS NULL OR h.value <> w.v), "
        f"deleted AS (DELETE FROM {table} r USING diff d WHERE r.id = d.id AND d.v IS NULL RETURNING 1), "
        f"updated AS (UPDATE {table} r SET value = d.v FROM diff d WHERE r.id = d.id AND d.v IS NOT NULL "
        "  RETURNING 1), "
        f"inserted AS (INSERT INTO {table} (level, region_id, month, metric, key, due_on, value) "
        "  SELECT %s, %s, d.month, d.metric, d.key, d.due_on, d.v FROM diff d WHERE d.id IS NULL RETURNING 1) "
        "SELECT (SELECT COUNT(*) FROM deleted) + (SELECT COUNT(*) FROM updated) + (SELECT COUNT(*) FROM inserted)",
        [*wanted_params, level, region, level, region])
    return cursor.fetchone()[0]


def _correct_headlines(cursor, counties_sql: str, counties_params: list) -> int:
    """Make the CountyHeadline rows of the counties `counties_sql` selects equal their county totals, in
    one statement as _correct_region; returns how many rows differed."""
    facts = connection.ops.quote_name(RollupFact._meta.db_table)
    table = connection.ops.quote_name(CountyHeadline._meta.db_table)
    sums: list[str] = []
    params: list = []
    for name, (metric, key) in HEADLINES.items():
        sums.append("COALESCE(SUM(f.value) FILTER (WHERE f.metric = %s" + (" AND f.key = %s" if key is not None else "")
                    + f"), 0)::bigint AS {name}")
        params += [metric] + ([key] if key is not None else [])
    metrics = sorted({metric for metric, _key in HEADLINES.values()})
    names = ", ".join(COLUMNS)
    nonzero = " OR ".join(f"{name} <> 0" for name in COLUMNS)
    differs = f"({', '.join(f'h.{n}' for n in COLUMNS)}) IS DISTINCT FROM ({', '.join(f'w.{n}' for n in COLUMNS)})"
    cursor.execute(
        f"WITH counties AS ({counties_sql}), "
        f"summed AS (SELECT f.county_id, f.month, {', '.join(sums)} FROM {facts} f "
        f"  WHERE f.county_id IN (SELECT id FROM counties) AND f.township_id = %s AND f.metric = ANY(%s) "
        "  GROUP BY f.county_id, f.month), "
        f"wanted AS (SELECT * FROM summed WHERE {nonzero}), "
        f"have AS (SELECT * FROM {table} WHERE county_id IN (SELECT id FROM counties)), "
        f"diff AS (SELECT h.id, w.county_id, w.month, {', '.join(f'w.{n}' for n in COLUMNS)} "
        "  FROM wanted w FULL JOIN have h ON h.county_id = w.county_id AND h.month = w.month "
        f"  WHERE h.id IS NULL OR w.county_id IS NULL OR {differs}), "
        f"deleted AS (DELETE FROM {table} r USING diff d WHERE r.id = d.id AND d.county_id IS NULL RETURNING 1), "
        f"updated AS (UPDATE {table} r SET {', '.join(f'{n} = d.{n}' for n in COLUMNS)} FROM diff d "
        "  WHERE r.id = d.id AND d.county_id IS NOT NULL RETURNING 1), "
        f"inserted AS (INSERT INTO {table} (county_id, month, {names}) "
        f"  SELECT d.county_id, d.month, {', '.join(f'd.{n}' for n in COLUMNS)} FROM diff d WHERE d.id IS NULL "
        "  RETURNING 1) "
        "SELECT (SELECT COUNT(*) FROM deleted) + (SELECT COUNT(*) FROM updated) + (SELECT COUNT(*) FROM inserted)",
        [*counties_params, *params, COUNTY_TOTAL, metrics])
    return cursor.fetchone()[0]


def _county_totals(where: str) -> str:
    facts = connection.ops.quote_name(RollupFact._meta.db_table)
    counties = connection.ops.quote_name(County._meta.db_table)
    return (f"SELECT f.month, f.metric, f.key, f.due_on, f.value FROM {facts} f "
            f"WHERE f.township_id = {COUNTY_TOTAL} AND f.county_id IN (SELECT id FROM {counties} WHERE {where})")


def _summed(rows_sql: str) -> str:
    return (f"SELECT month, metric, key, due_on, SUM(value)::bigint AS v FROM ({rows_sql}) x "
            "GROUP BY month, metric, key, due_on HAVING SUM(value) <> 0")


def rebuild_prefecture(province: int, prefecture: int) -> int:
    """One prefecture's rows from its counties' totals, and its counties' headlines: one short transaction
    that refreshes of its counties wait for (and that waits for those under way)."""
    counties = connection.ops.quote_name(County._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, "province", province, exclusive=False)  # the province's rebuild reads these rows
        _lock(cursor, "prefecture", prefecture, exclusive=True)
        return (_correct_region(cursor, "prefecture", prefecture, _summed(_county_totals("prefecture_id = %s")),
                                [prefecture])
                + _correct_headlines(cursor, f"SELECT id FROM {counties} WHERE prefecture_id = %s", [prefecture]))


def rebuild_province(province: int) -> int:
    """One province's rows: its prefectures' rows (rebuilt just before, and kept current by the same
    differences since) and the totals of its counties under no prefecture, summed; and those counties'
    headlines. Thousands of rows, not its counties' millions."""
    region = connection.ops.quote_name(RegionFact._meta.db_table)
    counties = connection.ops.quote_name(County._meta.db_table)
    prefectures = (f"SELECT month, metric, key, due_on, value FROM {region} WHERE level = 'prefecture' AND "
                   f"region_id IN (SELECT DISTINCT prefecture_id FROM {counties} WHERE province_id = %s "
                   "AND prefecture_id IS NOT NULL)")
    direct = _county_totals("province_id = %s AND prefecture_id IS NULL")
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, "province", province, exclusive=True)
        return (_correct_region(cursor, "province", province, _summed(f"{prefectures} UNION ALL {direct}"),
                                [province, province])
                + _correct_headlines(cursor, f"SELECT id FROM {counties} WHERE province_id = %s "
                                             "AND prefecture_id IS NULL", [province]))


def _forsaken() -> int:
    """Rows of regions that no longer have a county (a prefecture whose counties all moved): deleted."""
    found = 0
    counties = County.objects.order_by()
    live = {("province", pk) for pk in counties.values_list("province_id", flat=True).distinct()}
    live |= {("prefecture", pk) for pk in counties.exclude(prefecture=None)
             .values_list("prefecture_id", flat=True).distinct()}
    for level, region in sorted(set(RegionFact.objects.order_by().values_list("level", "region_id").distinct())
                                - live):
        with transaction.atomic(), connection.cursor() as cursor:
            _lock(cursor, level, region, exclusive=True)
            found += RegionFact.objects.filter(level=level, region_id=region).delete()[0]
    return found


def rebuild() -> RollupRun:
    """The nightly check of the rows above the counties (public schema): recompute, correct, count; one
    region at a time, each in its own short transaction (every prefecture, then every province from its
    prefectures), so that a county's refresh waits at most for its own region's turn."""
    started, began = timezone.now(), time.perf_counter()
    drift = 0
    pairs = sorted(set(County.objects.order_by().exclude(prefecture=None)
                       .values_list("province_id", "prefecture_id").distinct()))
    for province, prefecture in pairs:
        drift += rebuild_prefecture(province, prefecture)
    for province in sorted(set(County.objects.order_by().values_list("province_id", flat=True).distinct())):
        drift += rebuild_province(province)
    drift += _forsaken()
    facts = RegionFact.objects.count() + CountyHeadline.objects.count()
    return RollupRun.objects.create(county=None, started_at=started, facts=facts, drift=drift,
                                    duration_ms=round(1000 * (time.perf_counter() - began)))
