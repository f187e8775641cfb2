"""Township re-division as services: merge, split and rename, their refusals in Chinese, lineage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from access.models import Membership, Role
from access.scope import ANONYMOUS
from access.services import membership_grant
from core.levels import Level, MandateStatus
from organisation.models import (
    ConstructionFunding,
    Redivision,
    RedivisionLink,
    Township,
    Venue,
    Village,
)
from organisation.services.redivision import township_lineage, township_merge, township_rename, township_split
from organisation.services.standards import (
    assessment_record,
    funding_set,
)
from people.actors import actor_for
from people.models import Deputy, Mandate, Stationing
from people.selectors import county_tree
from tenants.models import Account

pytestmark = pytest.mark.django_db

PAST = dt.date(2024, 1, 1)  # after every record of the World (which start on 2021-10-01)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- re-division ---------------------------------------------------------------------------------------


def _snapshot() -> dict:
    """Everything a re-division may touch, to prove that a refused one changed nothing."""
    return {
        "townships": sorted(Township.objects.values_list("pk", "name", "ended_on")),
        "villages": sorted(Village.objects.values_list("pk", "township_id")),
        "venues": sorted(Venue.objects.values_list("pk", "township_id")),
        "mandates": sorted(Mandate.objects.values_list("pk", "township_id")),
        "memberships": sorted(Membership.objects.values_list("pk", "township_id", "is_active")),
        "redivisions": Redivision.objects.count(),
        "links": RedivisionLink.objects.count(),
    }


def _west_staff() -> Account:
    account = Account.objects.create_user("13700000051", "西乡主席团")
    membership_grant(account=account, role=Role.TOWNSHIP_STAFF, actor=None,
                     township=Township.objects.get(name="西乡"))
    return account


def test_merge_moves_villages_venues_mandates_and_staff(cast):
    staff = _west_staff()
    west_deputy = Deputy.objects.get(pk=cast.world.ids["west_deputy"])
    redivision = township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST,
                                note="撤乡并镇")
    assert redivision.kind == Redivision.Kind.MERGE and redivision.created_by_id == cast.world.admin_a.pk
    west = Township.objects.get(pk=cast.west.pk)
    assert west.ended_on == PAST - dt.timedelta(days=1)
    assert Village.objects.get(pk=cast.village_west.pk).township_id == cast.east.pk
    assert Venue.objects.get(pk=cast.v2.pk).township_id == cast.east.pk
    assert west_deputy.mandates.get(level=Level.TOWNSHIP).township_id == cast.east.pk
    assert Membership.objects.get(account_id=staff.pk).township_id == cast.east.pk
    assert list(redivision.links.values_list("predecessor_id", "successor_id")) == [(cast.west.pk, cast.east.pk)]
    assert township_lineage(cast.east) == {cast.east.pk, cast.west.pk}
    assert not Township.objects.current().filter(pk=cast.west.pk).exists()
    # the moved staff now manage the merged township, and keep the books of the one merged into it
    assert actor_for(staff).township_ids == {cast.east.pk, cast.west.pk}
    # and the tree shows the west station under east
    _county, townships = county_tree()
    by_pk = {t.pk: t for t in townships}
    assert cast.west.pk not in by_pk
    assert {n.venue.pk for n in by_pk[cast.east.pk].tree_venues} == {cast.home.pk, cast.v1.pk, cast.v2.pk}


def test_merge_of_a_person_on_staff_of_both_townships_keeps_one_membership(cast):
    membership_grant(account=cast.world.township_staff_a, role=Role.TOWNSHIP_STAFF, actor=None, township=cast.west)
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    active = Membership.objects.filter(account_id=cast.world.township_staff_a.pk, is_active=True)
    assert list(active.values_list("township_id", flat=True)) == [cast.east.pk]


def test_merge_with_a_village_name_taken_in_the_target_is_refused(cast):
    Village.objects.create(township=cast.west, name="东村")
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    assert "东村" in _messages(error.value) and "重名" in _messages(error.value)
    assert _snapshot() == before


def test_merge_lists_each_source_once(cast):
    redivision = township_merge(actor=cast.admin, sources=[cast.west, cast.west, cast.east], into=cast.east,
                                effective_on=PAST)
    assert redivision.links.count() == 1


def _second_east_village() -> Village:
    return Village.objects.create(township=Township.objects.get(name="东镇"), name="东二村",
                                  division_code="990101100002")


def test_split_sends_villages_with_their_venues_and_the_rest_to_the_first_part(cast):
    village2 = _second_east_village()
    v3 = Venue.objects.create(name="东二村联络站", kind=Venue.Kind.VILLAGE_STATION, township=cast.east,
                              village=village2)
    center = Venue.objects.create(name="东镇中心联络站", kind=Venue.Kind.CENTRAL_STATION, township=cast.east)
    township_deputy = Deputy.objects.get(pk=cast.world.ids["township_deputy"])
    redivision = township_split(actor=cast.admin, source=cast.east, effective_on=PAST, parts=[
        {"name": "东一街道", "kind": Township.Kind.STREET, "division_code": "990101101",
         "villages": [cast.village_east]},
        {"name": "东二街道", "villages": [village2], "venues": [center]},
    ])
    one, two = Township.objects.get(name="东一街道"), Township.objects.get(name="东二街道")
    assert (one.started_on, two.started_on, two.kind) == (PAST, PAST, Township.Kind.STREET)
    assert Township.objects.get(pk=cast.east.pk).ended_on == PAST - dt.timedelta(days=1)
    assert Village.objects.get(pk=cast.village_east.pk).township_id == one.pk
    assert Village.objects.get(pk=village2.pk).township_id == two.pk
    assert Venue.objects.get(pk=cast.v1.pk).township_id == one.pk
    assert Venue.objects.get(pk=v3.pk).township_id == two.pk
    assert Venue.objects.get(pk=center.pk).township_id == two.pk
    assert Venue.objects.get(pk=cast.home.pk).township_id == one.pk  # named by no part: the first
    assert township_deputy.mandates.get(level=Level.TOWNSHIP).township_id == one.pk
    assert Membership.objects.get(account_id=cast.world.township_staff_a.pk).township_id == one.pk
    assert sorted(redivision.links.values_list("successor_id", flat=True)) == sorted([one.pk, two.pk])
    # A split's parts do not each inherit the whole history (it would be counted twice).
    assert township_lineage(one) == {one.pk}
    assert township_lineage(one, through_splits=True) == {one.pk, cast.east.pk}


@pytest.mark.parametrize("case", ["missing", "twice", "foreign", "one_part", "same_names", "taken_name",
                                  "foreign_venue", "venue_twice"])
def test_split_refuses_bad_parts_and_changes_nothing(cast, case):
    village2 = _second_east_village()
    parts = [{"name": "东一街道", "villages": [cast.village_east]}, {"name": "东二街道", "villages": [village2]}]
    message = "原乡镇的每个村（社区）都要且只能划入一个新单位。"
    if case == "missing":
        parts[1]["villages"] = []
    elif case == "twice":
        parts[1]["villages"] = [village2, cast.village_east]
    elif case == "foreign":
        parts[1]["villages"] = [village2, cast.village_west]
    elif case == "one_part":
        parts = [{"name": "东一街道", "villages": [cast.village_east, village2]}]
        message = "拆分至少要分成两个新单位。"
    elif case == "same_names":
        parts[1]["name"] = "东一街道"
        message = "新单位名称重复：东一街道"
    elif case == "taken_name":
        parts[1]["name"] = "西乡"
        message = "已有名为 西乡 的乡镇"
    elif case == "foreign_venue":
        parts[1]["venues"] = [cast.v2]
        message = "不是 东镇 的乡镇级站点"
    elif case == "venue_twice":
        parts[0]["venues"] = [cast.home]
        parts[1]["venues"] = [cast.home]
        message = "同一站点只能划入一个新单位"
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        township_split(actor=cast.admin, source=cast.east, parts=parts, effective_on=PAST)
    assert message in _messages(error.value)
    assert _snapshot() == before


def test_rename_makes_a_successor_and_keeps_history_with_the_old_unit(cast):
    deputy = Deputy.objects.get(pk=cast.world.ids["deputy"])
    old = Mandate.objects.create(deputy=deputy, level=Level.TOWNSHIP, term=18, township=cast.east,
                                 status=MandateStatus.RESIGNED, started_on=dt.date(2016, 10, 1),
                                 ended_on=dt.date(2021, 9, 30))
    funding_set(actor=cast.admin, township=cast.east, year=2023, budget=Decimal(10), disbursed=Decimal(5),
                spent=Decimal(5))
    redivision = township_rename(actor=cast.admin, township=cast.east, name="东城街道", kind=Township.Kind.STREET,
                                 effective_on=PAST)
    new = Township.objects.get(name="东城街道", ended_on__isnull=True)
    assert new.pk != cast.east.pk and new.division_code == cast.east.division_code and new.started_on == PAST
    east = Township.objects.get(pk=cast.east.pk)
    assert east.name == "东镇" and east.ended_on == PAST - dt.timedelta(days=1) and str(east) == "东镇（已撤销）"
    assert Village.objects.get(pk=cast.village_east.pk).township_id == new.pk
    assert set(Venue.objects.filter(township=new).values_list("pk", flat=True)) == {cast.home.pk, cast.v1.pk}
    township_deputy = Deputy.objects.get(pk=cast.world.ids["township_deputy"])
    assert township_deputy.mandates.get(term=19).township_id == new.pk
    # closed records stay with the old unit
    assert Mandate.objects.get(pk=old.pk).township_id == cast.east.pk
    assert ConstructionFunding.objects.get(year=2023).township_id == cast.east.pk
    assert redivision.kind == Redivision.Kind.RENAME
    assert township_lineage(new) == {new.pk, cast.east.pk}
    # the staff follow, and keep the old unit's books
    assert actor_for(cast.world.township_staff_a).township_ids == {new.pk, cast.east.pk}


def test_rename_to_the_same_name_is_refused(cast):
    before = _snapshot()
    with pytest.raises(ValidationError):
        township_rename(actor=cast.admin, township=cast.east, name="东镇", effective_on=PAST)
    assert _snapshot() == before


def test_lineage_follows_a_chain_of_merges_and_renames(cast):
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    township_rename(actor=cast.admin, township=cast.east, name="东城街道", effective_on=PAST + dt.timedelta(days=30))
    new = Township.objects.get(name="东城街道")
    assert township_lineage(new) == {new.pk, cast.east.pk, cast.west.pk}


@pytest.mark.parametrize("record", ["assessment", "stationing", "mandate", "ended_stationing", "ended_mandate"])
def test_redivision_dated_in_the_past_over_closed_records_is_refused(cast, record, ten):
    """Issue 3's bad input: records of the old unit dated on or after the effective date would be
    moved to a unit that did not exist when they were made."""
    deputy = Deputy.objects.get(pk=cast.world.ids["deputy"])
    if record == "assessment":
        assessment_record(actor=cast.admin, venue=cast.v2, template=ten, assessed_on=dt.date(2024, 5, 1),
                          results={i.pk: (True, "") for i in ten.items.all()})
    elif record == "stationing":
        Stationing.objects.create(deputy=deputy, venue=cast.v2, started_on=dt.date(2024, 5, 1))
    elif record == "mandate":
        Mandate.objects.create(deputy=deputy, level=Level.TOWNSHIP, term=20, township=cast.west,
                               started_on=dt.date(2024, 5, 1))
    elif record == "ended_stationing":  # a closed stationing that ran past the date
        Stationing.objects.create(deputy=deputy, venue=cast.v2, started_on=dt.date(2022, 1, 1),
                                  ended_on=dt.date(2024, 5, 1))
    elif record == "ended_mandate":
        Mandate.objects.create(deputy=deputy, level=Level.TOWNSHIP, term=18, township=cast.west,
                               status=MandateStatus.RESIGNED, started_on=dt.date(2019, 1, 1),
                               ended_on=dt.date(2024, 5, 1))
    before = _snapshot()
    west_ended_before = Township.objects.get(pk=cast.west.pk).ended_on
    for attempt in (
        lambda: township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST),
        lambda: township_rename(actor=cast.admin, township=cast.west, name="西城乡", effective_on=PAST),
        lambda: township_split(actor=cast.admin, source=cast.west, effective_on=PAST, parts=[
            {"name": "西一乡", "villages": [cast.village_west]}, {"name": "西二乡", "villages": []}]),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "2024-05-01" in _messages(error.value) and "生效日期" in _messages(error.value)
    assert _snapshot() == before
    assert Township.objects.get(pk=cast.west.pk).ended_on == west_ended_before is None
    # the same re-division dated after the record is accepted
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=dt.date(2024, 5, 2))


def test_redivision_before_the_township_existed_is_refused(cast):
    Township.objects.filter(pk=cast.west.pk).update(started_on=dt.date(2023, 6, 1))
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        township_rename(actor=cast.admin, township=Township.objects.get(pk=cast.west.pk), name="西城乡",
                        effective_on=dt.date(2023, 6, 1))
    assert "2023-06-01" in _messages(error.value)
    with pytest.raises(ValidationError):  # nor into a township that did not exist yet
        township_merge(actor=cast.admin, sources=[cast.east], into=Township.objects.get(pk=cast.west.pk),
                       effective_on=dt.date(2023, 1, 1))
    assert _snapshot() == before


def test_redivision_in_the_future_is_refused(cast):
    """Applying it now would end a township that still exists until then."""
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        township_merge(actor=cast.admin, sources=[cast.west], into=cast.east,
                       effective_on=dt.date.today() + dt.timedelta(days=10))
    assert "生效日期不能晚于今天" in _messages(error.value)
    assert _snapshot() == before


def test_redividing_an_ended_township_is_refused(cast):
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    west = Township.objects.get(pk=cast.west.pk)
    before = _snapshot()
    later = PAST + dt.timedelta(days=30)
    for attempt in (
        lambda: township_merge(actor=cast.admin, sources=[west], into=cast.east, effective_on=later),
        lambda: township_merge(actor=cast.admin, sources=[cast.east], into=west, effective_on=later),
        lambda: township_rename(actor=cast.admin, township=west, name="西城乡", effective_on=later),
        lambda: township_split(actor=cast.admin, source=west, effective_on=later,
                               parts=[{"name": "甲", "villages": []}, {"name": "乙", "villages": []}]),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "已经撤销" in _messages(error.value)
    assert _snapshot() == before


def test_redividing_with_a_stale_township_object_is_refused(cast):
    """The check reads the database, not the caller's copy (which may predate another re-division)."""
    stale_west = Township.objects.get(pk=cast.west.pk)
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    before = _snapshot()
    with pytest.raises(ValidationError):
        township_rename(actor=cast.admin, township=stale_west, name="西城乡", effective_on=PAST + dt.timedelta(days=5))
    assert _snapshot() == before


def test_only_the_county_admin_may_redivide(cast):
    before = _snapshot()
    for actor in (cast.township_staff, cast.station_staff, cast.deputy, cast.unit, ANONYMOUS):
        with pytest.raises(PermissionDenied):
            township_merge(actor=actor, sources=[cast.west], into=cast.east, effective_on=PAST)
        with pytest.raises(PermissionDenied):
            township_rename(actor=actor, township=cast.east, name="东城", effective_on=PAST)
        with pytest.raises(PermissionDenied):
            township_split(actor=actor, source=cast.east, effective_on=PAST, parts=[
                {"name": "甲", "villages": [cast.village_east]}, {"name": "乙", "villages": []}])
    assert _snapshot() == before
