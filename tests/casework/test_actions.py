"""What a case or a suggestion offers each actor in each status (casework.actions), the services refusing
what it does not offer, and the API listing it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access.models import Role
from access.scope import Actor
from casework.actions import CaseAction, SuggestionAction, case_actions, suggestion_actions
from casework.models import Case, CaseStatus, Suggestion, SuggestionAssignment, SuggestionStatus
from casework.services import case_route
from tenants.actions import escalation_actions
from tenants.models import County, Escalation
from tenants.orchestration.escalations import escalation_answer, escalation_update
from tests.conftest import PLATFORM_HOST, login

EAST, WEST, V1, DEPUTY, OTHER_DEPUTY, UNIT, OTHER_UNIT = 1, 2, 11, 21, 22, 31, 32

ACTORS = {
    "admin": Actor(1, roles=frozenset({Role.COUNTY_ADMIN})),
    "township": Actor(2, roles=frozenset({Role.TOWNSHIP_STAFF}), township_ids=frozenset({EAST})),
    "other_township": Actor(3, roles=frozenset({Role.TOWNSHIP_STAFF}), township_ids=frozenset({WEST})),
    "station": Actor(4, roles=frozenset({Role.STATION_STAFF}), venue_ids=frozenset({V1}),
                     venue_township_ids=frozenset({EAST})),
    "deputy": Actor(5, roles=frozenset({Role.DEPUTY}), deputy_id=DEPUTY),
    "other_deputy": Actor(6, roles=frozenset({Role.DEPUTY}), deputy_id=OTHER_DEPUTY),
    "unit": Actor(7, roles=frozenset({Role.HANDLING_UNIT}), handling_unit_ids=frozenset({UNIT})),
    "co_unit": Actor(8, roles=frozenset({Role.HANDLING_UNIT}), handling_unit_ids=frozenset({OTHER_UNIT})),
    "other_unit": Actor(9, roles=frozenset({Role.HANDLING_UNIT}), handling_unit_ids=frozenset({99})),
}
NOBODY = {"other_township", "station", "deputy", "other_deputy", "unit", "co_unit", "other_unit"}

R, M, A, C = "route", "merge", "answer", "close"
# status -> actor -> actions; actors not named are offered nothing.
CASE_TABLE = {
    CaseStatus.RECEIVED: {"admin": {R, M, C}, "township": {R, M}},
    CaseStatus.TOWNSHIP_HANDLING: {"admin": {A, M, C}, "township": {A, M}},
    CaseStatus.SUGGESTION: {"admin": {M, C}, "township": {M}},
    CaseStatus.ESCALATED: {"admin": {M, C}, "township": {M}},
    CaseStatus.ANSWERED: {"admin": {M, C}, "township": {M, C}},
    CaseStatus.CLOSED: {},
    CaseStatus.MERGED: {},
}


@pytest.mark.parametrize("status", CaseStatus.values)
@pytest.mark.parametrize("who", ACTORS)
def test_case_actions(status, who):
    assert set(CASE_TABLE) == set(CaseStatus.values)
    case = Case(status=status, township_id=EAST, venue_id=V1, deputy_id=DEPUTY)
    assert case_actions(ACTORS[who], case) == frozenset(CASE_TABLE[status].get(who, set()))


def test_a_case_without_township_is_the_county_office_s_alone():
    case = Case(status=CaseStatus.RECEIVED, township_id=None)
    assert case_actions(ACTORS["township"], case) == frozenset()
    assert case_actions(ACTORS["admin"], case) == {R, M, C}


S = SuggestionAction
# status -> actor -> actions, for a suggestion led by DEPUTY, assigned to UNIT (lead) and OTHER_UNIT (co),
# still within the return period, with no extension pending.
SUGGESTION_TABLE = {
    SuggestionStatus.SUBMITTED: {"admin": {S.REGISTER, S.REFUSE, S.SUPERVISE}},
    SuggestionStatus.REGISTERED: {"admin": {S.ASSIGN, S.SUPERVISE, S.CLOSE}},
    SuggestionStatus.ASSIGNED: {"admin": {S.SUPERVISE, S.CLOSE}, "unit": {S.ANSWER, S.EXTENSION, S.RETURN},
                                "co_unit": {S.RETURN}},
    SuggestionStatus.ANSWERED: {"admin": {S.SUPERVISE, S.CLOSE}, "deputy": {S.RATE}},
    SuggestionStatus.REHANDLING: {"admin": {S.SUPERVISE, S.CLOSE}, "unit": {S.ANSWER, S.EXTENSION}},
    SuggestionStatus.NOT_ACCEPTED: {},
    SuggestionStatus.SATISFIED: {},
    SuggestionStatus.CLOSED: {},
}


def _suggestion(status):
    return Suggestion(pk=1, status=status, lead_deputy_id=DEPUTY)


def _mine(actor: Actor, *, return_by: dt.date | None = None) -> list[SuggestionAssignment]:
    return_by = return_by or timezone.localdate() + dt.timedelta(days=3)
    rows = [SuggestionAssignment(unit_id=UNIT, is_lead=True, return_by=return_by),
            SuggestionAssignment(unit_id=OTHER_UNIT, is_lead=False, return_by=return_by)]
    return [a for a in rows if a.unit_id in actor.handling_unit_ids]


@pytest.mark.parametrize("status", SuggestionStatus.values)
@pytest.mark.parametrize("who", [*ACTORS, "township_and_unit"])
def test_suggestion_actions(status, who):
    assert set(SUGGESTION_TABLE) == set(SuggestionStatus.values)
    actor = ACTORS.get(who) or Actor(10, roles=frozenset({Role.TOWNSHIP_STAFF, Role.HANDLING_UNIT}),
                                     township_ids=frozenset({EAST}), handling_unit_ids=frozenset({UNIT}))
    expected = SUGGESTION_TABLE[status].get("unit" if who == "township_and_unit" else who, set())
    actions = suggestion_actions(actor, _suggestion(status), mine=_mine(actor), pending=False)
    assert actions == frozenset(expected)


def test_a_pending_extension_is_decided_by_the_office_and_not_asked_for_again():
    for status in (SuggestionStatus.ASSIGNED, SuggestionStatus.REHANDLING):
        s = _suggestion(status)
        assert S.DECIDE in suggestion_actions(ACTORS["admin"], s, mine=[], pending=True)
        unit = suggestion_actions(ACTORS["unit"], s, mine=_mine(ACTORS["unit"]), pending=True)
        assert S.ANSWER in unit and S.EXTENSION not in unit
    assert S.DECIDE not in suggestion_actions(ACTORS["unit"], _suggestion(SuggestionStatus.ASSIGNED),
                                              mine=_mine(ACTORS["unit"]), pending=True)


def test_no_return_after_the_return_period():
    late = timezone.localdate() - dt.timedelta(days=1)
    for who in ("unit", "co_unit"):
        actor = ACTORS[who]
        assert S.RETURN not in suggestion_actions(actor, _suggestion(SuggestionStatus.ASSIGNED),
                                                  mine=_mine(actor, return_by=late), pending=False)


def test_action_codes_are_stable():
    assert CaseAction.values == ["route", "answer", "merge", "close"]
    assert SuggestionAction.values == ["register", "refuse", "assign", "supervise", "close", "decide", "answer",
                                       "extension", "return", "rate"]


# The services refuse what the selectors do not offer, with today's messages and exceptions.

@pytest.mark.django_db
def test_case_services_follow_the_selector(world, alpha, actors, receive):
    from casework.services import case_answer, case_close, case_route

    with alpha():
        case = receive().case
        township, admin = actors("township_staff_a"), actors("admin_a")
        assert case_actions(township, case) == {R, M}
        with pytest.raises(PermissionDenied):  # a township closes only what it answered
            case_close(actor=township, case=case, reason="不再办理")
        with pytest.raises(ValidationError) as error:
            case_answer(actor=township, case=case, answer="已处理")
        assert "只有交乡镇办理中的案件可以在此答复" in str(error.value)
        case = case_route(actor=township, case=case, jurisdiction="village")
        assert case_actions(township, case) == {A, M}
        with pytest.raises(ValidationError) as error:
            case_route(actor=admin, case=case, jurisdiction="village")
        assert "只有新登记的案件可以分办" in str(error.value)
        case = case_close(actor=admin, case=case, reason="已办结")
        assert case_actions(admin, case) == frozenset()
        with pytest.raises(ValidationError) as error:
            case_close(actor=admin, case=case, reason="再办结")
        assert "案件当前为“已办结”，不能变为“已办结”" in str(error.value)


@pytest.mark.django_db
def test_register_is_for_a_submitted_suggestion_only(world, alpha, actors):
    """The transition table lets a returned item go back to registered; registering is not that road."""
    from casework import services
    from organisation.models import HandlingUnit
    from people.models import Deputy

    with alpha():
        admin = actors("admin_a")
        s = services.suggestion_register(actor=admin, suggestion=services.suggestion_submit(
            actor=admin, title="甲", content="内容", lead_deputy=Deputy.objects.get(pk=world.ids["deputy"])))
        s = services.suggestion_assign(actor=admin, suggestion=s,
                                       lead_unit=HandlingUnit.objects.get(pk=world.ids["unit"]))
        with pytest.raises(ValidationError) as error:
            services.suggestion_register(actor=admin, suggestion=s)
        assert "建议当前为“已交办”，不能变为“已立案待交办”" in str(error.value)
        s = Suggestion.objects.get(pk=s.pk)
        from casework.selectors import suggestion_detail

        assert suggestion_actions(actors("unit_a"), suggestion_detail(actors("unit_a"), s.pk)) == {
            S.ANSWER, S.EXTENSION, S.RETURN}


@pytest.mark.django_db
def test_api_lists_the_actions(world, alpha, actors, as_, receive):
    from casework import services
    from people.models import Deputy

    with alpha():
        case = receive().case
        admin = actors("admin_a")
        s = services.suggestion_submit(actor=admin, title="甲", content="内容",
                                       lead_deputy=Deputy.objects.get(pk=world.ids["deputy"]))
    township = as_("township_staff_a")
    assert township.get(f"/api/v1/cases/{case.pk}/").json()["actions"] == ["route", "merge"]
    listed = {row["id"]: row["actions"] for row in township.get("/api/v1/cases/").json()["results"]}
    assert listed[case.pk] == ["route", "merge"]
    assert as_("deputy_a").get(f"/api/v1/cases/{case.pk}/").json()["actions"] == []  # who received it reads it
    office = as_("admin_a")
    assert office.get(f"/api/v1/suggestions/{s.pk}/").json()["actions"] == ["register", "refuse", "supervise"]
    listed = {row["id"]: row["actions"] for row in office.get("/api/v1/suggestions/").json()["results"]}
    assert listed[s.pk] == ["register", "refuse", "supervise"]
    response = office.post(f"/api/v1/suggestions/{s.pk}/register/", {}, content_type="application/json")
    assert response.json()["actions"] == ["assign", "supervise", "close"]
    assert as_("deputy_a").get(f"/api/v1/suggestions/{s.pk}/").json()["actions"] == []


@pytest.mark.django_db
def test_actions_are_in_the_openapi_schema(as_):
    schema = as_("admin_a").get("/api/v1/schema/?format=json").json()
    components = schema["components"]["schemas"]
    for name, codes in (("Case", CaseAction.values), ("CaseDetail", CaseAction.values),
                        ("Suggestion", SuggestionAction.values), ("SuggestionDetail", SuggestionAction.values)):
        field = components[name]["properties"]["actions"]
        assert field["type"] == "array" and field["readOnly"], name
        ref = field["items"].get("$ref", "")
        items = components[ref.rsplit("/", 1)[-1]] if ref else field["items"]
        assert items["enum"] == codes, name


# The upstairs item (tenants.actions): the staff of the level it went to, while there is work upstairs; a unit
# the item is assigned to drafts the answer.

PROVINCE, OTHER_PROVINCE, PREFECTURE, OTHER_PREFECTURE = 1, 2, 11, 12


def _roles(who: str):
    from tenants.models import RegionRole

    staff = {"province": (RegionRole.Role.PROVINCE_STAFF, PROVINCE, None),
             "other_province": (RegionRole.Role.PROVINCE_STAFF, OTHER_PROVINCE, None),
             "prefecture": (RegionRole.Role.PREFECTURE_STAFF, PROVINCE, PREFECTURE),
             "other_prefecture": (RegionRole.Role.PREFECTURE_STAFF, PROVINCE, OTHER_PREFECTURE)}
    if who not in staff:
        return []
    role, province, prefecture = staff[who]
    return [RegionRole(role=role, province_id=province, prefecture_id=prefecture)]


STAFF_BY_STATUS = {
    "open": {"accept", "progress", "forward", "return", "answer"},
    "accepted": {"progress", "forward", "return", "assign", "answer"},
    "drafted": {"progress", "forward", "return", "assign", "approve", "reject", "answer"},
    "answered": set(), "returned": set(), "withdrawn": set(),
}
UNIT_BY_STATUS = {"open": {"progress"}, "accepted": {"progress", "draft"}, "drafted": {"progress", "draft"},
                  "answered": set(), "returned": set(), "withdrawn": set()}


@pytest.mark.parametrize("status", list(STAFF_BY_STATUS))
@pytest.mark.parametrize("level", ["province", "prefecture"])
@pytest.mark.parametrize("who", ["province", "other_province", "prefecture", "other_prefecture", "nobody", "unit"])
def test_escalation_actions(status, level, who):
    escalation = Escalation(status=status, level=level, province_id=PROVINCE, county=County(prefecture_id=PREFECTURE),
                            prefecture_id=PREFECTURE if level == "prefecture" else None)
    if who == "unit":  # a unit the item is assigned to drafts and reports progress, while there is work
        expected = UNIT_BY_STATUS[status]
    else:
        expected = STAFF_BY_STATUS[status] if who == level else set()
    assert escalation_actions(None, escalation, roles=_roles(who), assigned=who == "unit") == frozenset(expected)


def test_a_county_without_prefecture_is_not_forwarded_down():
    escalation = Escalation(status="open", level="province", province_id=PROVINCE, county=County(prefecture_id=None))
    assert "forward" not in escalation_actions(None, escalation, roles=_roles("province"))


@pytest.mark.django_db
def test_the_inbox_offers_and_refuses_alike(world, alpha, actors, receive):
    with alpha():
        case = receive().case
        case_route(actor=actors("admin_a"), case=case, jurisdiction="province")
        case = Case.objects.get(pk=case.pk)
    escalation = Escalation.objects.get(pk=case.escalation_id)
    offered = ["accept", "progress", "forward", "return", "answer"]
    assert escalation_actions(world.province_staff, escalation) == set(offered)
    assert escalation_actions(world.admin_a, escalation) == frozenset()
    client = login(PLATFORM_HOST, world.province_staff)
    assert client.get(f"/api/v1/escalations/{escalation.pk}/").json()["actions"] == offered
    assert [r["actions"] for r in client.get("/api/v1/escalations/").json()["results"]] == [offered]
    assert 'value="answer"' in client.get(f"/inbox/{escalation.pk}/").content.decode()
    with alpha():
        from casework.services import case_close

        case_close(actor=actors("admin_a"), case=case, reason="县里已解决")
    escalation.refresh_from_db()
    assert escalation.status == "withdrawn" and escalation_actions(world.province_staff, escalation) == frozenset()
    assert client.get(f"/api/v1/escalations/{escalation.pk}/").json()["actions"] == []
    assert 'value="answer"' not in client.get(f"/inbox/{escalation.pk}/").content.decode()  # offered before
    for service, field in ((escalation_update, "text"), (escalation_answer, "answer")):
        with pytest.raises(ValidationError) as error:
            service(account=world.province_staff, escalation=escalation, **{field: "进展"})
        assert "县人大常委会已办结此事" in str(error.value)
