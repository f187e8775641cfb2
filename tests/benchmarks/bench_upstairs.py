"""The upper tiers' inbox at scale: a prefecture with 20,000 escalated items.

    ./tests/benchmarks/run upstairs     (or: python -m tests.benchmarks.bench_upstairs)

Measures, at 2,000 and at 20,000 items (half the prefecture's, half the province's): the inbox page and the
API list as the prefecture's staff (page 1, a later page, a status filter), as the province's staff, and as a
unit holding 500 items -- the real views through the full middleware stack in this process (server time, no
network): median time and query count. Prints figures; asserts nothing about time. Target (issue 13): <= 10
queries, constant as rows grow; 50 a page, every item reachable (no cap).
"""

from __future__ import annotations

import os
import statistics
import time

from tests.benchmarks import common
from tests.benchmarks.bench_casework import CPU, RUNS, _setup_django, list_page, measure

UNIT_ITEMS = 500


def build():
    from tenants.models import Account, Prefecture, Province, RegionRole, RegionUnit
    from tenants.orchestration.provisioning import county_provision

    province = Province.objects.create(name="湖北省", division_code="420000")
    prefecture = Prefecture.objects.create(name="恩施土家族苗族自治州", division_code="422800", province=province)
    county = county_provision(name="恩施市（基准）", division_code="422801", slug="enshi-up", province=province,
                              prefecture=prefecture, admin_mobile="13800000001", admin_name="代工委")
    staff = Account.objects.create_user("13800000011", "州人大工作人员")
    RegionRole.objects.create(account=staff, role=RegionRole.Role.PREFECTURE_STAFF, province=province,
                              prefecture=prefecture)
    province_staff = Account.objects.create_user("13800000012", "省人大工作人员")
    RegionRole.objects.create(account=province_staff, role=RegionRole.Role.PROVINCE_STAFF, province=province)
    unit = RegionUnit.objects.create(province=province, prefecture=prefecture, name="州住建局")
    unit_account = Account.objects.create_user("13800000013", "州住建局承办人")
    unit.members.add(unit_account)
    return county, staff, province_staff, unit, unit_account


def add_items(county, n, start, unit, staff):
    """Items with their opening transition, alternately the prefecture's and the province's, in every status;
    the unit holds the first UNIT_ITEMS of the prefecture's open or accepted ones."""
    from django.db import connection

    from tenants.models import Escalation, EscalationAssignment, EscalationTransition

    statuses = ["open", "accepted", "drafted", "answered", "returned", "withdrawn"]
    items = []
    for i in range(start, start + n):
        prefecture_level = i % 2 == 0
        items.append(Escalation(county=county, case_id=i + 1, province_id=county.province_id,
                                level="prefecture" if prefecture_level else "province",
                                prefecture_id=county.prefecture_id if prefecture_level else None,
                                summary=f"第{i}号：州道、省道养护与跨县饮水工程", status=statuses[i % len(statuses)],
                                routing_note="属上级事权"))
    Escalation.objects.bulk_create(items, batch_size=2000)
    EscalationTransition.objects.bulk_create([
        EscalationTransition(escalation=e, action="escalation.open", from_status="", to_status="open",
                             to_level=e.level) for e in items], batch_size=2000)
    held = EscalationAssignment.objects.filter(unit=unit).count()
    wanted = [e for e in items if e.level == "prefecture" and e.status in ("accepted", "drafted")]
    EscalationAssignment.objects.bulk_create([EscalationAssignment(escalation=e, unit=unit)
                                              for e in wanted[:max(0, UNIT_ITEMS - held)]])
    with connection.cursor() as cursor:  # what autovacuum would have done after a load like this
        cursor.execute("ANALYZE")


def figures(people, label):
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from tenants.models import Escalation

    rows = []
    with override_settings(ROOT_URLCONF="config.urls.county", PUBLIC_SCHEMA_URLCONF="config.urls.platform"):
        connection.set_schema_to_public()
        clients = {}
        for name, account in people.items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(account)
            clients[name] = client
        total = Escalation.objects.count()
        urls = [
            ("prefecture staff: inbox page 1", "staff", "/inbox/"),
            ("prefecture staff: inbox page 15", "staff", "/inbox/?page=15"),
            ("prefecture staff: inbox status=open", "staff", "/inbox/?status=open"),
            ("prefecture staff: API list page 1", "staff", "/api/v1/escalations/"),
            ("prefecture staff: API list page 15", "staff", "/api/v1/escalations/?page=15"),
            ("province staff: inbox page 1", "province", "/inbox/"),
            ("unit (500 items): inbox page 1", "unit", "/inbox/"),
            ("unit (500 items): API list page 1", "unit", "/api/v1/escalations/"),
        ]
        for title, who, url in urls:
            list_page(clients[who], url)()  # warm
            CPU.clear()
            times, queries = measure(list_page(clients[who], url), RUNS)
            connection.set_schema_to_public()
            rows.append((title, times, queries, list(CPU)))
    print(f"At {total:,} items ({label}):", flush=True)
    for title, times, queries, cpu in rows:
        print(f"  {title:<50} median {statistics.median(times) * 1000:7.1f} ms (cpu "
              f"{statistics.median(cpu) * 1000:5.1f} ms)  queries {min(queries)}-{max(queries)}", flush=True)
    return rows


def main() -> None:
    print("[bench] fresh benchmark database; the upstairs inbox at 2,000 and 20,000 items", flush=True)
    common.reset_database()
    common.manage("migrate_fleet", "--no-spares")
    _setup_django()
    os.environ["TENANT_SPARE_SCHEMAS"] = "0"
    county, staff, province_staff, unit, unit_account = build()
    people = {"staff": staff, "province": province_staff, "unit": unit_account}
    began = time.perf_counter()
    add_items(county, 2000, 0, unit, staff)
    print(f"[bench] 2,000 items made in {time.perf_counter() - began:.1f} s", flush=True)
    small = figures(people, "a tenth")
    add_items(county, 18000, 2000, unit, staff)
    large = figures(people, "full")
    print("Query counts constant as rows grow:",
          all(max(a[2]) == max(b[2]) for a, b in zip(small, large, strict=True)), flush=True)


if __name__ == "__main__":
    main()
