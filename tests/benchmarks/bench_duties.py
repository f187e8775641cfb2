"""Duty reports at Enshi's scale (003: 1,338 deputies at 78 stations in 19 townships) with a year of
confirmed duty records (about 26 per deputy): the three-ones matrix and the yearly evaluation, their
time and query counts (against a tenth of the county), and the cost of logging one record.

    ./tests/benchmarks/run duties     (or: python -m tests.benchmarks.bench_duties)

Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time

from tests.benchmarks import common
from tests.benchmarks.bench_roster import DEPUTIES, _setup_django, build_county, make_roster, timed_import

RUNS = int(os.environ.get("JIAZHAN_BENCH_RUNS", "5"))
YEAR = 2025


def fill_year(county, admin) -> int:
    """A year of confirmed records for every deputy: most keep the monthly reception and visit, most
    report to voters; a few other duties. Bulk-made (the service is timed separately)."""
    from django_tenants.utils import tenant_context

    from duties.models import DutyRecord
    from people.models import Deputy, Stationing

    rng = random.Random(4)
    with tenant_context(county):
        venues = dict(Stationing.objects.filter(ended_on__isnull=True).values_list("deputy_id", "venue_id"))
        rows = []
        for deputy_id in Deputy.objects.values_list("pk", flat=True):
            for month in range(1, 13):
                for kind, chance in (("reception", 0.85), ("visit", 0.8)):
                    if rng.random() < chance:
                        rows.append(DutyRecord(deputy_id=deputy_id, kind=kind, title=kind, status="confirmed",
                                               occurred_on=dt.date(YEAR, month, rng.randint(1, 28)),
                                               venue_id=venues.get(deputy_id), author_id=admin.pk))
            if rng.random() < 0.9:
                rows.append(DutyRecord(deputy_id=deputy_id, kind="report_to_voters", title="述职", status="confirmed",
                                       occurred_on=dt.date(YEAR, 12, 10), author_id=admin.pk))
            for _ in range(rng.randint(0, 6)):
                rows.append(DutyRecord(deputy_id=deputy_id, kind=rng.choice(["inspection_survey", "study_training",
                                                                             "policy_promotion", "public_welfare"]),
                                       title="其他", status="confirmed", author_id=admin.pk,
                                       occurred_on=dt.date(YEAR, rng.randint(1, 12), 15)))
        DutyRecord.objects.bulk_create(rows, batch_size=5000)
        return len(rows)


def measure(county, admin) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import tenant_context

    from duties.selectors.compliance import three_ones_report
    from duties.selectors.evaluation import evaluation
    from people.actors import actor_for

    found: dict = {"three_ones": [], "evaluation": []}
    with tenant_context(county):
        actor = actor_for(admin)
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                report = three_ones_report(actor=actor, year=YEAR)
                found["three_ones"].append(time.perf_counter() - began)
            found["three_ones_queries"] = len(ctx)
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                result = evaluation(actor=actor, year=YEAR)
                found["evaluation"].append(time.perf_counter() - began)
            found["evaluation_queries"] = len(ctx)
        found["rows"] = len(report.rows)
        found["compliant"] = sum(r.months_ok for r in report.rows) / max(1, len(report.rows) * 12)
        found["stations"] = len(report.stations)
        found["outstanding"] = sum(r.outstanding for r in result.rows)
    return found


def logging_cost(county, admin, n: int = 200) -> list[float]:
    from django_tenants.utils import tenant_context

    from duties.services.records import duty_record_log
    from people.actors import actor_for
    from people.models import Deputy

    with tenant_context(county):
        actor = actor_for(admin)
        deputies = list(Deputy.objects.order_by("pk")[:n])
        times = []
        for deputy in deputies:
            began = time.perf_counter()
            duty_record_log(actor=actor, deputy=deputy, kind="visit", occurred_on=dt.date(YEAR, 6, 1), title="走访")
            times.append(time.perf_counter() - began)
    return times


def main() -> None:
    print(f"[bench] fresh benchmark database; duty reports over {DEPUTIES} deputies, {RUNS} runs", flush=True)
    common.reset_database()
    common.manage("migrate_fleet", "--no-spares")
    _setup_django()
    from tenants.models import Account, Prefecture, Province

    province = Province.objects.create(name="湖北省", division_code="420000")
    prefecture = Prefecture.objects.create(name="恩施土家族苗族自治州", division_code="422800", province=province)
    full_county, venues = build_county(1, province, prefecture)
    admin = Account.objects.get(mobile="13800000001")
    timed_import(full_county, make_roster(1, venues, DEPUTIES, province, prefecture), admin)
    full_records = fill_year(full_county, admin)
    small_county, small_venues = build_county(2, province, prefecture, townships=2, venues=8)
    small_admin = Account.objects.get(mobile="13800000002")
    timed_import(small_county, make_roster(2, small_venues, DEPUTIES // 10, province, prefecture), small_admin)
    small_records = fill_year(small_county, small_admin)
    full = measure(full_county, admin)
    tenth = measure(small_county, small_admin)
    log_times = logging_cost(full_county, admin)
    lines = [
        f"Duty reports, Enshi scale: {full['rows']} deputies, {full['stations']} stations, {full_records} confirmed "
        f"records in {YEAR} ({full['compliant']:.0%} of deputy-months met the three-ones rule; "
        f"{full['outstanding']} outstanding):",
        common.row("three-ones matrix + station/township roll-ups", full["three_ones"]),
        common.row("yearly evaluation (scores, ranks, outstanding)", full["evaluation"]),
        common.row(f"tenth scale ({tenth['rows']} deputies, {small_records} records): three-ones", tenth["three_ones"]),
        common.row("tenth scale: evaluation", tenth["evaluation"]),
        f"  duty_record_log, one record on a deputy's behalf ({len(log_times)} calls): median "
        f"{common.median(log_times) * 1000:.1f} ms, p95 {sorted(log_times)[int(len(log_times) * 0.95)] * 1000:.1f} ms",
        "Queries (CaptureQueriesContext):",
        f"  three_ones_report: {full['three_ones_queries']} at {full['rows']} deputies, "
        f"{tenth['three_ones_queries']} at {tenth['rows']}",
        f"  evaluation:        {full['evaluation_queries']} at {full['rows']} deputies, "
        f"{tenth['evaluation_queries']} at {tenth['rows']}",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
