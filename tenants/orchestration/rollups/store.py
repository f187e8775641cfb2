"""Writing one county's computed figures to the public rollup table: insert what is new, update what
changed, delete what vanished, in one transaction under the county's advisory lock (a refresh and the
nightly rebuild of one county never interleave). The rows that differed are the drift; the differences of
the county's totals move its province's and prefecture's rows and its headlines (regions.apply), last,
in the same transaction."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from tenants.models import COUNTY_TOTAL, County, RollupFact, RollupRun
from tenants.selectors import current_county

from . import regions
from .compute import COMPUTE, DOMAINS, MONTHLY, Facts, Lineage

LOCK_CLASS = 0x526F6C6C  # "Roll": pg_advisory_xact_lock(class, county id)


@dataclass
class Written:
    facts: int = 0  # facts now stored for the slice
    drift: int = 0  # rows inserted, updated or deleted
    deltas: regions.Deltas = field(default_factory=dict)  # county totals: new value - old value


def _with_county_totals(facts: Facts) -> Facts:
    """Add the county's own total rows (township COUNTY_TOTAL): what the upper tiers read."""
    totals: Facts = {}
    for (_township, month, metric, key, due_on), value in facts.items():
        total_key = (COUNTY_TOTAL, month, metric, key, due_on)
        totals[total_key] = totals.get(total_key, 0) + value
    return {**facts, **totals}


def _stored(county: County, domain: str, months: Iterable[dt.date] | None):
    prefixes = Q(pk__in=[])
    for prefix in DOMAINS[domain]:
        prefixes |= Q(metric__startswith=prefix)
    qs = RollupFact.objects.filter(prefixes, county=county)
    if months is not None:  # the present-state rows (STATE_MONTH) only when named (compute.awaiting_touched)
        qs = qs.filter(month__in=list(months))
    return qs.values_list("pk", "township_id", "month", "metric", "key", "due_on", "value", "township_name")


def write(county: County, domain: str, months: Iterable[dt.date] | None, facts: Facts,
          names: dict[int, str]) -> Written:
    """Make the stored facts of (county, domain, months) equal `facts` (months None: all of them)."""
    wanted = _with_county_totals(facts)
    stale, changed, seen = [], [], set()
    deltas: regions.Deltas = {}

    def moved(fact_key, by: int) -> None:
        if fact_key[0] == COUNTY_TOTAL and by:
            deltas[fact_key[1:]] = deltas.get(fact_key[1:], 0) + by

    for pk, township_id, month, metric, key, due_on, value, name in _stored(county, domain, months):
        fact_key = (township_id, month, metric, key, due_on)
        target = wanted.get(fact_key)
        if target is None or fact_key in seen:
            stale.append(pk)
            moved(fact_key, -value)
            continue
        seen.add(fact_key)
        new_name = names.get(township_id, "")
        if value != target or name != new_name:
            changed.append(RollupFact(pk=pk, value=target, township_name=new_name))
            moved(fact_key, target - value)
    new = [RollupFact(county=county, township_id=t, township_name=names.get(t, ""), month=m, metric=metric, key=k,
                      due_on=d, value=v)
           for (t, m, metric, k, d), v in wanted.items() if (t, m, metric, k, d) not in seen]
    for fact in new:
        moved((fact.township_id, fact.month, fact.metric, fact.key, fact.due_on), fact.value)
    if stale:
        RollupFact.objects.filter(pk__in=stale).delete()
    if changed:
        RollupFact.objects.bulk_update(changed, ["value", "township_name"], batch_size=2000)
    if new:
        RollupFact.objects.bulk_create(new, batch_size=2000)
    return Written(facts=len(wanted), drift=len(stale) + len(changed) + len(new), deltas=deltas)


def _lock(county: County) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, county.pk])


def refresh(slices: dict[str, set[dt.date] | None]) -> Written:
    """Recompute the given domains of the current county (only the given months of a monthly domain;
    None: all its months) and store them."""
    county = current_county()
    result = Written()
    with transaction.atomic():
        _lock(county)
        lineage = Lineage()
        names = lineage.names
        for domain, months in slices.items():
            if domain not in MONTHLY:
                months = None
            month_list = sorted(months) if months is not None else None
            written = write(county, domain, month_list, COMPUTE[domain](month_list, lineage), names)
            result.facts += written.facts
            result.drift += written.drift
            for key, by in written.deltas.items():  # domains own distinct metrics: no key is in two
                result.deltas[key] = by
        regions.apply(county, result.deltas)
    return result


def rebuild() -> RollupRun:
    """The nightly check: every figure of the current county recomputed from its source rows; what
    differed is corrected and counted as drift (a write that missed its refresh, a row changed by hand)."""
    county = current_county()
    started, began = timezone.now(), time.perf_counter()
    written = refresh(dict.fromkeys(DOMAINS))
    run = RollupRun.objects.create(county=county, started_at=started, facts=written.facts, drift=written.drift,
                                   duration_ms=round(1000 * (time.perf_counter() - began)))
    return run
