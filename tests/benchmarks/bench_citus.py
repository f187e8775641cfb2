"""One PostgreSQL server vs the embedded Citus cluster (a coordinator and two workers), in the same run.

    ./tests/benchmarks/run citus       (or: python -m tests.benchmarks.bench_citus)

For each database, in its own process (Django is set up once a process): a fresh benchmark database,
JIAZHAN_BENCH_CITUS_COUNTIES counties (default 20: on Citus a county schema costs one distributed DDL
statement per table, index and constraint, which on a shared 2-core machine is seconds a county), then
provisioning a county (a spare renamed), refilling a spare (the fast clone), fleet migration with nothing
to apply and with one new migration, a county page's throughput (in-process client, one thread), the
province dashboard, and -- on Citus -- moving one county to the other worker while two threads request its
pages. Prints medians and the Citus/single ratio; asserts nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from tests.benchmarks import common

COUNTIES = int(os.environ.get("JIAZHAN_BENCH_CITUS_COUNTIES", "20"))
RUNS = int(os.environ.get("JIAZHAN_BENCH_RUNS", "3"))
PAGE_SECONDS = float(os.environ.get("JIAZHAN_BENCH_SECONDS", "5"))
MODES = ["single", "citus"]


def _fresh_database(mode: str) -> None:
    common.reset_database()  # the migrations folder, and the database on the server (the coordinator)
    if mode == "citus":
        sys.path.insert(0, str(common.ROOT))
        from deploy.embedded import citus

        citus.drop_database(common.BENCH_DB)
        citus.ensure_database(common.BENCH_DB)


def _timed(call) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def measure(mode: str) -> dict[str, list[float]]:
    _fresh_database(mode)
    common.manage("migrate_fleet", "--no-spares")
    os.environ.update(common.env())
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from tenants.management.commands.move_county import Probe
    from tenants.models import Account, County, Prefecture, Province, RegionRole
    from tenants.orchestration.placement import county_move
    from tenants.orchestration.provisioning import county_provision
    from tenants.services import citus
    from tenants.services.spares import spares_fill

    province = Province.objects.create(name="基准省", division_code="910000")
    prefecture = Prefecture.objects.create(name="基准州", division_code="910100", province=province)
    provision, refill = [], []
    for i in range(1, COUNTIES + RUNS + 1):
        refill.append(_timed(lambda: spares_fill(target=1)))
        seconds = _timed(lambda i=i: county_provision(
            name=f"基准县{i}", division_code=f"{900000 + i}", slug=f"bench{i:04d}", province=province,
            prefecture=prefecture, admin_mobile=f"137{i:08d}", admin_name=f"管理员{i}"))
        if i > COUNTIES:  # with COUNTIES present
            provision.append(seconds)
    print(f"[bench] {mode}: {County.objects.count()} counties", file=sys.stderr, flush=True)
    spares_fill(target=2)
    connection.close()
    nothing = [common.manage("migrate_fleet", "--no-spares") for _ in range(RUNS)]
    one_new = []
    for _ in range(RUNS):
        common.add_migration()
        one_new.append(common.manage("migrate_fleet", "--no-spares"))

    county = County.objects.order_by("pk").first()
    host = county.domains.first().domain
    client = Client(HTTP_HOST=host)  # the public online form: anonymous, reads the county's schema
    assert client.get("/online/").status_code == 200
    page = []
    for _ in range(RUNS):
        done, began = 0, time.perf_counter()
        while time.perf_counter() - began < PAGE_SECONDS:
            assert client.get("/online/").status_code == 200
            done += 1
        page.append(done / (time.perf_counter() - began))

    staff = Account.objects.create_user("13799999999", "省人大工作人员", password="bench-pass-2026")
    RegionRole.objects.create(account=staff, role=RegionRole.Role.PROVINCE_STAFF, province=province)
    upper = Client(HTTP_HOST=os.environ.get("PLATFORM_HOST", "localhost"))
    upper.post("/login/", {"mobile": staff.mobile, "password": "bench-pass-2026"})
    url = f"/dashboard/?level=province&id={province.pk}"
    answer = upper.get(url)
    assert answer.status_code == 200, (answer.status_code, answer.get("Location"))
    dashboard = [_timed(lambda: upper.get(url)) for _ in range(RUNS * 2)]

    results = {"provision": provision, "refill": refill, "fleet_nothing": nothing, "fleet_one_new": one_new,
               "page": page, "dashboard": dashboard}
    if mode == "citus":
        moves, failed, requests = [], 0, 0
        for _ in range(RUNS):
            where = citus.placement(county.schema_name)
            target = next(node for node in citus.workers() if node != where)
            with Probe(host, threads=2, paths=("/online/",)) as probe:
                moves.append(county_move(county=county, to_node=f"{target[0]}:{target[1]}"))
            failed += probe.failed
            requests += probe.requests
        results.update(move=moves, move_failed=[failed], move_requests=[requests])
    return results


LABELS = [
    ("provision", "provisioning a county (a spare renamed + domain + admin)", "s"),
    ("refill", "refilling a spare (fast clone of the template)", "s"),
    ("fleet_nothing", "fleet migration, nothing to apply (command)", "s"),
    ("fleet_one_new", "fleet migration, one new migration (command)", "s"),
    ("page", "a county page (/online/), one thread", "req/s"),
    ("dashboard", "the province dashboard", "s"),
    ("move", "moving one county to the other worker (citus_schema_move)", "s"),
]


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--mode":
        print(json.dumps(measure(sys.argv[2])), flush=True)
        return
    found = {}
    for mode in MODES:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(JIAZHAN_DB=mode, JIAZHAN_BENCH_VARIANT="full")
        print(f"[bench] {mode}: {COUNTIES} counties ...", flush=True)
        out = subprocess.run([sys.executable, "-m", "tests.benchmarks.bench_citus", "--mode", mode], env=env,
                             cwd=common.ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
        found[mode] = json.loads(out.strip().splitlines()[-1])
    print(f"One server vs Citus (coordinator + 2 workers, same machine), {COUNTIES} counties, "
          f"{os.cpu_count()} CPUs:")
    for key, label, unit in LABELS:
        single = found["single"].get(key)
        on_citus = found["citus"].get(key)
        if single:
            print(common.row(f"single: {label}", single, unit))
        if on_citus:
            print(common.row(f"citus:  {label}", on_citus, unit,
                             baseline=common.median(single) if single else None))
    if "move_failed" in found["citus"]:
        print(f"  requests during the moves: {found['citus']['move_requests'][0]:.0f}, "
              f"failed: {found['citus']['move_failed'][0]:.0f}")


if __name__ == "__main__":
    main()
