"""Casework at scale: a county with 20,000 cases.

    ./tests/benchmarks/run casework     (or: python -m tests.benchmarks.bench_casework)

Measures, at 2,000 and at 20,000 cases: the staff case list (a filter and a page, the real view through
the full middleware stack in this process: server time, no network) -- median time and query count; the
daily deadline scan (suggestions and feedback deadlines due soon or overdue, written to the outbox); a
handling unit's yearly scorecard. Prints figures; asserts nothing about time. Targets (issue 5): the list
at <= 30 ms median and <= 10 queries, constant as rows grow.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time

from tests.benchmarks import common

RUNS = int(os.environ.get("JIAZHAN_BENCH_RUNS", "30"))
TOWNSHIPS = 19
CPU: list[float] = []  # this process's CPU time per measured call (less sensitive to a loaded machine)


def _setup_django():
    os.environ.update(common.env())
    os.environ["TENANT_SPARE_SCHEMAS"] = "0"
    import django

    django.setup()


def build_county():
    from django_tenants.utils import tenant_context

    from access.models import Role
    from access.services import membership_grant
    from core.levels import Level
    from organisation.models import HandlingUnit, Township, Venue, Village
    from people.actors import actor_for
    from people.services.deputies import deputy_create, mandate_add, stationing_add
    from tenants.models import Account, Prefecture, Province
    from tenants.orchestration.provisioning import county_provision

    province = Province.objects.create(name="湖北省", division_code="420000")
    prefecture = Prefecture.objects.create(name="恩施土家族苗族自治州", division_code="422800", province=province)
    county = county_provision(name="恩施市（基准）", division_code="422801", slug="enshi-cases", province=province,
                              prefecture=prefecture, admin_mobile="13800000001", admin_name="代工委")
    admin = Account.objects.get(mobile="13800000001")
    with tenant_context(county):
        actor = actor_for(admin)
        towns = Township.objects.bulk_create([Township(name=f"第{i}镇", division_code=f"422801{100 + i:03d}")
                                              for i in range(TOWNSHIPS)])
        villages = Village.objects.bulk_create([Village(township=t, name=f"{t.name}{k}村") for t in towns
                                                for k in range(3)])
        venues = Venue.objects.bulk_create([Venue(name=f"{v.name}联络站", kind=Venue.Kind.VILLAGE_STATION,
                                                  township_id=v.township_id, village=v) for v in villages])
        deputies = []
        for i, venue in enumerate(venues):
            deputy = deputy_create(actor=actor, mobile=f"1391{i:07d}", name=f"代表{i}")
            mandate_add(actor=actor, deputy=deputy, level=Level.COUNTY, term=19, started_on=dt.date(2022, 1, 1))
            stationing_add(actor=actor, deputy=deputy, venue=venue, started_on=dt.date(2022, 1, 1))
            deputies.append(deputy)
        units = HandlingUnit.objects.bulk_create([HandlingUnit(name=f"单位{i}") for i in range(12)])
        staff = Account.objects.create_user("13800000002", "第0镇人大主席团")
        membership_grant(account=staff, role=Role.TOWNSHIP_STAFF, actor=None, township=towns[0])
        unit_person = Account.objects.create_user("13800000003", "单位0承办人")
        membership_grant(account=unit_person, role=Role.HANDLING_UNIT, actor=None, handling_unit=units[0])
    return county, admin, staff, towns, villages, venues, deputies, units


def add_cases(county, n, start_index, towns, villages, venues, deputies, units):
    """Cases with their opinions and transitions, a tenth of them suggestions (assigned, some answered and
    rated), a share in township handling with feedback deadlines -- in bulk."""
    from django_tenants.utils import tenant_context

    from casework.models import (
        Case,
        CaseTransition,
        Opinion,
        Suggestion,
        SuggestionAnswer,
        SuggestionAssignment,
        SuggestionRating,
    )

    rng = random.Random(start_index)
    today = dt.date.today()
    statuses = ["received", "township_handling", "suggestion", "answered", "closed", "closed", "closed"]
    with tenant_context(county):
        cases = []
        for i in range(start_index, start_index + n):
            village = villages[i % len(villages)]
            status = statuses[i % len(statuses)]
            received = today - dt.timedelta(days=rng.randrange(720))
            cases.append(Case(summary=f"第{i}号：道路、饮水、就医等问题", category_id=1 + i % 9,
                              township_id=village.township_id, venue=venues[i % len(venues)],
                              deputy=deputies[i % len(deputies)], status=status, received_on=received,
                              jurisdiction="village" if status == "township_handling" else "",
                              feedback_due_on=(today + dt.timedelta(days=rng.randrange(-20, 30))
                                               if status == "township_handling" else None)))
        Case.objects.bulk_create(cases, batch_size=2000)
        Opinion.objects.bulk_create([Opinion(case=c, content=c.summary, channel="reception", received_on=c.received_on,
                                             village=villages[k % len(villages)], deputy=c.deputy, venue=c.venue,
                                             constituent_name="村民", constituent_mobile=f"139{k:08d}")
                                     for k, c in enumerate(cases, start_index)], batch_size=2000)
        CaseTransition.objects.bulk_create([CaseTransition(case=c, from_status="", to_status="received")
                                            for c in cases], batch_size=2000)
        suggestions = []
        for k, c in enumerate(cases[::10]):
            assigned = today - dt.timedelta(days=rng.randrange(150))
            suggestions.append(Suggestion(title=c.summary, content=c.summary, lead_deputy=c.deputy, case=c,
                                          status=["assigned", "answered", "satisfied", "rehandling"][k % 4],
                                          lead_unit=units[k // 4 % len(units)], assigned_on=assigned,
                                          due_on=assigned + dt.timedelta(days=91), submitted_on=assigned))
        Suggestion.objects.bulk_create(suggestions, batch_size=2000)
        SuggestionAssignment.objects.bulk_create([
            SuggestionAssignment(suggestion=s, unit=s.lead_unit, is_lead=True, assigned_on=s.assigned_on,
                                 return_by=s.assigned_on + dt.timedelta(days=9)) for s in suggestions])
        answered = [s for s in suggestions if s.status in ("answered", "satisfied", "rehandling")]
        SuggestionAnswer.objects.bulk_create([
            SuggestionAnswer(suggestion=s, round=1, unit=s.lead_unit, outcome="solved", content="已办",
                             on_time=k % 5 != 0) for k, s in enumerate(answered)])
        SuggestionRating.objects.bulk_create([
            SuggestionRating(suggestion=s, round=1, process="satisfied",
                             result="unsatisfied" if s.status == "rehandling" else "satisfied")
            for s in answered if s.status != "answered"])
        from django.db import connection

        with connection.cursor() as cursor:  # what autovacuum would have done after a load like this
            cursor.execute("ANALYZE")


def measure(fn, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            began, cpu = time.perf_counter(), time.process_time()
            fn()
            times.append(time.perf_counter() - began)
            CPU.append(time.process_time() - cpu)
        queries.append(len(ctx))
    return times, queries


def list_page(client, url):
    def get():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return get


def figures(county, admin, staff, towns, units, label):
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django_tenants.utils import tenant_context

    from casework.models import Case
    from casework.selectors import unit_scorecard
    from casework.services import deadline_scan
    from notifications.models import Message

    host = county.domains.first().domain
    rows = []
    with override_settings(ROOT_URLCONF="config.urls.county", PUBLIC_SCHEMA_URLCONF="config.urls.platform"):
        clients = {}
        for name, account in (("admin", admin), ("staff", staff)):
            with tenant_context(county):
                client = Client(HTTP_HOST=host)
                client.force_login(account)
            clients[name] = client
        connection.set_schema_to_public()
        with tenant_context(county):
            total = Case.objects.count()
        urls = [
            ("admin: status=open, category, page 1", "admin", "/cases/?status=open&category=3"),
            ("admin: status=open, category, page 2", "admin", "/cases/?status=open&category=3&page=2"),
            ("admin: township + q, page 1", "admin", f"/cases/?township={towns[4].pk}&q=饮水"),
            ("township staff: own township, overdue", "staff", "/cases/?overdue=on"),
            ("township staff: own township, page 2", "staff", "/cases/?page=2"),
        ]
        for title, who, url in urls:
            list_page(clients[who], url)()  # warm
            CPU.clear()
            times, queries = measure(list_page(clients[who], url), RUNS)
            connection.set_schema_to_public()
            rows.append((f"case list, {title}", times, queries, list(CPU)))
    with tenant_context(county):
        Message.objects.all().delete()
        CPU.clear()
        times, queries = measure(lambda: deadline_scan(), 5)
        sent = Message.objects.count()
        rows.append((f"deadline scan (first run wrote {sent} messages; re-runs write none)", times, queries,
                     list(CPU)))
        year = dt.date.today().year
        CPU.clear()
        times, queries = measure(lambda: unit_scorecard(unit_id=units[0].pk, year=year), RUNS)
        card = unit_scorecard(unit_id=units[0].pk, year=year)
        rows.append((f"unit scorecard ({card.assigned} assigned this year, score {card.score})", times, queries,
                     list(CPU)))
    print(f"At {total:,} cases ({label}):", flush=True)
    for title, times, queries, cpu in rows:
        print(f"  {title:<70} median {statistics.median(times) * 1000:7.1f} ms (cpu "
              f"{statistics.median(cpu) * 1000:5.1f} ms)  queries {min(queries)}-{max(queries)}", flush=True)
    return rows


def main() -> None:
    print("[bench] fresh benchmark database; casework at 2,000 and 20,000 cases", flush=True)
    common.reset_database()
    common.manage("migrate_fleet", "--no-spares")
    _setup_django()
    county, admin, staff, towns, villages, venues, deputies, units = build_county()
    began = time.perf_counter()
    add_cases(county, 2000, 0, towns, villages, venues, deputies, units)
    print(f"[bench] 2,000 cases made in {time.perf_counter() - began:.1f} s", flush=True)
    small = figures(county, admin, staff, towns, units, "a tenth")
    began = time.perf_counter()
    add_cases(county, 18000, 2000, towns, villages, venues, deputies, units)
    print(f"[bench] 18,000 more made in {time.perf_counter() - began:.1f} s", flush=True)
    large = figures(county, admin, staff, towns, units, "full")
    print("Query counts constant as rows grow (list pages):",
          all(max(a[2]) == max(b[2]) for a, b in zip(small[:5], large[:5], strict=True)), flush=True)


if __name__ == "__main__":
    main()
