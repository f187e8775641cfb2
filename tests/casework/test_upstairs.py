"""Upstairs casework: the state machine of an escalated item (tenants.models.escalations.ESCALATION_TRANSITIONS),
every step with its transition row and platform audit row, the units of a region, the refusals in Chinese, and
the whole round trip county -> prefecture -> province -> back, with a second round after an "unsatisfied"."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import schema_context

from access.models import Role
from casework.models import Case, CaseStatus
from casework.services import case_rate_by_constituent, case_route
from notifications.models import Message
from tenants.models import (
    Escalation,
    EscalationTransition,
    PlatformAuditEntry,
    RegionUnit,
)
from tenants.orchestration import escalations as steps
from tenants.selectors import escalations_visible_to
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(world, upper):
    """A unit of the prefecture and one of the province, each with one account; and a second prefecture unit
    with an account of its own (not assigned)."""
    from tenants.models import Account

    made = {}
    for key, mobile, kwargs in [("prefecture_unit", "13700000061", {"prefecture": world.prefecture}),
                                ("other_unit", "13700000062", {"prefecture": world.prefecture}),
                                ("province_unit", "13700000063", {})]:
        unit = RegionUnit.objects.create(province=world.province, name=f"测试{key}", **kwargs)
        account = Account.objects.create_user(mobile, f"{key}承办人", password=PASSWORD)
        unit.members.add(account)
        made[key], made[f"{key}_account"] = unit, account
    return made


def _escalate(alpha, actors, receive, level="prefecture", reason="属州级事权") -> Escalation:
    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction=level, reason=reason)
    return Escalation.objects.get(pk=case.escalation_id)


def _case(world, escalation) -> Case:
    with schema_context(world.alpha.schema_name):
        return Case.objects.get(pk=escalation.case_id)


def _county_steps(world, escalation) -> list[str]:
    """The reasons on the county case's transitions (what the county reads of the upper tier's steps)."""
    with schema_context(world.alpha.schema_name):
        return list(Case.objects.get(pk=escalation.case_id).transitions.values_list("reason", flat=True))


def _audited(escalation) -> list[str]:
    return list(PlatformAuditEntry.objects.filter(target_type="tenants.escalation", target_id=str(escalation.pk))
                .order_by("id").values_list("action", flat=True))


def test_opening_keeps_the_routing_note_a_transition_and_an_audit_row(world, alpha, actors, receive):
    escalation = _escalate(alpha, actors, receive, reason="涉及州级道路规划")
    assert (escalation.status, escalation.rounds, escalation.routing_note) == ("open", 1, "涉及州级道路规划")
    row = escalation.transitions.get()
    assert (row.action, row.from_status, row.to_status, row.to_level, row.actor_id) == (
        "escalation.open", "", "open", "prefecture", world.admin_a.pk)
    assert _audited(escalation) == ["escalation.open"]


def test_accept_then_refused_twice(world, alpha, actors, receive, upper):
    escalation = _escalate(alpha, actors, receive)
    staff = upper["prefecture_staff"]
    steps.escalation_accept(account=staff, escalation=escalation)
    escalation.refresh_from_db()
    assert escalation.status == "accepted"
    with pytest.raises(ValidationError) as again:
        steps.escalation_accept(account=staff, escalation=escalation)
    assert "不能受理" in str(again.value)
    assert _county_steps(world, escalation)[-1] == "已受理，正在办理。"  # the county hears of it
    assert _audited(escalation) == ["escalation.open", "escalation.accept"]


def test_who_may_act_on_a_prefecture_item(world, alpha, actors, receive, upper, units):
    escalation = _escalate(alpha, actors, receive)
    for name in ("province_staff", "other_prefecture_staff", "other_province_staff", "outsider", "county_admin"):
        assert not escalations_visible_to(upper[name]).filter(pk=escalation.pk).exists(), name
        with pytest.raises(PermissionDenied):
            steps.escalation_accept(account=upper[name], escalation=escalation)
    with pytest.raises(PermissionDenied):  # a unit before it is assigned
        steps.escalation_draft(account=units["prefecture_unit_account"], escalation=escalation, text="x")


def test_forward_up_and_back_down(world, alpha, actors, receive, upper):
    escalation = _escalate(alpha, actors, receive)
    with pytest.raises(ValidationError) as empty:
        steps.escalation_forward(account=upper["prefecture_staff"], escalation=escalation, reason=" ")
    assert "请填写转送理由" in str(empty.value)
    steps.escalation_forward(account=upper["prefecture_staff"], escalation=escalation, reason="涉及跨州事项")
    escalation.refresh_from_db()
    assert (escalation.level, escalation.prefecture_id, escalation.status) == ("province", None, "open")
    assert not escalations_visible_to(upper["prefecture_staff"]).filter(pk=escalation.pk).exists()
    assert escalations_visible_to(world.province_staff).filter(pk=escalation.pk).exists()
    with pytest.raises(ValidationError):  # the prefecture's staff held a stale copy: no longer theirs
        steps.escalation_answer(account=upper["prefecture_staff"],
                                escalation=Escalation(pk=escalation.pk, level="prefecture", status="open",
                                                      province=world.province, prefecture=world.prefecture,
                                                      county=world.alpha), answer="x")
    steps.escalation_forward(account=world.province_staff, escalation=escalation, reason="请州人大先行办理")
    escalation.refresh_from_db()
    assert (escalation.level, escalation.prefecture_id) == ("prefecture", world.prefecture.pk)
    levels = list(escalation.transitions.filter(action="escalation.forward").values_list("from_level", "to_level"))
    assert levels == [("prefecture", "province"), ("province", "prefecture")]
    assert "已转送测试省人大：涉及跨州事项" in _county_steps(world, escalation)


def test_return_reopens_the_county_case_and_tells_its_office(world, alpha, actors, receive, upper):
    escalation = _escalate(alpha, actors, receive)
    steps.escalation_return(account=upper["prefecture_staff"], escalation=escalation, reason="属县级事权，请县里办理")
    escalation.refresh_from_db()
    assert escalation.status == "returned"
    with schema_context(world.alpha.schema_name):
        case = Case.objects.get(pk=escalation.case_id)
        assert case.status == CaseStatus.RECEIVED and case.transitions.last().reason == "属县级事权，请县里办理"
        told = Message.objects.get(kind="casework.escalation_returned")
        assert told.account_id == world.admin_a.pk and "属县级事权" in told.body
    with pytest.raises(ValidationError) as late:
        steps.escalation_answer(account=upper["prefecture_staff"], escalation=escalation, answer="x")
    assert "已退回县级" in str(late.value)
    # The county sends it up again, to the province this time: the same item, open again there.
    with alpha():
        case_route(actor=actors("admin_a"), case=case, jurisdiction="province", reason="县里核实属省级事权")
    escalation.refresh_from_db()
    assert (escalation.status, escalation.level, escalation.routing_note) == ("open", "province", "县里核实属省级事权")


def test_assign_draft_reject_approve(world, alpha, actors, receive, upper, units):
    escalation = _escalate(alpha, actors, receive)
    staff, unit_account = upper["prefecture_staff"], units["prefecture_unit_account"]
    with pytest.raises(ValidationError) as early:
        steps.escalation_assign(account=staff, escalation=escalation, units=[units["prefecture_unit"]])
    assert "不能交办单位" in str(early.value)
    steps.escalation_accept(account=staff, escalation=escalation)
    with pytest.raises(ValidationError) as wrong_level:
        steps.escalation_assign(account=staff, escalation=escalation, units=[units["province_unit"]])
    assert "只能交办给本级的承办单位" in str(wrong_level.value)
    steps.escalation_assign(account=staff, escalation=escalation, units=[units["prefecture_unit"]])
    assert list(escalations_visible_to(unit_account)) == [escalation]
    assert not escalations_visible_to(units["other_unit_account"]).exists()
    with pytest.raises(PermissionDenied):
        steps.escalation_answer(account=unit_account, escalation=escalation, answer="单位不能直接答复")
    steps.escalation_draft(account=unit_account, escalation=escalation, text="拟于明年纳入州道改造")
    escalation.refresh_from_db()
    assert (escalation.status, escalation.draft_unit, escalation.draft_answer) == (
        "drafted", units["prefecture_unit"], "拟于明年纳入州道改造")
    steps.escalation_reject(account=staff, escalation=escalation, reason="请写明资金来源")
    escalation.refresh_from_db()
    assert escalation.status == "accepted"
    with pytest.raises(ValidationError):
        steps.escalation_approve(account=staff, escalation=escalation)
    steps.escalation_draft(account=unit_account, escalation=escalation, text="已列入明年州道改造计划，州财政安排资金")
    steps.escalation_approve(account=staff, escalation=escalation)
    escalation.refresh_from_db()
    assert escalation.status == "answered" and escalation.answer.startswith("已列入明年州道改造计划")
    assert not escalations_visible_to(unit_account).exists()  # the unit's part ends with the answer
    case = _case(world, escalation)
    assert case.status == CaseStatus.ANSWERED and case.answer == escalation.answer
    assert _audited(escalation) == ["escalation.open", "escalation.accept", "escalation.assign", "escalation.draft",
                                    "escalation.reject", "escalation.draft", "escalation.approve"]
    assert [t.to_status for t in escalation.transitions.all()] == [
        "open", "accepted", "accepted", "drafted", "accepted", "drafted", "answered"]


def test_the_full_round_trip_with_a_second_round(world, alpha, actors, receive, upper, units):
    """county -> prefecture -> province (assigned to a provincial unit, drafted, approved) -> county; the
    constituent is unsatisfied: round 2 upstairs at the province, answered; satisfied closes the case."""
    opinion_code = None
    with alpha():
        opinion = receive()
        opinion_code = opinion.tracking_code
        case = case_route(actor=actors("admin_a"), case=opinion.case, jurisdiction="prefecture", reason="州级事权")
    escalation = Escalation.objects.get(pk=case.escalation_id)
    steps.escalation_forward(account=upper["prefecture_staff"], escalation=escalation, reason="需省里协调")
    steps.escalation_accept(account=world.province_staff, escalation=escalation)
    steps.escalation_assign(account=world.province_staff, escalation=escalation, units=[units["province_unit"].pk])
    steps.escalation_update(account=units["province_unit_account"], escalation=escalation, text="已派人现场查看")
    steps.escalation_draft(account=units["province_unit_account"], escalation=escalation, text="已安排维修")
    steps.escalation_approve(account=world.province_staff, escalation=escalation)
    with alpha():
        case = case_rate_by_constituent(tracking_code=opinion_code, rating="unsatisfied", comment="至今未修")
        assert (case.status, case.rounds) == (CaseStatus.ESCALATED, 2)
    escalation.refresh_from_db()
    assert (escalation.status, escalation.rounds, escalation.level) == ("open", 2, "province")
    assert not escalations_visible_to(units["province_unit_account"]).exists()  # last round's unit let go
    reopen = escalation.transitions.last()
    assert (reopen.action, reopen.from_status, reopen.round, reopen.reason) == (
        "escalation.reopen", "answered", 2, "至今未修")
    steps.escalation_answer(account=world.province_staff, escalation=escalation, answer="已督促本周内修复")
    with alpha():
        case = Case.objects.get(pk=case.pk)
        assert (case.status, case.answer) == (CaseStatus.ANSWERED, "已督促本周内修复")
        case = case_rate_by_constituent(tracking_code=opinion_code, rating="satisfied")
        assert case.status == CaseStatus.CLOSED
    escalation.refresh_from_db()
    assert escalation.status == "answered"
    rounds = list(escalation.transitions.values_list("round", flat=True))
    assert rounds[0] == 1 and rounds[-1] == 2
    assert set(_audited(escalation)) >= {"escalation.open", "escalation.forward", "escalation.accept",
                                         "escalation.assign", "escalation.progress", "escalation.draft",
                                         "escalation.approve", "escalation.reopen", "escalation.answer"}


def test_withdrawn_and_illegal_moves_are_refused_in_chinese(world, alpha, actors, receive, upper):
    from casework.services import case_close
    from tenants.services.escalations import escalation_step

    escalation = _escalate(alpha, actors, receive)
    with alpha():
        case_close(actor=actors("admin_a"), case=Case.objects.get(pk=escalation.case_id), reason="县里已解决")
    escalation.refresh_from_db()
    assert escalation.status == "withdrawn" and escalation.transitions.last().action == "escalation.withdraw"
    for service, kwargs in [(steps.escalation_accept, {}), (steps.escalation_forward, {"reason": "x"}),
                            (steps.escalation_return, {"reason": "x"}), (steps.escalation_answer, {"answer": "x"})]:
        with pytest.raises(ValidationError) as refused:
            service(account=upper["prefecture_staff"], escalation=escalation, **kwargs)
        assert "不再需要办理" in str(refused.value)
    with pytest.raises(ValidationError) as table:
        escalation_step(escalation, "answered", action="escalation.answer")
    assert "该事项当前为“县级已办结”，不能变为“已答复”" in str(table.value)
    assert not EscalationTransition.objects.filter(escalation=escalation, to_status="answered").exists()


def test_the_pages_and_api_take_the_steps(world, alpha, actors, receive, upper, units):
    escalation = _escalate(alpha, actors, receive)
    staff = login("localhost", upper["prefecture_staff"])
    page = staff.get(f"/inbox/{escalation.pk}/").content.decode()
    assert "属州级事权" in page and 'value="forward"' in page and 'value="draft"' not in page
    response = staff.post(f"/inbox/{escalation.pk}/", {"do": "forward", "forward-reason": ""})
    assert response.status_code == 200 and Escalation.objects.get(pk=escalation.pk).level == "prefecture"
    assert staff.post(f"/api/v1/escalations/{escalation.pk}/accept/").status_code == 200
    response = staff.post(f"/api/v1/escalations/{escalation.pk}/assign/", {"units": [units["prefecture_unit"].pk]},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["units"][0]["name"] == "测试prefecture_unit"
    unit = login("localhost", units["prefecture_unit_account"])
    assert [r["actions"] for r in unit.get("/api/v1/escalations/").json()["results"]] == [["progress", "draft"]]
    assert unit.post(f"/inbox/{escalation.pk}/", {"do": "draft", "draft-text": "拟答复"}).status_code == 302
    assert login("localhost", units["other_unit_account"]).get(f"/inbox/{escalation.pk}/").status_code == 404
    case = staff.get(f"/api/v1/escalations/{escalation.pk}/").json()["case"]
    assert case["opinions"][0]["mobile"] == "139****5678" and case["opinions"][0]["constituent"] == "张*"
    detail = staff.post(f"/api/v1/escalations/{escalation.pk}/approve/").json()
    assert detail["status"] == "answered" and [h["action"] for h in detail["history"]][-1] == "escalation.approve"
    refused = staff.post(f"/api/v1/escalations/{escalation.pk}/approve/")
    assert refused.status_code == 400 and "该事项已经答复" in refused.content.decode()


def test_county_admins_are_told_once_per_return(world, alpha, actors, receive, upper):
    escalation = _escalate(alpha, actors, receive)
    steps.escalation_return(account=upper["prefecture_staff"], escalation=escalation, reason="请县里办理")
    with schema_context(world.alpha.schema_name):
        from access.models import Membership

        admins = set(Membership.objects.filter(role=Role.COUNTY_ADMIN, is_active=True)
                     .values_list("account_id", flat=True))
        assert set(Message.objects.filter(kind="casework.escalation_returned")
                   .values_list("account_id", flat=True)) == admins
