"""Rollups: the upper tiers' figures are the sums of their counties' own; the nightly rebuild finds no
drift after it has run, finds and corrects a corrupted fact; re-division lineage; a write refreshes the
months it touched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from casework.models import Case
from casework.services import opinion_receive
from organisation.models import Redivision, RedivisionLink, Township
from people.actors import actor_for
from tenants.figures import dashboard, prefectures_of, scope_for
from tenants.models import COUNTY_TOTAL, Account, County, Prefecture, RollupFact, RollupRun
from tenants.orchestration.provisioning import county_provision
from tenants.orchestration.rollups import compute, follow, tasks
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
                and key not in ("scope", "period", "comparison")}
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
    # Side by side: one row per county, and per prefecture.
    assert [row["id"] for row in province["comparison"]] == [alpha.pk, beta.pk, gamma.pk]
    assert {row["id"]: row["cases_received"] for row in prefectures_of(province["comparison"])} == {
        world.prefecture.pk: prefecture["cases"]["received"]["number"],
        gamma.prefecture_id: other["cases"]["received"]["number"]}


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


def test_a_write_refreshes_the_month_it_touched_once_per_transaction(world, django_capture_on_commit_callbacks):
    alpha = world.alpha
    rebuild(alpha)
    scope = scope_for(level="county", pk=alpha.pk)
    before = dashboard(scope=scope, first=FIRST, last=LAST, today=TODAY)["cases"]["received"]["number"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks, schema_context(alpha.schema_name):
        actor = actor_for(world.admin_a)
        opinion_receive(actor=actor, content="路灯不亮", channel="phone", received_on=TODAY)
        opinion_receive(actor=actor, content="路面破损", channel="visit", received_on=TODAY)
        items, _marker = connection._rollups_pending
    assert len(callbacks) == 1  # one refresh for the transaction, however many writes
    assert follow.slices_of([]) == {}
    with schema_context(alpha.schema_name):
        assert follow.slices_of(items) == {"cases": {TODAY.replace(day=1)}}
        changed = tasks.refresh.run(items)
    assert changed > 0
    after = dashboard(scope=scope, first=FIRST, last=LAST, today=TODAY)["cases"]["received"]["number"]
    assert after == before + 2
    assert rebuild(alpha).drift == 0  # the refresh left nothing for the nightly check to correct


def test_the_county_of_a_fact_is_the_only_reference_to_a_county(world):
    """Facts carry counts and unit names only: no field could hold a constituent's or a deputy's data."""
    names = {field.name for field in RollupFact._meta.get_fields()}
    assert names == {"id", "county", "township_id", "township_name", "month", "metric", "key", "due_on", "value"}
    assert County.objects.filter(pk=world.alpha.pk).exists()
