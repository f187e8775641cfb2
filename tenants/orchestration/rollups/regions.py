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
county totals, the rows that differed corrected and counted as drift (a RollupRun with no county). It locks
both tables against writers (SHARE ROW EXCLUSIVE) while it reads and corrects: a county refresh waiting
for that lock has not yet changed them, and applies its differences to the corrected rows afterwards.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Q, Sum
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


def _wanted_regions() -> dict[tuple, int]:
    wanted: dict[tuple, int] = defaultdict(int)
    for province, prefecture, month, metric, key, due_on, value in (
            RollupFact.objects.filter(township_id=COUNTY_TOTAL)
            .values_list("county__province_id", "county__prefecture_id", "month", "metric", "key", "due_on")
            .annotate(v=Sum("value")).order_by().iterator(chunk_size=10000)):
        wanted[(RegionFact.Level.PROVINCE.value, province, month, metric, key, due_on)] += value
        if prefecture is not None:
            wanted[(RegionFact.Level.PREFECTURE.value, prefecture, month, metric, key, due_on)] += value
    return {key: value for key, value in wanted.items() if value}


def _rebuild_regions() -> int:
    wanted = _wanted_regions()
    stale, changed = [], []
    for pk, *key, value in RegionFact.objects.values_list("pk", "level", "region_id", "month", "metric", "key",
                                                          "due_on", "value").iterator(chunk_size=10000):
        target = wanted.pop(tuple(key), None)
        if target is None:
            stale.append(pk)
        elif target != value:
            changed.append(RegionFact(pk=pk, value=target))
    if stale:
        RegionFact.objects.filter(pk__in=stale).delete()
    if changed:
        RegionFact.objects.bulk_update(changed, ["value"], batch_size=2000)
    if wanted:
        RegionFact.objects.bulk_create(
            [RegionFact(level=level, region_id=region, month=month, metric=metric, key=key, due_on=due_on, value=v)
             for (level, region, month, metric, key, due_on), v in wanted.items()], batch_size=2000)
    return len(stale) + len(changed) + len(wanted)


def _rebuild_headlines() -> int:
    sums = {name: Sum("value", filter=Q(metric=metric) if key is None else Q(metric=metric, key=key))
            for name, (metric, key) in HEADLINES.items()}
    metrics = {metric for metric, _key in HEADLINES.values()}
    wanted: dict[tuple[int, dt.date], tuple] = {}
    for row in (RollupFact.objects.filter(township_id=COUNTY_TOTAL, metric__in=metrics)
                .values_list("county_id", "month").annotate(**sums).order_by()):
        cells = tuple(value or 0 for value in row[2:])
        if any(cells):
            wanted[(row[0], row[1])] = cells
    stale, changed = [], []
    for pk, county_id, month, *cells in CountyHeadline.objects.values_list("pk", "county_id", "month", *COLUMNS):
        target = wanted.pop((county_id, month), None)
        if target is None:
            stale.append(pk)
        elif target != tuple(cells):
            changed.append(CountyHeadline(pk=pk, **dict(zip(COLUMNS, target, strict=True))))
    if stale:
        CountyHeadline.objects.filter(pk__in=stale).delete()
    if changed:
        CountyHeadline.objects.bulk_update(changed, COLUMNS, batch_size=2000)
    if wanted:
        CountyHeadline.objects.bulk_create(
            [CountyHeadline(county_id=county_id, month=month, **dict(zip(COLUMNS, cells, strict=True)))
             for (county_id, month), cells in wanted.items()], batch_size=2000)
    return len(stale) + len(changed) + len(wanted)


def rebuild() -> RollupRun:
    """The nightly check of the rows above the counties (public schema): recompute, correct, count."""
    started, began = timezone.now(), time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {RegionFact._meta.db_table}, {CountyHeadline._meta.db_table} "
                           "IN SHARE ROW EXCLUSIVE MODE")
        drift = _rebuild_regions() + _rebuild_headlines()
        facts = RegionFact.objects.count() + CountyHeadline.objects.count()
    return RollupRun.objects.create(county=None, started_at=started, facts=facts, drift=drift,
                                    duration_ms=round(1000 * (time.perf_counter() - began)))
