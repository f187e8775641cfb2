"""Reception reminders at provincial scale (issue 4): one reception day across 100 counties x 80 stations
x 8 deputies on each rota = 64,000 SMS reminders, written to each county's outbox and delivered through
the embedded gateway by a real Celery worker (2 processes, the machine's 2 cores).

    ./tests/benchmarks/run reminders     (or: python -m tests.benchmarks.bench_reminders)

Measured, median of several runs:
  - the distributed path: beat's fan-out -> one scan task per county (writes the reminders) -> one
    delivery task per county (claims batches with SKIP LOCKED, records, marks sent); wall time until all
    64,000 are written ("enqueued") and until all are sent ("delivered"); target <= 60 s;
  - baseline in the same run: the same scan and delivery called in this process, county after county,
    with no broker and no worker (the floor the distributed path is compared to).
Then the crash run: the worker is killed (SIGKILL) once about a third is delivered, a new worker starts,
and beat's next ticks (the scan and delivery fan-outs) are sent again; counted: duplicates (gateway
records beyond one per message) and lost (messages never delivered). Both must be 0.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

from tests.benchmarks import common

COUNTIES = int(os.environ.get("JIAZHAN_BENCH_COUNTIES", "100"))
STATIONS = int(os.environ.get("JIAZHAN_BENCH_STATIONS", "80"))
ROTA = 8
RUNS = int(os.environ.get("JIAZHAN_BENCH_RUNS", "3"))
EXPECTED = COUNTIES * STATIONS * ROTA


def _setup_django():
    os.environ.update(common.env())
    os.environ["TENANT_SPARE_SCHEMAS"] = "0"
    import django

    django.setup()


def build(day: dt.date) -> list[str]:
    """COUNTIES counties, each with STATIONS stations, a session on `day` at each, ROTA deputies on each rota."""
    from django_tenants.utils import tenant_context

    from organisation.models import Township, Venue
    from people.models import Deputy
    from reception.models import ReceptionSession, RotaEntry
    from reception.services.common import at
    from tenants.models import Account, Prefecture, Province
    from tenants.orchestration.provisioning import county_provision

    province = Province.objects.create(name="湖南省", division_code="430000")
    prefecture = Prefecture.objects.create(name="邵阳市", division_code="430500", province=province)
    schemas = []
    for c in range(COUNTIES):
        county = county_provision(name=f"基准县{c}", division_code=f"{431000 + c}", slug=f"bench{c}",
                                  province=province, prefecture=prefecture, admin_mobile=f"1390{c:07d}",
                                  admin_name="管理员")
        accounts = Account.objects.bulk_create([
            Account(mobile=f"15{c:03d}{n:06d}", name=f"代表{c}-{n}", password="!") for n in range(STATIONS * ROTA)])
        with tenant_context(county):
            town = Township.objects.create(name="水东镇", division_code=f"{431000 + c}100", kind=Township.Kind.TOWN)
            venues = Venue.objects.bulk_create([Venue(name=f"联络站{s}", kind=Venue.Kind.HOME, township=town,
                                                      address=f"水东镇{s}号") for s in range(STATIONS)])
            deputies = Deputy.objects.bulk_create([Deputy(account_id=a.pk) for a in accounts])
            sessions = ReceptionSession.objects.bulk_create([
                ReceptionSession(venue=v, planned_on=day, date=day, starts_at=at(day, dt.time(9)),
                                 ends_at=at(day, dt.time(17))) for v in venues])
            RotaEntry.objects.bulk_create([RotaEntry(session=s, deputy=deputies[i * ROTA + k])
                                           for i, s in enumerate(sessions) for k in range(ROTA)])
        schemas.append(county.schema_name)
        if (c + 1) % 20 == 0:
            print(f"[bench] {c + 1} counties built", flush=True)
    return schemas


def _sum(schemas: list[str], sql: str) -> int:
    from django.db import connection

    union = " UNION ALL ".join("SELECT (" + sql.format(s='"' + s + '"') + ") AS n" for s in schemas)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM(n), 0) FROM ({union}) t")
        return int(cursor.fetchone()[0])


def written(schemas):
    return _sum(schemas, "SELECT count(*) FROM {s}.notifications_message WHERE kind = 'reception.reminder_3d'")


def sent(schemas):
    return _sum(schemas, "SELECT count(*) FROM {s}.notifications_message WHERE status = 'sent' "
                         "AND kind = 'reception.reminder_3d'")


def records(schemas):
    return _sum(schemas, "SELECT count(*) FROM {s}.notifications_gatewayrecord")


def distinct_delivered(schemas):
    return _sum(schemas, "SELECT count(DISTINCT message_id) FROM {s}.notifications_gatewayrecord")


def clear(schemas) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for s in schemas:
            cursor.execute(f'TRUNCATE "{s}".notifications_gatewayrecord, "{s}".notifications_message')


def start_worker() -> subprocess.Popen:
    from config.celery import app

    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "2", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--hostname", f"bench-{time.time_ns()}@%h"],
        env={**common.env(), "TENANT_SPARE_SCHEMAS": "0"}, cwd=common.ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return process
    raise RuntimeError("the worker did not start")


def stop_worker(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    os.killpg(process.pid, sig)
    process.wait(timeout=60)


def fan_out() -> None:
    """What beat sends: the scan to every county (it enqueues delivery after commit), and the delivery sweep."""
    from tenants.tasks import fan_out as fan

    fan.apply_async(args=["reception.tasks.send_due_reminders"])
    fan.apply_async(args=["notifications.tasks.deliver_pending"])


def wait(predicate, timeout=600.0, step=0.25) -> float:
    began = time.perf_counter()
    while not predicate():
        if time.perf_counter() - began > timeout:
            raise RuntimeError("timed out")
        time.sleep(step)
    return time.perf_counter() - began


def distributed_run(schemas) -> tuple[float, float]:
    began = time.perf_counter()
    fan_out()
    enqueued = None
    while True:
        n_written, n_sent = written(schemas), sent(schemas)
        now = time.perf_counter() - began
        if enqueued is None and n_written == EXPECTED:
            enqueued = now
        if n_sent == EXPECTED:
            return enqueued or now, now
        if now > 600:
            raise RuntimeError(f"timed out: {n_written} written, {n_sent} sent")
        time.sleep(0.25)


def inline_run(schemas) -> float:
    from django_tenants.utils import schema_context

    from notifications.services import messages_deliver
    from reception.services.reminders import reminders_send_due

    began = time.perf_counter()
    for s in schemas:
        with schema_context(s):
            reminders_send_due()
            messages_deliver()
    return time.perf_counter() - began


def main() -> None:
    print(f"[bench] fresh benchmark database; {COUNTIES} counties x {STATIONS} stations x {ROTA} deputies "
          f"= {EXPECTED} reminders, {RUNS} runs", flush=True)
    common.reset_database()
    common.manage("migrate_fleet", "--no-spares")
    _setup_django()
    import logging

    from django.utils import timezone

    from config.celery import app

    logging.getLogger("jiazhan.sms").setLevel(logging.WARNING)  # 64,000 printed lines would measure the terminal
    day = timezone.localdate() + dt.timedelta(days=3)
    began = time.perf_counter()
    schemas = build(day)
    print(f"[bench] built in {time.perf_counter() - began:.1f} s", flush=True)

    baseline = []
    for run in range(RUNS):
        clear(schemas)
        baseline.append(inline_run(schemas))
        assert sent(schemas) == EXPECTED
        print(f"[bench] in-process run {run + 1}: {baseline[-1]:.2f} s", flush=True)

    app.control.purge()
    worker = start_worker()
    enqueue_times, deliver_times = [], []
    try:
        for run in range(RUNS):
            clear(schemas)
            enqueued, delivered = distributed_run(schemas)
            enqueue_times.append(enqueued)
            deliver_times.append(delivered)
            print(f"[bench] worker run {run + 1}: all written {enqueued:.2f} s, all delivered {delivered:.2f} s",
                  flush=True)

        # The crash: kill the worker with a third delivered, start another, let beat's next ticks run.
        clear(schemas)
        fan_out()
        wait(lambda: sent(schemas) >= EXPECTED // 3, step=0.05)
        at_kill = sent(schemas)
        stop_worker(worker, signal.SIGKILL)
        worker = start_worker()
        fan_out()
        recovered = wait(lambda: sent(schemas) == EXPECTED and written(schemas) == EXPECTED)
        duplicates = records(schemas) - distinct_delivered(schemas)
        lost = EXPECTED - distinct_delivered(schemas)
    finally:
        stop_worker(worker)

    base = common.median(baseline)
    print(f"\nReminders for one reception day: {COUNTIES} counties x {STATIONS} stations x {ROTA} deputies "
          f"= {EXPECTED} messages (target <= 60 s)")
    print(common.row("baseline: scan + deliver in-process, county by county", baseline))
    print(common.row("worker (2 processes): all written to the outboxes", enqueue_times, baseline=base))
    print(common.row("worker (2 processes): all delivered", deliver_times, baseline=base))
    print(f"  throughput (median delivered run)                         {EXPECTED / common.median(deliver_times):,.0f}"
          " messages/s")
    print(f"  crash run: worker killed (SIGKILL) at {at_kill} delivered; a new worker and beat's next tick "
          f"finished in {recovered:.1f} s")
    print(f"  crash run: duplicates {duplicates}, lost {lost}  (must both be 0)")


if __name__ == "__main__":
    main()
