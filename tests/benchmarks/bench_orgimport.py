"""Organisation import at a county's scale (issue 15): 30 townships, 600 villages and communities, 150 homes
and stations, 60 handling units in one workbook.

    ./tests/benchmarks/run orgimport     (or: python -m tests.benchmarks.bench_orgimport)

Each timed import goes into a freshly provisioned county (so every run creates everything). Prints figures;
asserts nothing about time. Targets from issue 15: <= 2 s, <= 200 MB peak memory.
"""

from __future__ import annotations

import gc
import os
import resource
import time
import tracemalloc

from tests.benchmarks import common

RUNS = int(os.environ.get("JIAZHAN_BENCH_RUNS", "5"))
TOWNSHIPS, VILLAGES, STATIONS, UNITS = 30, 600, 150, 60
WORDS = "青龙 白岩 黄泥 石门 茶园 枫香 红岩 双河 高坪 木栗 水田 金龙 凉风 桃花 马鹿 大溪 中坝 五峰 龙潭 柏杨".split()


def _setup_django():
    os.environ.update(common.env())
    os.environ["TENANT_SPARE_SCHEMAS"] = "0"
    import django

    django.setup()


def make_workbook(county_code: str) -> bytes:
    """The county's workbook: every township with 20 villages, a home per township and 120 village stations."""
    from core.xlsx import sheets_to_xlsx
    from organisation.services.workbook.columns import TOWNSHIPS as T
    from organisation.services.workbook.columns import UNITS as U
    from organisation.services.workbook.columns import VENUES as S
    from organisation.services.workbook.columns import VILLAGES as V

    townships, villages, venues, units = [], [], [], []
    per = VILLAGES // TOWNSHIPS
    for i in range(TOWNSHIPS):
        code, name = f"{county_code}{100 + i:03d}", f"{WORDS[i % 20]}{'镇' if i % 3 else '乡'}{i}"
        townships.append([code, name, "镇" if i % 3 else "乡", "2015-01-01"])
        venues.append([f"{name}人大代表之家", "代表之家", name, "", f"{name}政府院内", "每月第一个星期一", "王某",
                       "0718-8000000", "已建成运行"])
        for j in range(per):
            village = f"{WORDS[j % 20]}{'社区' if j % 4 == 0 else '村'}{j}"
            villages.append([f"{code}{j + 1:03d}", village, "社区" if j % 4 == 0 else "村", name])
            if len(venues) < STATIONS and j < 4:
                venues.append([f"{name}{village}代表联络站", "村（社区）联络站", name, village, f"{village}村委会",
                               "每周三上午", "李某", "13800000000", "已建成运行"])
    for k in range(UNITS):
        units.append([f"县第{k + 1}局", "政府部门" if k % 10 else "其他单位", "张某", "0718-8000001", "是"])
    assert (len(townships), len(villages), len(venues), len(units)) == (TOWNSHIPS, VILLAGES, STATIONS, UNITS)
    return sheets_to_xlsx([(str(T.title), T.headers, townships), (str(V.title), V.headers, villages),
                           (str(S.title), S.headers, venues), (str(U.title), U.headers, units)])


def timed_import(county, content: bytes, admin) -> tuple[float, float, object]:
    from django_tenants.utils import tenant_context

    from organisation.services.workbook import organisation_import
    from people.actors import actor_for

    with tenant_context(county):
        actor = actor_for(admin)
        gc.collect()
        began, cpu = time.perf_counter(), time.process_time()
        result = organisation_import(actor=actor, content=content)
        seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    if not result.ok:
        raise SystemExit("import refused: " + "; ".join(str(e) for e in result.errors[:5]))
    return seconds, cpu_seconds, result


def new_county(index: int, province, prefecture):
    from tenants.models import Account
    from tenants.orchestration.provisioning import county_provision

    county = county_provision(name=f"基准县{index}", division_code=f"{431000 + index}", slug=f"org{index}",
                              province=province, prefecture=prefecture, admin_mobile=f"1381000{index:04d}",
                              admin_name="基准县人大常委会")
    return county, Account.objects.get(mobile=f"1381000{index:04d}")


def main() -> None:
    print(f"[bench] fresh benchmark database; organisation import of {TOWNSHIPS} townships, {VILLAGES} villages, "
          f"{STATIONS} stations, {UNITS} units; {RUNS} runs", flush=True)
    common.reset_database()
    common.manage("migrate_fleet", "--no-spares")
    _setup_django()
    from django_tenants.utils import tenant_context

    from organisation.services.workbook import organisation_export
    from people.actors import actor_for
    from tenants.models import Prefecture, Province

    province = Province.objects.create(name="湖南省", division_code="430000")
    prefecture = Prefecture.objects.create(name="邵阳市", division_code="430500", province=province)
    times, cpus, growth = [], [], []
    first = None
    for run in range(RUNS):
        county, admin = new_county(run + 1, province, prefecture)
        content = make_workbook(county.division_code)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        seconds, cpu, result = timed_import(county, content, admin)
        growth.append((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024)
        times.append(seconds)
        cpus.append(cpu)
        first = first or (county, admin, content, result)
        print(f"[bench] run {run + 1}: {seconds:.3f} s (file {len(content) / 1024:.0f} KB)", flush=True)

    county, admin = new_county(RUNS + 1, province, prefecture)
    content = make_workbook(county.division_code)
    gc.collect()
    tracemalloc.start()
    timed_import(county, content, admin)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    county, admin, content, result = first
    again = [timed_import(county, content, admin) for _ in range(RUNS)]
    with tenant_context(county):
        began = time.perf_counter()
        exported = organisation_export(actor=actor_for(admin))
        export_seconds = time.perf_counter() - began
    round_trip = [timed_import(county, exported, admin) for _ in range(RUNS)]
    counts = result.counts()
    print("\n".join([
        f"Organisation import: {counts['rows']} rows ({counts['townships_created']} townships, "
        f"{counts['villages_created']} villages, {counts['venues_created']} venues, {counts['units_created']} "
        f"units created); file {len(content) / 1024:.0f} KB:",
        common.row("import into a fresh county (wall time)", times),
        common.row("  ... CPU time of this process", cpus),
        common.row("re-import of the same file (every row matched, unchanged)", [s for s, _c, _r in again]),
        common.row("export (.xlsx)", [export_seconds]),
        common.row("import of the export (round trip, nothing changes)", [s for s, _c, _r in round_trip]),
        f"  peak memory of one import: tracemalloc peak {peak / 2**20:.1f} MB (Python allocations, separate run); "
        f"ru_maxrss growth during the timed runs {', '.join(f'{m:.1f}' for m in growth)} MB; process maxrss now "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
    ]), flush=True)


if __name__ == "__main__":
    main()
