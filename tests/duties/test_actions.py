"""What a duty record offers each actor in each status (duties.actions), the services refusing what it
does not offer, and the API listing it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from access.models import Role
from access.scope import Actor
from duties.actions import DutyRecordAction, deputies_logged_for, duty_record_actions
from duties.models import DutyRecord

DEPUTY, AUTHOR = 21, 100
Status = DutyRecord.Status

# who -> (actor, whether they log for the record's deputy)
ACTORS = {
    "deputy": (Actor(5, roles=frozenset({Role.DEPUTY}), deputy_id=DEPUTY), True),
    "author": (Actor(AUTHOR, roles=frozenset({Role.STATION_STAFF}), venue_ids=frozenset({1})), True),
    "author_out_of_scope": (Actor(AUTHOR, roles=frozenset({Role.STATION_STAFF}), venue_ids=frozenset({2})), False),
    "staff": (Actor(7, roles=frozenset({Role.TOWNSHIP_STAFF}), township_ids=frozenset({1})), True),
    "other_staff": (Actor(8, roles=frozenset({Role.TOWNSHIP_STAFF}), township_ids=frozenset({2})), False),
    "other_deputy": (Actor(9, roles=frozenset({Role.DEPUTY}), deputy_id=22), False),
    "unit": (Actor(10, roles=frozenset({Role.HANDLING_UNIT}), handling_unit_ids=frozenset({1})), False),
}
C, D, E, P = "confirm", "dispute", "edit", "photo"
TABLE = {  # status -> who -> actions; those not named are offered nothing
    Status.PENDING: {"deputy": {C, D, P}, "author": {E, P}, "author_out_of_scope": {P}, "staff": {P}},
    Status.DISPUTED: {"deputy": {P}, "author": {E, P}, "author_out_of_scope": {P}, "staff": {P}},
    Status.CONFIRMED: {"deputy": {P}, "author": {P}, "author_out_of_scope": {P}, "staff": {P}},
}


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("who", ACTORS)
def test_duty_record_actions(status, who):
    actor, logs_for = ACTORS[who]
    record = DutyRecord(pk=1, status=status, deputy_id=DEPUTY, author_id=AUTHOR)
    assert duty_record_actions(actor, record, logs_for=logs_for) == frozenset(TABLE[status].get(who, set()))


def test_a_deputy_s_own_record_is_theirs_to_edit():
    actor, _ = ACTORS["deputy"]
    record = DutyRecord(pk=1, status=Status.CONFIRMED, deputy_id=DEPUTY, author_id=actor.account_id)
    assert duty_record_actions(actor, record) == {P}  # confirmed: final, without a query
    record.status = Status.DISPUTED
    assert duty_record_actions(actor, record) == {E, P}


def test_action_codes_are_stable():
    assert DutyRecordAction.values == ["confirm", "dispute", "edit", "photo"]


@pytest.mark.django_db
def test_services_follow_the_selector(cast, media):
    from duties.services.records import duty_photo_add, duty_record_confirm, duty_record_log, duty_record_update
    from tests.duties.conftest import image_upload

    record = duty_record_log(actor=cast.township_staff, deputy=cast.d, kind="visit",
                             occurred_on=dt.date(2025, 3, 3), title="走访")
    assert deputies_logged_for(cast.township_staff, [cast.d.pk, cast.wd.pk]) == {cast.d.pk}  # east, not west
    assert duty_record_actions(cast.township_staff, record) == {E, P}
    assert duty_record_actions(cast.deputy, record) == {C, D, P}
    assert duty_record_actions(cast.station_staff, record) == frozenset()  # v2 reaches west, not this deputy
    with pytest.raises(PermissionDenied):
        duty_photo_add(actor=cast.station_staff, record=record, upload=image_upload())
    with pytest.raises(PermissionDenied):
        duty_record_confirm(actor=cast.township_staff, record=record)
    duty_record_confirm(actor=cast.deputy, record=record)
    with pytest.raises(ValidationError) as error:
        duty_record_confirm(actor=cast.deputy, record=record)
    assert "该履职登记当前为“已确认”，不能改为“已确认”" in str(error.value)
    with pytest.raises(ValidationError) as error:
        duty_record_update(actor=cast.township_staff, record=record, title="改")
    assert "已确认，不能再修改" in str(error.value)


@pytest.mark.django_db
def test_api_lists_the_actions(as_, world):
    staff = as_("township_staff_a")
    record = staff.post("/api/v1/duty-records/", {"deputy": world.ids["deputy"], "kind": "visit",
                                                  "occurred_on": "2025-03-03", "title": "走访"},
                        content_type="application/json").json()
    assert record["actions"] == ["edit", "photo"]
    deputy = as_("deputy_a")
    assert deputy.get(f"/api/v1/duty-records/{record['id']}/").json()["actions"] == ["confirm", "dispute", "photo"]
    listed = {r["id"]: r["actions"] for r in deputy.get("/api/v1/duty-records/").json()["results"]}
    assert listed[record["id"]] == ["confirm", "dispute", "photo"]
    listed = {r["id"]: r["actions"] for r in staff.get("/api/v1/duty-records/").json()["results"]}
    assert listed[record["id"]] == ["edit", "photo"]
    assert deputy.post(f"/api/v1/duty-records/{record['id']}/confirm/").json()["actions"] == ["photo"]
    schema = staff.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    field = schema["DutyRecord"]["properties"]["actions"]
    ref = field["items"].get("$ref", "")
    assert (schema[ref.rsplit("/", 1)[-1]] if ref else field["items"])["enum"] == DutyRecordAction.values
