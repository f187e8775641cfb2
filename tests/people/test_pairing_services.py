"""Pairing county deputies with township deputies (1:10 by default): the proposal, its limits, who runs it,
compliance, and the county's rule, as services with the World's actors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.levels import Level, MandateStatus
from organisation.models import Township
from people.models import Deputy, Mandate, Pairing, PairingRule
from people.services.deputies import (
    mandate_add,
)
from people.services.pairing import (
    county_deputies,
    may_run_pairing,
    pairing_apply_proposal,
    pairing_compliance,
    pairing_create,
    pairing_end,
    pairing_proposal,
    township_deputies,
)

pytestmark = pytest.mark.django_db

START = dt.date(2021, 10, 1)
ON = dt.date(2024, 3, 1)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- pairing ----------------------------------------------------------------------------------------------


def _limit(n: int) -> None:
    PairingRule.current()
    PairingRule.objects.filter(pk=1).update(township_deputies_per_county_deputy=n)


def _load() -> dict[int, int]:
    load: dict[int, int] = {}
    for county_id in Pairing.objects.filter(ended_on__isnull=True).values_list("county_deputy_id", flat=True):
        load[county_id] = load.get(county_id, 0) + 1
    return load


def _retire(*deputies: Deputy) -> None:
    Mandate.objects.filter(deputy__in=deputies).update(status=MandateStatus.RESIGNED, ended_on=dt.date(2023, 1, 1))


def test_pairing_proposal_pairs_same_township_first(cast):
    west_county = cast.new_deputy("西乡县代表", level=Level.COUNTY, venue=cast.v2)
    proposal = pairing_proposal()
    assert sorted(proposal) == sorted([(cast.deputy.pk, cast.township_deputy.pk),
                                       (west_county.pk, cast.west_deputy.pk)])


def test_pairing_proposal_keeps_local_places_for_local_deputies(cast):
    """A deputy from a township with no county deputy must not take the only place a local could have."""
    _retire(cast.township_deputy, cast.west_deputy)
    _limit(1)
    south = Township.objects.create(name="南乡")
    elsewhere = cast.new_deputy("南乡代表", level=Level.TOWNSHIP, township=south)  # lower id: comes first
    local = cast.new_deputy("东镇新代表", level=Level.TOWNSHIP, township=cast.east)
    west_county = cast.new_deputy("西乡县代表", level=Level.COUNTY, venue=cast.v2)
    assert sorted(pairing_proposal()) == sorted([(cast.deputy.pk, local.pk), (west_county.pk, elsewhere.pk)])


def test_pairing_proposal_is_balanced_and_never_over_the_limit(cast):
    _retire(cast.township_deputy, cast.west_deputy)
    south = Township.objects.create(name="南乡")
    west_county = cast.new_deputy("西乡县代表", level=Level.COUNTY, venue=cast.v2)
    township = [cast.new_deputy(f"南乡代表{i}", level=Level.TOWNSHIP, township=south) for i in range(7)]
    proposal = pairing_proposal()
    counts = [sum(1 for c, _t in proposal if c == county) for county in (cast.deputy.pk, west_county.pk)]
    assert sorted(counts) == [3, 4] and {t for _c, t in proposal} == {d.pk for d in township}
    # with a limit of 2 and one place already taken, only three more fit
    _limit(2)
    pairing_create(actor=cast.admin, county_deputy=cast.deputy, township_deputy=township[0], started_on=ON)
    proposal = pairing_proposal()
    assert len(proposal) == 3
    load = _load()
    for county, _t in proposal:
        load[county] = load.get(county, 0) + 1
    assert max(load.values()) == 2


def test_pairing_create_over_the_limit_is_refused_and_saves_nothing(cast):
    _limit(1)
    pairing_create(actor=cast.admin, county_deputy=cast.deputy, township_deputy=cast.township_deputy, started_on=ON)
    with pytest.raises(ValidationError) as error:
        pairing_create(actor=cast.admin, county_deputy=cast.deputy, township_deputy=cast.west_deputy, started_on=ON)
    assert "达到上限 1 名" in _messages(error.value)
    assert Pairing.objects.count() == 1


def test_a_township_deputy_is_paired_once(cast):
    other = cast.new_deputy("另一县代表", level=Level.COUNTY)
    pairing_create(actor=cast.admin, county_deputy=cast.deputy, township_deputy=cast.township_deputy, started_on=ON)
    with pytest.raises(ValidationError) as error:
        pairing_create(actor=cast.admin, county_deputy=other, township_deputy=cast.township_deputy, started_on=ON)
    assert "已有结对的县级代表" in _messages(error.value)
    assert Pairing.objects.count() == 1


def test_two_level_deputies_pair_as_county_deputies(cast):
    both = cast.new_deputy("两级代表", level=Level.TOWNSHIP, township=cast.east, venue=cast.home)
    mandate_add(actor=cast.admin, deputy=both, level=Level.COUNTY, term=17, started_on=START)
    assert both in county_deputies() and both not in township_deputies()
    with pytest.raises(ValidationError) as error:
        pairing_create(actor=cast.admin, county_deputy=cast.deputy, township_deputy=both, started_on=ON)
    assert "不是在任乡镇级代表" in _messages(error.value)
    with pytest.raises(ValidationError):
        pairing_create(actor=cast.admin, county_deputy=cast.township_deputy, township_deputy=cast.west_deputy,
                       started_on=ON)
    pairing_create(actor=cast.admin, county_deputy=both, township_deputy=cast.township_deputy, started_on=ON)
    assert all(t != both.pk for _c, t in pairing_proposal())


def test_who_runs_the_pairing(cast):
    """The one rule behind the pairing pages, the API's proposal and compliance, and the writes."""
    assert may_run_pairing(cast.admin) and may_run_pairing(cast.township_staff)
    for actor in (cast.station_staff, cast.deputy_actor, cast.unit):
        assert not may_run_pairing(actor)


def test_pairing_by_scope(cast):
    pairing = pairing_create(actor=cast.township_staff, county_deputy=cast.deputy,
                             township_deputy=cast.township_deputy, started_on=ON)
    with pytest.raises(PermissionDenied):  # a deputy of another township
        pairing_create(actor=cast.township_staff, county_deputy=cast.deputy, township_deputy=cast.west_deputy,
                       started_on=ON)
    for actor in (cast.station_staff, cast.deputy_actor, cast.unit):
        with pytest.raises(PermissionDenied):
            pairing_create(actor=actor, county_deputy=cast.deputy, township_deputy=cast.west_deputy, started_on=ON)
        with pytest.raises(PermissionDenied):
            pairing_end(actor=actor, pairing=pairing, ended_on=ON)
    assert Pairing.objects.count() == 1
    pairing_end(actor=cast.township_staff, pairing=pairing, ended_on=ON)
    with pytest.raises(ValidationError) as error:
        pairing_end(actor=cast.admin, pairing=pairing, ended_on=ON + dt.timedelta(days=1))
    assert "该结对已经结束。" in _messages(error.value)
    assert Pairing.objects.get(pk=pairing.pk).ended_on == ON


def test_pairing_compliance_lists_unpaired_and_over_limit(cast):
    _limit(3)
    extra = [cast.new_deputy(f"东镇代表{i}", level=Level.TOWNSHIP, township=cast.east) for i in range(3)]
    for deputy in [cast.township_deputy, *extra[:2]]:
        pairing_create(actor=cast.admin, county_deputy=cast.deputy, township_deputy=deputy, started_on=ON)
    report = pairing_compliance()
    assert (report.limit, report.county_deputies, report.township_deputies) == (3, 1, 5)
    assert {d.pk for d in report.unpaired} == {cast.west_deputy.pk, extra[2].pk}
    assert [(d.pk, n) for d, n in report.load] == [(cast.deputy.pk, 3)] and report.over_limit == []
    _limit(2)
    report = pairing_compliance()
    assert [(d.pk, n) for d, n in report.over_limit] == [(cast.deputy.pk, 3)]


def test_pairing_compliance_counts_each_pairing_once(cast):
    """A county deputy whose earlier term was never closed still has three pairings, not six."""
    Mandate.objects.create(deputy=cast.deputy, level=Level.COUNTY, term=16, started_on=dt.date(2016, 10, 1))
    extra = [cast.new_deputy(f"东镇代表{i}", level=Level.TOWNSHIP, township=cast.east) for i in range(2)]
    for deputy in [cast.township_deputy, *extra]:
        pairing_create(actor=cast.admin, county_deputy=cast.deputy, township_deputy=deputy, started_on=ON)
    assert [(d.pk, n) for d, n in pairing_compliance().load] == [(cast.deputy.pk, 3)]


def test_pairing_apply_proposal(cast):
    cast.new_deputy("西乡县代表", level=Level.COUNTY, venue=cast.v2)
    for actor in (cast.township_staff, cast.station_staff, cast.deputy_actor):
        with pytest.raises(PermissionDenied):
            pairing_apply_proposal(actor=actor, started_on=ON)
    expected = sorted(pairing_proposal())
    assert pairing_apply_proposal(actor=cast.admin, started_on=ON) == 2
    assert sorted(Pairing.objects.values_list("county_deputy_id", "township_deputy_id")) == expected
    assert pairing_apply_proposal(actor=cast.admin, started_on=ON) == 0
    assert not pairing_compliance().unpaired


def test_the_county_sets_its_pairing_rule_within_sense(cast):
    from people.services.pairing import pairing_rule_update

    rule = pairing_rule_update(actor=cast.admin, township_deputies_per_county_deputy=12, voter_contacts_per_deputy=30)
    assert (rule.township_deputies_per_county_deputy, rule.voter_contacts_per_deputy) == (12, 30)
    with pytest.raises(PermissionDenied):
        pairing_rule_update(actor=cast.township_staff, presidium_visits_per_year=3)
    with pytest.raises(ValidationError, match="1到200"):
        pairing_rule_update(actor=cast.admin, presidium_visits_per_year=0)
    pairing_create(actor=cast.admin, county_deputy=cast.deputy, township_deputy=cast.township_deputy,
                   started_on=START)
    pairing_create(actor=cast.admin, county_deputy=cast.deputy, township_deputy=cast.west_deputy,
                   started_on=START)
    with pytest.raises(ValidationError, match="上限不能低于此数"):
        pairing_rule_update(actor=cast.admin, township_deputies_per_county_deputy=1)
    assert PairingRule.current().township_deputies_per_county_deputy == 12
