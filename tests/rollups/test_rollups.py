"""Rollups: the upper tiers' figures are the sums of their counties' own; the nightly rebuild finds no
drift after it has run, finds and corrects a corrupted fact; re-division lineage; a write refreshes the
months it touched."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.services import audit_record
from casework.models import Case, RoutingRule
from casework.services import case_route, opinion_receive
from organisation.models import Redivision, RedivisionLink, Township, Venue
from people.actors import actor_for
from tenants.figures import county_comparison, dashboard, prefectures_of, scope_for
from tenants.models import (
    COUNTY_TOTAL,
    STATE_MONTH,
    Account,
    County,
    CountyHeadline,
    Prefecture,
    Province,
    RegionFact,
    RollupFact,
    RollupRun,
)
from tenants.orchestration.provisioning import county_provision
from tenants.orchestration.rollups import compute, follow, regions, tasks
from tests.conftest import _build_organisation
from tests.rollups.data import TODAY, fill, rebuild

pytestmark = pytest.mark.django_db

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 12, 1)


@pytest.fixture
def three_counties(world):
    """Alpha and Beta (测试州) and Gamma, a county of another prefecture of the same province."""
    other = Prefecture.objects.create(name="测试二州", division_code="990200", province=world.province)
    gamma = county_provision(name="丙县", division_code="990201", slug="gamma", province=world.province,
                             prefecture=other, admin_mobile="13700000003", admin_name="丙县管理员")
    _build_organisation(gamma, Account.objects.get(mobile="13700000003"), suffix="丙")
    counties = [world.alpha, world.beta, gamma]
    for seed, county in enumerate(counties):
        fill(county, seed=seed)
        rebuild(county)
    return counties


def _additive(figures):
    """The figures with what does not add up across units left out: percentages (their numerators and
    denominators stay) and ratios."""
    if isinstance(figures, dict):
        return {key: _additive(value) for key, value in figures.items()
                if not (key == "number" and ("numerator" in figures or "deputies" in figures))
                and key not in ("scope", "period", "comparison", "comparison_page", "comparison_prefectures")}
    if isinstance(figures, list):
        if figures and "month" in figures[0]:
            return {row["month"]: _additive({k: v for k, v in row.items() if k != "month"}) for row in figures}
        if figures and "unit" in figures[0]:
            return {row["unit"]: _additive({k: v for k, v in row.items() if k != "unit"}) for row in figures}
    return figures


def _sum(a, b):
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a or {}, b or {}
        return {key: _sum(a.get(key), b.get(key)) for key in a.keys() | b.keys()}
    return (a or 0) + (b or 0)


def _drop_zeros(figures):
    if isinstance(figures, dict):
        kept = {key: _drop_zeros(value) for key, value in figures.items()}
        return {key: value for key, value in kept.items() if value not in (0, 0.0, {})}
    return figures


def _sum_of(counties):
    total: dict = {}
    for county in counties:
        own = dashboard(scope=scope_for(level="county", pk=county.pk), first=FIRST, last=LAST, today=TODAY)
        total = _sum(total, _additive(own))
    return _drop_zeros(total)


def test_province_and_prefecture_figures_are_the_sums_of_their_counties(world, three_counties):
    alpha, beta, gamma = three_counties
    province = dashboard(scope=scope_for(level="province", pk=world.province.pk), first=FIRST, last=LAST,
                         today=TODAY)
    assert province["cases"]["received"]["number"] > 0
    assert _drop_zeros(_additive(province)) == _sum_of([alpha, beta, gamma])
    prefecture = dashboard(scope=scope_for(level="prefecture", pk=world.prefecture.pk), first=FIRST, last=LAST,
                           today=TODAY)
    assert _drop_zeros(_additive(prefecture)) == _sum_of([alpha, beta])
    other = dashboard(scope=scope_for(level="prefecture", pk=gamma.prefecture_id), first=FIRST, last=LAST,
                      today=TODAY)
    assert _drop_zeros(_additive(other)) == _sum_of([gamma])
    # Side by side: one row per county, and per prefecture (read from the prefectures' own rows: the same
    # as their counties' rows summed).
    assert [row["id"] for row in province["comparison"]] == [alpha.pk, beta.pk, gamma.pk]
    assert province["comparison_page"] == {"number": 1, "size": 50, "pages": 1, "total": 3, "sort": "code",
                                           "order": "asc"}
    assert province["comparison_prefectures"] == prefectures_of(province["comparison"])
    assert {row["id"]: row["cases_received"] for row in province["comparison_prefectures"]} == {
        world.prefecture.pk: prefecture["cases"]["received"]["number"],
        gamma.prefecture_id: other["cases"]["received"]["number"]}
    assert [row["id"] for row in prefecture["comparison"]] == [alpha.pk, beta.pk]
    assert "comparison_prefectures" not in prefecture
    # Each county's row is its own dashboard's numbers.
    for row in province["comparison"]:
        own = dashboard(scope=scope_for(level="county", pk=row["id"]), first=FIRST, last=LAST, today=TODAY)
        assert (row["cases_received"], row["duty_records"], row["deputies"]) == (
            own["cases"]["received"]["number"], own["duties"]["records"]["number"],
            own["deputies"]["by_level"]["number"])


def test_the_counties_are_compared_a_page_at_a_time_sorted_in_sql(world, three_counties):
    alpha, beta, gamma = three_counties
    silent = County.objects.create(name="丁县", division_code="990202", slug="delta", schema_name="delta",
                                   province=world.province, prefecture=gamma.prefecture)  # nothing in the period
    province = scope_for(level="province", pk=world.province.pk)
    whole = {row["id"]: row for row in county_comparison(scope=province, first=FIRST, last=LAST, size=None)["rows"]}
    assert set(whole) == {alpha.pk, beta.pk, gamma.pk, silent.pk} and whole[silent.pk]["cases_received"] == 0
    for sort in ("cases_received", "duty_records", "sessions_held"):
        wanted = sorted(whole, key=lambda pk: (-whole[pk][sort], County.objects.get(pk=pk).division_code))
        first = county_comparison(scope=province, first=FIRST, last=LAST, sort=sort, size=2)
        second = county_comparison(scope=province, first=FIRST, last=LAST, sort=sort, page=2, size=2)
        assert first["page"] == {"number": 1, "size": 2, "pages": 2, "total": 4, "sort": sort, "order": "desc"}
        assert [row["id"] for row in first["rows"] + second["rows"]] == wanted, sort
        assert [whole[row["id"]] for row in first["rows"] + second["rows"]] == first["rows"] + second["rows"]
        rising = county_comparison(scope=province, first=FIRST, last=LAST, sort=sort, order="asc", size=2)
        assert rising["rows"][0]["id"] == silent.pk  # the last of the ranking are seen
    # Past the last page: the last page. Through dashboard(): the same page and its description.
    assert county_comparison(scope=province, first=FIRST, last=LAST, page=9, size=3)["page"]["number"] == 2
    data = dashboard(scope=province, first=FIRST, last=LAST, today=TODAY, sort="cases_open", page=2, page_size=3)
    assert data["comparison_page"]["number"] == 2 and len(data["comparison"]) == 1
    assert len(data["comparison_prefectures"]) == 2  # prefectures whole, whatever the page
    by_rate = county_comparison(scope=province, first=FIRST, last=LAST, sort="attendance_rate")["rows"]
    assert by_rate[-1]["id"] == silent.pk  # no expected attendance: no rate, last
    with pytest.raises(ValueError):
        county_comparison(scope=province, first=FIRST, last=LAST, sort="name; DROP TABLE x")


def test_the_province_shows_its_counties_under_no_prefecture_as_one_row(world, three_counties):
    alpha, beta, gamma = three_counties
    County.objects.filter(pk=gamma.pk).update(prefecture=None)
    regions.rebuild()  # the prefecture rows follow the counties
    province = dashboard(scope=scope_for(level="province", pk=world.province.pk), first=FIRST, last=LAST,
                         today=TODAY)
    gamma_row = next(row for row in province["comparison"] if row["id"] == gamma.pk)
    direct = province["comparison_prefectures"][-1]
    assert direct["id"] is None and direct["name"] == "省直管"
    assert {k: v for k, v in direct.items() if k not in ("level", "id", "name")} == {
        k: v for k, v in gamma_row.items() if k not in ("level", "id", "name", "prefecture", "prefecture_name")}


def test_the_county_figures_are_the_sums_of_its_townships(world, three_counties):
    alpha = three_counties[0]
    county = dashboard(scope=scope_for(level="county", pk=alpha.pk), first=FIRST, last=LAST, today=TODAY)
    townships = [row["id"] for row in county["comparison"]]
    total: dict = {}
    for township in townships:
        scope = scope_for(level="township", pk=township, county=alpha)
        total = _sum(total, _additive(dashboard(scope=scope, first=FIRST, last=LAST, today=TODAY)))
    assert _drop_zeros(total) == _drop_zeros(_additive(county))


def test_figures_match_the_source_rows(world, three_counties):
    alpha = three_counties[0]
    with schema_context(alpha.schema_name):
        cases = Case.objects.exclude(status="merged").filter(received_on__gte=FIRST)
        expected_received = cases.count()
        expected_overdue = Case.objects.filter(status__in=compute.OPEN_CASE_STATUSES, feedback_sent_on__isnull=True,
                                        feedback_due_on__lt=TODAY).count()
    figures = dashboard(scope=scope_for(level="county", pk=alpha.pk), first=FIRST, last=LAST, today=TODAY)
    assert figures["cases"]["received"]["number"] == expected_received
    assert sum(figures["cases"]["received"]["by_channel"].values()) == expected_received
    assert figures["cases"]["overdue"]["number"] == expected_overdue
    assert figures["reception"]["held"]["number"] == 4
    assert figures["reception"]["cancelled"]["number"] == 1
    assert figures["stations"]["funds"] == {"budget": 12.5, "disbursed": 10.0, "spent": 7.25}


def test_after_the_nightly_rebuild_the_drift_is_0(world, three_counties):
    for county in three_counties:
        run = rebuild(county)
        assert run.drift == 0, county.name
        assert run.facts == RollupFact.objects.filter(county=county).count()
    assert RollupRun.objects.filter(county__in=three_counties).count() == 6


def test_a_corrupted_fact_is_found_as_drift_and_corrected(world, three_counties):
    alpha = three_counties[0]
    fact = RollupFact.objects.filter(county=alpha, metric="case.received.tier", township_id=COUNTY_TOTAL).first()
    right = fact.value
    fact.value += 7
    fact.save()
    RollupFact.objects.create(county=alpha, township_id=COUNTY_TOTAL, month=FIRST, metric="case.received.tier",
                              key="nowhere", value=3)
    missing = RollupFact.objects.filter(county=alpha, metric="duty.kind").exclude(pk=fact.pk).first()
    missing.delete()
    assert rebuild(alpha).drift == 3
    fact.refresh_from_db()
    assert fact.value == right
    assert not RollupFact.objects.filter(county=alpha, key="nowhere").exists()
    assert rebuild(alpha).drift == 0


def test_a_merged_townships_figures_go_to_its_successor_from_the_effective_date(world):
    alpha, ids = world.alpha, world.ids
    effective_on = dt.date(2026, 6, 15)
    with schema_context(alpha.schema_name):
        Case.objects.bulk_create([
            Case(summary="合并前", township_id=ids["west"], received_on=dt.date(2026, 6, 10)),
            Case(summary="合并当日", township_id=ids["west"], received_on=effective_on),
            Case(summary="合并后", township_id=ids["west"], received_on=dt.date(2026, 7, 2)),
        ])
        merge = Redivision.objects.create(kind=Redivision.Kind.MERGE, effective_on=effective_on)
        RedivisionLink.objects.create(redivision=merge, predecessor_id=ids["west"], successor_id=ids["east"])
        Township.objects.filter(pk=ids["west"]).update(ended_on=effective_on)
        facts = compute.cases(None, compute.Lineage())
    received = {(township, month): n for (township, month, metric, key, _due), n in facts.items()
                if metric == "case.received.tier"}
    assert received[(ids["west"], dt.date(2026, 6, 1))] == 1
    assert received[(ids["east"], dt.date(2026, 6, 1))] == 1
    assert received[(ids["east"], dt.date(2026, 7, 1))] == 1
    assert (ids["west"], dt.date(2026, 7, 1)) not in received


def test_a_write_refreshes_the_month_it_touched_once_per_transaction(world, django_capture_on_commit_callbacks,
                                                                     monkeypatch):
    alpha = world.alpha
    rebuild(alpha)
    published = []
    monkeypatch.setattr(follow, "publish", lambda name, schema, items: published.append((name, schema, items)))
    scope = scope_for(level="county", pk=alpha.pk)
    before = dashboard(scope=scope, first=FIRST, last=LAST, today=TODAY)["cases"]["received"]["number"]
    follow.flush(alpha.schema_name)  # nothing left over from earlier tests
    published.clear()
    with django_capture_on_commit_callbacks(execute=True), schema_context(alpha.schema_name):
        actor = actor_for(world.admin_a)
        opinion_receive(actor=actor, content="路灯不亮", channel="phone", received_on=TODAY)
        opinion_receive(actor=actor, content="路面破损", channel="visit", received_on=TODAY)
    assert len(published) == 1  # one refresh for the transaction, however many writes
    name, schema, items = published[0]
    assert (name, schema) == (follow.REFRESH_TASK, alpha.schema_name) and len(items) >= 2
    assert follow.pending(alpha.schema_name) == []
    assert follow.slices_of([]) == {}
    with schema_context(alpha.schema_name):
        # New cases have no feedback deadline yet: the cases awaiting feedback are left alone.
        assert follow.slices_of(items) == {"cases": {TODAY.replace(day=1)}}
        changed = tasks.refresh.run(items)
    assert changed > 0
    after = dashboard(scope=scope, first=FIRST, last=LAST, today=TODAY)["cases"]["received"]["number"]
    assert after == before + 2
    assert rebuild(alpha).drift == 0  # the refresh left nothing for the nightly check to correct


def test_a_rolled_back_write_publishes_nothing_and_the_next_commit_still_refreshes(world, monkeypatch,
                                                                                   django_capture_on_commit_callbacks):
    alpha = world.alpha
    published = []
    monkeypatch.setattr(follow, "publish", lambda name, schema, items: published.append(items))
    follow.flush(alpha.schema_name)
    published.clear()
    with django_capture_on_commit_callbacks(execute=True), schema_context(alpha.schema_name):
        actor = actor_for(world.admin_a)
        try:
            with transaction.atomic():
                opinion_receive(actor=actor, content="撤回", channel="phone", received_on=TODAY)
                raise RuntimeError
        except RuntimeError:
            pass
        assert published == []
        opinion_receive(actor=actor, content="保留", channel="phone", received_on=TODAY)
    assert len(published) == 1


def test_a_refresh_of_a_month_with_cases_awaiting_feedback(world, monkeypatch, django_capture_on_commit_callbacks):
    """Routing a case gives it a feedback deadline: the refresh recomputes the cases awaiting feedback
    (present state) with its month, and the overdue figure follows; nothing is left for the nightly check."""
    alpha = world.alpha
    fill(alpha, seed=5)
    rebuild(alpha)
    published = []
    monkeypatch.setattr(follow, "publish", lambda name, schema, items: published.append(items))
    follow.flush(alpha.schema_name)
    published.clear()
    scope = scope_for(level="county", pk=alpha.pk)
    today = timezone.localdate()
    month = today.replace(day=1)
    before = dashboard(scope=scope, first=month, last=month, today=today)
    with schema_context(alpha.schema_name):
        assert Case.objects.filter(status__in=compute.OPEN_CASE_STATUSES, feedback_sent_on__isnull=True,
                                   feedback_due_on__isnull=False).exists()  # the month has cases awaiting
        RoutingRule.objects.update_or_create(jurisdiction="township", defaults={"route": "township"})
        with django_capture_on_commit_callbacks(execute=True):
            actor = actor_for(world.admin_a)
            case = opinion_receive(actor=actor, content="路灯不亮", channel="phone", received_on=today,
                                   venue=Venue.objects.filter(township__isnull=False).first()).case
            case_route(actor=actor, case=case, jurisdiction="township")
        case.refresh_from_db()
        assert case.feedback_due_on is not None
        (items,) = published
        assert follow.slices_of(items) == {"cases": {month, STATE_MONTH}}
        tasks.refresh.run(items)
    later = case.feedback_due_on + dt.timedelta(days=1)
    after = dashboard(scope=scope, first=month, last=month, today=later)
    assert after["cases"]["received"]["number"] == before["cases"]["received"]["number"] + 1
    still = dashboard(scope=scope, first=month, last=month, today=later)["cases"]["overdue"]["number"]
    with schema_context(alpha.schema_name):
        expected = Case.objects.filter(status__in=compute.OPEN_CASE_STATUSES, feedback_sent_on__isnull=True,
                                       feedback_due_on__lt=later).count()
    assert still == expected
    assert rebuild(alpha).drift == 0


def test_the_county_of_a_fact_is_the_only_reference_to_a_county(world):
    """Facts carry counts and unit names only: no field could hold a constituent's or a deputy's data."""
    names = {field.name for field in RollupFact._meta.get_fields()}
    assert names == {"id", "county", "township_id", "township_name", "month", "metric", "key", "due_on", "value"}
    assert County.objects.filter(pk=world.alpha.pk).exists()


def _region_rows():
    return {(level, region, month, metric, key, due_on): value for level, region, month, metric, key, due_on, value
            in RegionFact.objects.values_list("level", "region_id", "month", "metric", "key", "due_on", "value")}


def _summed_county_totals():
    found: dict = {}
    for province, prefecture, month, metric, key, due_on, value in (
            RollupFact.objects.filter(township_id=COUNTY_TOTAL)
            .values_list("county__province_id", "county__prefecture_id", "month", "metric", "key", "due_on", "value")):
        for level, region in (("province", province), ("prefecture", prefecture)):
            found[(level, region, month, metric, key, due_on)] = found.get(
                (level, region, month, metric, key, due_on), 0) + value
    return {key: value for key, value in found.items() if value}


def test_region_rows_are_the_sums_of_the_county_totals_after_random_writes_and_the_rebuild(
        world, three_counties, monkeypatch, django_capture_on_commit_callbacks):
    published = []
    monkeypatch.setattr(follow, "publish", lambda name, schema, items: published.append((schema, items)))
    assert _region_rows() == _summed_county_totals()  # built by the county rebuilds' differences
    rng = random.Random(11)
    admins = {world.alpha.pk: world.admin_a, world.beta.pk: world.admin_b,
              three_counties[2].pk: Account.objects.get(mobile="13700000003")}
    for step in range(12):
        county = rng.choice(three_counties)
        follow.flush(county.schema_name)
        published.clear()
        with schema_context(county.schema_name), django_capture_on_commit_callbacks(execute=True):
            actor = actor_for(admins[county.pk])
            day = TODAY - dt.timedelta(days=rng.randrange(300))
            if step % 3 == 2:  # a case closed or merged away: its figures leave their month
                case = Case.objects.exclude(status="merged").order_by("?").first()
                Case.objects.filter(pk=case.pk).update(status="merged")
                audit_record(actor=actor, action="case.merge", target=case, data={})
            else:
                opinion_receive(actor=actor, content=f"随机{step}", channel=rng.choice(["phone", "visit"]),
                                received_on=day)
        with schema_context(county.schema_name):
            for _schema, items in published:
                tasks.refresh.run(items)
    assert _region_rows() == _summed_county_totals()
    assert regions.rebuild().drift == 0
    # A region row changed by hand is found and corrected by the nightly rebuild.
    row = RegionFact.objects.filter(level="province").first()
    row.value += 5
    row.save()
    CountyHeadline.objects.filter(county=world.alpha).delete()
    run = regions.rebuild()
    assert run.county is None and run.drift > 1
    assert _region_rows() == _summed_county_totals()
    assert regions.rebuild().drift == 0


def test_a_region_being_rebuilt_holds_up_the_refreshes_of_its_own_counties_only(world):
    """The region job locks one region at a time: while a prefecture is rebuilt (its lock held by another
    session), a county of another prefecture still writes its differences; one of that prefecture waits.
    (Counties of a region of their own: this test's transaction holds the world's regions' shared locks
    from the refreshes of its set-up until it ends.)"""
    import psycopg
    from django.db import OperationalError, connection

    province = Province.objects.create(name="锁测试省", division_code="970000")
    near, far = (Prefecture.objects.create(name=f"锁测试州{i}", division_code=f"97{i}00", province=province)
                 for i in "12")
    alpha, gamma = (County.objects.create(name=f"锁测试县{i}", division_code=f"97{i}01", slug=f"lock-{i}",
                                          schema_name=f"lock_{i}", province=province, prefecture=prefecture)
                    for i, prefecture in (("1", near), ("2", far)))
    change = {(FIRST, "case.received.tier", "township", None): 1}
    other = psycopg.connect(**{k: v for k, v in connection.get_connection_params().items()
                               if k not in ("cursor_factory", "context")}, autocommit=True)
    try:
        other.execute("SET lock_timeout = '10s'")  # never a hang, whatever goes wrong
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '300ms'")
        # (The province first: a refresh that succeeds keeps its shared locks until this test's transaction
        # ends, a refresh that times out gives them back with its savepoint.)
        for level, region, waits in (("province", province.pk, {alpha, gamma}), ("prefecture", near.pk, {alpha})):
            with other.transaction():
                other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [regions.REGION_LOCKS[level], region])
                for county in (alpha, gamma):
                    if county in waits:
                        with pytest.raises(OperationalError), transaction.atomic():
                            regions.apply(county, change)
                    else:
                        with transaction.atomic():
                            regions.apply(county, change)
    finally:
        other.close()
    # Once the region's turn is over, its counties write again.
    with transaction.atomic():
        regions.apply(alpha, change)
    assert RegionFact.objects.get(level="province", region_id=province.pk).value == 2
