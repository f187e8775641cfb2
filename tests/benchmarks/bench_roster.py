"""Roster import at Enshi's real scale (source 003: 1,338 deputies of four levels in 78 groups at 78
stations in 19 townships), and the query counts of the deputy list and the county tree at that scale.

    ./tests/benchmarks/run roster     (or: python -m tests.benchmarks.bench_roster)

Each timed import goes into a freshly provisioned county (so every run creates everything) with a
file of its own people (so every run creates its accounts too). Prints figures; asserts nothing
about time. Targets from issue 3: <= 2 s median wall time, <= 200 MB peak memory.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import resource
import time
import tracemalloc

from tests.benchmarks import common

RUNS = int(os.environ.get("JIAZHAN_BENCH_RUNS", "5"))
DEPUTIES = 1338
TOWNSHIPS = 19
VENUES = 78
ON = dt.date(2022, 1, 1)
CPU: list[float] = []  # this process's CPU time of each import (the database server's is not in it)

SURNAMES = ("向谭田杨王李张刘陈黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋蔡余杜叶程苏魏吕"
            "丁任沈姚卢姜崔钟陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万覃")
GIVEN = ("建国 秀英 志强 丽华 明 芳 伟 敏 军 静 勇 艳 杰 娟 涛 霞 斌 燕 超 玲 华 红 平 兰 德胜 桂英 "
         "海燕 春生 正清 玉梅 家富 世林 光荣 翠兰 永红 先锋 小琴 大军 凤英 庆华").split()
ETHNICITIES = ["土家族"] * 5 + ["汉族"] * 3 + ["苗族", "侗族"]
# Enshi's townships (as the demo names them; the three management offices are named for the demo only).
ENSHI_TOWNSHIPS = [
    ("舞阳坝街道", "street"), ("六角亭街道", "street"), ("小渡船街道", "street"), ("龙凤镇", "town"),
    ("崔家坝镇", "town"), ("板桥镇", "town"), ("白杨坪镇", "town"), ("三岔镇", "town"), ("新塘乡", "township"),
    ("红土乡", "township"), ("沙地乡", "township"), ("太阳河乡", "township"), ("白果乡", "township"),
    ("芭蕉侗族乡", "township"), ("盛家坝乡", "township"), ("屯堡乡", "township"), ("城东管理处", "office"),
    ("城西管理处", "office"), ("开发区管理处", "office"),
]
POSTS = ["党委书记", "村委会主任", "卫生院院长", "小学教师", "种养殖大户", "个体工商户", "茶叶合作社理事长"]
VILLAGE_WORDS = "青龙 白岩 黄泥 石门 茶园 枫香 红岩 双河 高坪 木栗 水田 金龙 凉风 桃花 马鹿 大溪 中坝 五峰".split()


def _setup_django():
    os.environ.update(common.env())
    os.environ["TENANT_SPARE_SCHEMAS"] = "0"  # no spare refills to publish after each provisioning
    import django

    django.setup()


def id_number(born: dt.date, seq: int) -> str:
    """A valid Enshi (422801) ID number, with its GB 11643 check digit."""
    body = f"422801{born:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def build_county(index: int, province, prefecture, *, townships: int = TOWNSHIPS, venues: int = VENUES):
    """A provisioned county with townships, villages and venues (one home per township, then village
    stations): the organisation a roster refers to. Returns (county, venue rows)."""
    from django_tenants.utils import tenant_context

    from organisation.models import Township, Venue, Village
    from tenants.orchestration.provisioning import county_provision

    county = county_provision(name=f"恩施市（基准{index}）", division_code=f"{429000 + index}", slug=f"enshi{index}",
                              province=province, prefecture=prefecture, admin_mobile=f"1380000{index:04d}",
                              admin_name="恩施市人大常委会代工委")
    with tenant_context(county):
        towns = Township.objects.bulk_create([
            Township(name=name, kind=kind, division_code=f"422801{100 + i:03d}")
            for i, (name, kind) in enumerate(ENSHI_TOWNSHIPS[:townships], 1)])
        homes = [Venue(name=f"{t.name}人大代表之家", kind=Venue.Kind.HOME, township=t, address=f"{t.name}政府院内")
                 for t in towns]
        villages = []
        for k in range(venues - len(homes)):
            town = towns[k % len(towns)]
            villages.append(Village(township=town, name=f"{VILLAGE_WORDS[k // len(towns) % len(VILLAGE_WORDS)]}"
                                                          f"{'村' if k % 3 else '社区'}{k}",
                                    division_code=f"{town.division_code}{k + 1:03d}"))
        Village.objects.bulk_create(villages)
        names = {t.pk: t.name for t in towns}
        stations = [Venue(name=f"{names[v.township_id][:2]}{v.name}代表联络站", kind=Venue.Kind.VILLAGE_STATION,
                          township_id=v.township_id, village=v) for v in villages]
        made = Venue.objects.bulk_create(homes + stations)
        rows = [(v.name, names[v.township_id]) for v in made]
    return county, rows


def make_roster(run: int, venues: list[tuple[str, str]], deputies: int, province, prefecture) -> bytes:
    """The roster file of one run: `deputies` people in blocks per venue (the first three of each block
    its group's leader, vice leader and liaison officer), of four levels. The province and prefecture
    deputies' accounts and RegionMandates are made here, beforehand, as the upper tiers would."""
    from core.levels import Level
    from core.xlsx import rows_to_xlsx
    from people.services.roster import COLUMNS
    from tenants.models import Account, RegionMandate

    rng = random.Random(run)
    keys = [key for key, _header in COLUMNS]
    rows, uppers = [], []
    per_venue = [deputies * (i + 1) // len(venues) - deputies * i // len(venues) for i in range(len(venues))]
    n = 0
    for (venue, township), count in zip(venues, per_venue, strict=True):
        for place in range(count):
            n += 1
            born = dt.date(1958, 1, 1) + dt.timedelta(days=n * 11 + rng.randrange(11))
            number = id_number(born, (run * 100 + n % 100) % 1000)
            mobile = f"15{run}{n:08d}"
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if n % 96 == 1:
                levels = "省"
            elif n % 22 == 2:
                levels = "州（市）" if n % 3 else "州（市）、县"
            elif n % 4 == 0:
                levels = "县" if n % 3 else "县、乡"
            else:
                levels = "乡"
            if "省" in levels or "州" in levels:
                uppers.append((mobile, name, Level.PROVINCE if "省" in levels else Level.PREFECTURE))
            row = {
                "name": name, "mobile": mobile, "id_number": number, "ethnicity": rng.choice(ETHNICITIES),
                "employer": township + rng.choice(POSTS), "levels": levels, "venue": venue,
                "group_role": ["组长", "副组长", "联络员"][place] if place < 3 else "组员",
                "status": "在任",
            }
            if "县" in levels:
                row.update(county_term=19, county_district=f"第{n % 120 + 1}选区")
            if "乡" in levels:
                row.update(township_term=20, township_district=f"{township}第{n % 15 + 1}选区", township=township)
            rows.append([row.get(key, "") for key in keys])
    accounts = []
    for mobile, name, _level in uppers:
        account = Account(mobile=mobile, name=name)
        account.set_unusable_password()
        accounts.append(account)
    Account.objects.bulk_create(accounts)
    RegionMandate.objects.bulk_create([
        RegionMandate(account=account, level=level, province=province, term=14 if level == Level.PROVINCE else 9,
                      prefecture=prefecture if level == Level.PREFECTURE else None, started_on=dt.date(2021, 1, 1))
        for account, (_m, _n, level) in zip(accounts, uppers, strict=True)])
    return rows_to_xlsx([str(h) for _k, h in COLUMNS], rows)


def timed_import(county, content: bytes, admin) -> tuple[float, object]:
    from django_tenants.utils import tenant_context

    from people.actors import actor_for
    from people.services.roster import roster_import

    with tenant_context(county):
        actor = actor_for(admin)
        gc.collect()
        began, cpu = time.perf_counter(), time.process_time()
        result = roster_import(actor=actor, content=content, started_on=ON)
        seconds = time.perf_counter() - began
        CPU.append(time.process_time() - cpu)
    if not result.ok:
        raise SystemExit("import refused: " + "; ".join(str(e) for e in result.errors[:5]))
    return seconds, result


def page_queries(county) -> tuple[int, int, int]:
    """Queries of the deputy list's first page of 50 (count + page, everything a row shows) and of the
    county tree (every venue with its deputies and group)."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import tenant_context

    from organisation.selectors import county_tree
    from people.selectors import deputy_list, serving_levels

    with tenant_context(county):
        with CaptureQueriesContext(connection) as listing:
            page = Paginator(deputy_list(), 50).page(1)
            shown = [(d.account.name, serving_levels(d),
                      [m.township.name if m.township else "" for m in d.mandates.all()],
                      [s.venue.name for s in d.current_stationings]) for d in page.object_list]
        with CaptureQueriesContext(connection) as tree:
            county_venues, townships = county_tree()
            seen = 0
            for township in townships:
                for node in township.tree_venues:
                    seen += len([d.account.name for d in node.deputies])
                    if node.group:
                        seen += len([m.deputy.account.name for m in node.group.members.all()])
                seen += len(list(township.villages.all()))
            for node in county_venues:
                seen += len(node.deputies)
    assert len(shown) == 50
    return len(listing), len(tree), seen


def services_one_by_one(county, content: bytes, admin) -> float:
    """The same file through the one-at-a-time services (deputy_create, mandate_add, stationing_add,
    group_member_set), for comparison."""
    from django.db import transaction
    from django_tenants.utils import tenant_context

    from core.levels import Level
    from core.xlsx import xlsx_rows
    from organisation.models import Township, Venue
    from people.actors import actor_for
    from people.services.deputies import deputy_create, group_member_set, mandate_add, stationing_add
    from people.services.roster import COLUMNS

    _headers, body = xlsx_rows(content)
    keys = [key for key, _h in COLUMNS]
    roles = {"组长": "leader", "副组长": "vice_leader", "联络员": "liaison_officer", "组员": "member"}
    with tenant_context(county):
        actor = actor_for(admin)
        townships = {t.name: t for t in Township.objects.all()}
        venues = {v.name: v for v in Venue.objects.all()}
        began = time.perf_counter()
        with transaction.atomic():
            for _n, values in body:
                row = dict(zip(keys, values, strict=False))
                number = row["id_number"]
                deputy = deputy_create(actor=actor, mobile=row["mobile"], name=row["name"], id_number=number,
                                       ethnicity=row["ethnicity"], employer=row["employer"],
                                       gender="male" if int(number[16]) % 2 else "female",
                                       birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])))
                if "县" in row["levels"]:
                    mandate_add(actor=actor, deputy=deputy, level=Level.COUNTY, term=row["county_term"],
                                started_on=ON, electoral_district=row["county_district"])
                if "乡" in row["levels"]:
                    mandate_add(actor=actor, deputy=deputy, level=Level.TOWNSHIP, term=row["township_term"],
                                started_on=ON, township=townships[row["township"]],
                                electoral_district=row["township_district"])
                venue = venues[row["venue"]]
                stationing_add(actor=actor, deputy=deputy, venue=venue, started_on=ON)
                group_member_set(actor=actor, venue=venue, deputy=deputy, role=roles[row["group_role"]])
        return time.perf_counter() - began


def main() -> None:
    print(f"[bench] fresh benchmark database; roster import of {DEPUTIES} deputies, {RUNS} runs", flush=True)
    common.reset_database()
    common.manage("migrate_fleet", "--no-spares")
    _setup_django()
    from django_tenants.utils import tenant_context

    from people.actors import actor_for
    from people.selectors import deputy_list
    from people.services.roster import roster_export
    from tenants.models import Account, Prefecture, Province

    province = Province.objects.create(name="湖北省", division_code="420000")
    prefecture = Prefecture.objects.create(name="恩施土家族苗族自治州", division_code="422800", province=province)

    times, maxrss_growth, results = [], [], []
    CPU.clear()
    counties = []
    for run in range(RUNS):
        county, venues = build_county(run + 1, province, prefecture)
        began = time.perf_counter()
        content = make_roster(run + 1, venues, DEPUTIES, province, prefecture)
        made = time.perf_counter() - began
        admin = Account.objects.get(mobile=f"1380000{run + 1:04d}")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        seconds, result = timed_import(county, content, admin)
        maxrss_growth.append((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024)
        times.append(seconds)
        results.append(result)
        counties.append((county, admin, content))
        print(f"[bench] run {run + 1}: {seconds:.3f} s  (file {len(content) / 1024:.0f} KB made in {made:.2f} s)",
              flush=True)

    import_cpu = list(CPU)
    # Peak memory of the import alone, measured apart: tracemalloc slows Python down, so not in a timed run.
    county, venues = build_county(RUNS + 1, province, prefecture)
    content = make_roster(RUNS + 1, venues, DEPUTIES, province, prefecture)
    admin = Account.objects.get(mobile=f"1380000{RUNS + 1:04d}")
    gc.collect()
    tracemalloc.start()
    timed_import(county, content, admin)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Re-import (everything matched, nothing new) into the first county, several times.
    first, first_admin, first_content = counties[0]
    CPU.clear()
    updates = [timed_import(first, first_content, first_admin) for _ in range(RUNS)]
    update_cpu = list(CPU)
    with tenant_context(first):
        began = time.perf_counter()
        exported = roster_export(actor=actor_for(first_admin), deputies=deputy_list())
        export_seconds = time.perf_counter() - began

    # Query counts: full scale vs a tenth of it (2 townships, 8 venues, 134 deputies).
    full = page_queries(first)
    small_county, small_venues = build_county(RUNS + 2, province, prefecture, townships=2, venues=8)
    small_admin = Account.objects.get(mobile=f"1380000{RUNS + 2:04d}")
    small_content = make_roster(RUNS + 2, small_venues, DEPUTIES // 10, province, prefecture)
    small_seconds, _small = timed_import(small_county, small_content, small_admin)
    tenth = page_queries(small_county)
    # The one-at-a-time services on the tenth-scale file, in another fresh county.
    services_county, services_venues = build_county(RUNS + 3, province, prefecture, townships=2, venues=8)
    services_content = make_roster(RUNS + 3, services_venues, DEPUTIES // 10, province, prefecture)
    services_seconds = services_one_by_one(services_county, services_content,
                                           Account.objects.get(mobile=f"1380000{RUNS + 3:04d}"))

    r = results[0]
    lines = [
        f"Roster import, Enshi scale: {r.rows} deputies ({r.created} created, {r.accounts_created} accounts, "
        f"{r.mandates_created} mandates, {r.stationings_created} stationings, {r.group_places_set} group places) "
        f"at {VENUES} venues in {TOWNSHIPS} townships; file {len(first_content) / 1024:.0f} KB:",
        common.row("import into a fresh county (wall time)", times),
        common.row("  ... CPU time of this process (less sensitive to load)", import_cpu),
        common.row("re-import of the same file (all rows updates)", [s for s, _r in updates]),
        common.row("  ... CPU time of this process", update_cpu),
        common.row("tenth scale (134 deputies), bulk import", [small_seconds]),
        common.row("tenth scale (134 deputies), one-by-one services", [services_seconds]),
        common.row("export of the 1,338 deputies (.xlsx)", [export_seconds]),
        f"  peak memory of one import: tracemalloc peak {peak / 2**20:.1f} MB (Python allocations, separate run); "
        f"ru_maxrss growth during the timed runs {', '.join(f'{m:.1f}' for m in maxrss_growth)} MB "
        f"(process high-water mark; later runs reuse the first run's memory); process maxrss now "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        f"  export file {len(exported) / 1024:.0f} KB",
        "Queries (CaptureQueriesContext):",
        f"  deputy_list() first page of 50 (count + page + prefetches): {full[0]} at 1,338 deputies, "
        f"{tenth[0]} at 134",
        f"  county_tree() with every venue's deputies and group:        {full[1]} at 1,338 deputies "
        f"({full[2]} names shown), {tenth[1]} at 134 ({tenth[2]} names shown)",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
