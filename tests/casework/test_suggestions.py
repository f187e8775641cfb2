"""The suggestion workflow: register or refuse, assign (guardian grants), return within 7 working days,
supervision cards, answers, the deputy's two ratings and re-handling rounds, deadlines, scorecards."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.models import CaseStatus, ExtensionRequest, Suggestion, SuggestionStatus
from casework.selectors import suggestions_visible_to, unit_scorecard
from casework.services import (
    case_route,
    deadline_scan,
    extension_decide,
    extension_request,
    suggestion_answer,
    suggestion_assign,
    suggestion_close,
    suggestion_rate,
    suggestion_refuse,
    suggestion_register,
    suggestion_return,
    suggestion_submit,
    supervision_card_set,
)
from notifications.models import Message
from organisation.models import HandlingUnit
from people.models import Deputy

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(world, alpha):
    with alpha():
        return HandlingUnit.objects.get(pk=world.ids["unit"])


@pytest.fixture
def submitted(world, alpha, actors):
    def make(**kwargs):
        lead = Deputy.objects.get(pk=world.ids["deputy"])
        return suggestion_submit(actor=actors("deputy_a"), title="关于修缮东村道路的建议",
                                 content="东村主干道年久失修。", lead_deputy=lead,
                                 cosigners=[Deputy.objects.get(pk=world.ids["west_deputy"])], **kwargs)
    return make


def test_full_round_trip_with_rehandling(world, alpha, actors, submitted, unit, receive):
    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="county")
        s = Suggestion.objects.get(case=case)
        admin, staff_unit, deputy = actors("admin_a"), actors("unit_a"), actors("deputy_a")
        assert not suggestions_visible_to(staff_unit).filter(pk=s.pk).exists()
        with pytest.raises(PermissionDenied):
            suggestion_register(actor=deputy, suggestion=s)
        suggestion_register(actor=admin, suggestion=s)
        s = suggestion_assign(actor=admin, suggestion=s, lead_unit=unit)
        assert s.due_on == s.assigned_on + relativedelta(months=3)
        assert suggestions_visible_to(staff_unit).filter(pk=s.pk).exists()  # through the guardian grant
        assert Message.objects.filter(kind="casework.unit", account_id=world.unit_a.pk).exists()
        with pytest.raises(PermissionDenied):  # only the deputy rates; nothing is answered yet anyway
            suggestion_rate(actor=admin, suggestion=s, process="satisfied", result="satisfied")
        with pytest.raises(ValidationError) as error:
            suggestion_answer(actor=staff_unit, suggestion=s, outcome="cannot_now", content="暂无资金")
        assert "须说明原因" in str(error.value)
        suggestion_answer(actor=staff_unit, suggestion=s, outcome="planned", content="已列入明年计划")
        assert Suggestion.objects.get(pk=s.pk).case.status == CaseStatus.ANSWERED
        with pytest.raises(PermissionDenied):
            suggestion_rate(actor=actors("township_deputy_a"), suggestion=s, process="satisfied", result="satisfied")
        suggestion_rate(actor=deputy, suggestion=s, process="satisfied", result="unsatisfied", comment="太慢")
        s.refresh_from_db()
        assert (s.status, s.rounds) == (SuggestionStatus.REHANDLING, 2)
        suggestion_answer(actor=staff_unit, suggestion=s, outcome="solved", content="已修缮完成")
        suggestion_rate(actor=deputy, suggestion=s, process="basically_satisfied", result="satisfied")
        s.refresh_from_db()
        assert s.status == SuggestionStatus.SATISFIED and s.case.status == CaseStatus.CLOSED
        with pytest.raises(ValidationError) as error:
            suggestion_answer(actor=staff_unit, suggestion=s, outcome="solved", content="再答复")
        assert "已办结" in str(error.value)
        assert list(s.transitions.values_list("to_status", flat=True)) == [
            "submitted", "registered", "assigned", "answered", "rehandling", "answered", "satisfied"]


def test_refused_with_reason(alpha, actors, submitted):
    with alpha():
        s = submitted()
        with pytest.raises(ValidationError):
            suggestion_refuse(actor=actors("admin_a"), suggestion=s, reason=" ")
        s = suggestion_refuse(actor=actors("admin_a"), suggestion=s, reason="不属于本级职权")
        assert s.status == SuggestionStatus.NOT_ACCEPTED and s.not_accepted_reason == "不属于本级职权"
        with pytest.raises(ValidationError):
            suggestion_register(actor=actors("admin_a"), suggestion=s)


def test_return_within_seven_working_days_only(alpha, actors, submitted, unit):
    with alpha():
        admin = actors("admin_a")
        s = suggestion_register(actor=admin, suggestion=submitted())
        s = suggestion_assign(actor=admin, suggestion=s, lead_unit=unit, assigned_on=dt.date(2026, 9, 28))
        with pytest.raises(ValidationError) as error:  # long past 7 working days (the National Day week counts 0)
            suggestion_return(actor=actors("unit_a"), suggestion=s, reason="不属于本单位职责")
        assert "已超过退回期限" in str(error.value)
        s2 = suggestion_register(actor=admin, suggestion=submitted())
        s2 = suggestion_assign(actor=admin, suggestion=s2, lead_unit=unit)
        with pytest.raises(PermissionDenied):
            suggestion_return(actor=actors("township_staff_a"), suggestion=s2, reason="x")
        s2 = suggestion_return(actor=actors("unit_a"), suggestion=s2, reason="不属于本单位职责")
        assert s2.status == SuggestionStatus.REGISTERED and s2.lead_unit_id is None
        assert not suggestions_visible_to(actors("unit_a")).filter(pk=s2.pk).exists()  # the grant is gone


def test_supervision_extension_and_standing_committee_close(alpha, actors, submitted, unit):
    with alpha():
        admin, staff_unit = actors("admin_a"), actors("unit_a")
        s = suggestion_assign(actor=admin, suggestion=suggestion_register(actor=admin, suggestion=submitted()),
                              lead_unit=unit)
        card = supervision_card_set(actor=admin, suggestion=s, leader_name="李副主任", responsible_unit=unit,
                                    deadline=s.due_on)
        assert Suggestion.objects.get(pk=s.pk).is_key and card.leader_name == "李副主任"
        with pytest.raises(ValidationError):
            extension_request(actor=staff_unit, suggestion=s, requested_until=s.due_on, reason="需调研")
        ext = extension_request(actor=staff_unit, suggestion=s, requested_until=s.due_on + dt.timedelta(days=30),
                                reason="需要实地调研")
        with pytest.raises(PermissionDenied):
            extension_decide(actor=staff_unit, extension=ext, grant=True)
        extension_decide(actor=admin, extension=ext, grant=True)
        assert Suggestion.objects.get(pk=s.pk).due_on == ext.requested_until
        assert ExtensionRequest.objects.get(pk=ext.pk).status == "granted"
        with pytest.raises(ValidationError):
            extension_decide(actor=admin, extension=ext, grant=False)
        suggestion_close(actor=admin, suggestion=s, reason="常委会主任会议决定办结")
        with pytest.raises(ValidationError):
            suggestion_answer(actor=staff_unit, suggestion=s, outcome="solved", content="答复")


def test_deadline_scan_tells_each_once_a_day(world, alpha, actors, submitted, unit):
    from tenants.models import Account

    with alpha():
        admin = actors("admin_a")
        s = suggestion_assign(actor=admin, suggestion=suggestion_register(actor=admin, suggestion=submitted()),
                              lead_unit=unit, assigned_on=timezone.localdate() - dt.timedelta(days=120))
        leader = Account.objects.get(mobile=world.admin_a.mobile)
        supervision_card_set(actor=admin, suggestion=s, leader_name="李副主任", responsible_unit=unit,
                             deadline=s.due_on, leader_account=leader)
        sent = deadline_scan()
        overdue = Message.objects.filter(kind="casework.overdue")
        assert {m.account_id for m in overdue} == {world.unit_a.pk, world.deputy_a.pk, world.admin_a.pk}
        assert sent >= 3
        deadline_scan()
        assert Message.objects.filter(kind="casework.overdue").count() == 3  # a re-run sends nothing twice
        deadline_scan(on=timezone.localdate() + dt.timedelta(days=1))
        assert Message.objects.filter(kind="casework.overdue").count() == 6  # the next day is another day


def test_unit_scorecard(alpha, actors, submitted, unit):
    with alpha():
        admin, staff_unit, deputy = actors("admin_a"), actors("unit_a"), actors("deputy_a")
        year = timezone.localdate().year
        for result in ("satisfied", "basically_satisfied"):
            s = suggestion_assign(actor=admin, suggestion=suggestion_register(actor=admin, suggestion=submitted()),
                                  lead_unit=unit)
            suggestion_answer(actor=staff_unit, suggestion=s, outcome="solved", content="已办")
            suggestion_rate(actor=deputy, suggestion=s, process="satisfied", result=result)
        suggestion_assign(actor=admin, suggestion=suggestion_register(actor=admin, suggestion=submitted()),
                          lead_unit=unit)
        card = unit_scorecard(unit_id=unit.pk, year=year)
        assert (card.assigned, card.answered, card.on_time, card.rated) == (3, 2, 2, 2)
        assert card.timeliness == pytest.approx(66.7) and card.satisfaction == 90.0
        assert card.score == pytest.approx(78.3, abs=0.1)


def test_co_handling_unit_sees_returns_its_part_and_does_not_answer(world, alpha, actors, submitted, unit):
    from access.models import Role
    from access.services import membership_grant
    from people.actors import actor_for
    from tenants.models import Account

    with alpha():
        co = HandlingUnit.objects.create(name="甲县交通运输局")
        membership_grant(account=Account.objects.create_user("13700000061", "交通局承办人"), role=Role.HANDLING_UNIT,
                         actor=None, handling_unit=co)
        co_actor = actor_for(Account.objects.get(mobile="13700000061"))
        admin = actors("admin_a")
        s = suggestion_assign(actor=admin, suggestion=suggestion_register(actor=admin, suggestion=submitted()),
                              lead_unit=unit, co_units=[co])
        assert suggestions_visible_to(co_actor).filter(pk=s.pk).exists()
        with pytest.raises(PermissionDenied):
            suggestion_answer(actor=co_actor, suggestion=s, outcome="solved", content="已办")
        suggestion_return(actor=co_actor, suggestion=s, reason="不涉及交通")
        s.refresh_from_db()
        assert s.status == SuggestionStatus.ASSIGNED and s.lead_unit_id == unit.pk  # the lead carries on
        assert not suggestions_visible_to(co_actor).filter(pk=s.pk).exists()
        assert suggestions_visible_to(actors("unit_a")).filter(pk=s.pk).exists()


def test_review_fixes_answer_twice_extension_lapse_reassignment_notice(world, alpha, actors, submitted, unit):
    """A second answer in the same round is refused in Chinese (not a 500); a pending extension lapses when the
    round is answered, so approving it later cannot move the next round's deadline back; a unit assigned again
    after a return is told again."""
    from casework.models import SuggestionAssignment

    with alpha():
        admin, staff_unit = actors("admin_a"), actors("unit_a")
        s = suggestion_register(actor=admin, suggestion=submitted())
        s = suggestion_assign(actor=admin, suggestion=s, lead_unit=unit)
        suggestion_return(actor=staff_unit, suggestion=s, reason="不属本单位职责")
        s = suggestion_assign(actor=admin, suggestion=Suggestion.objects.get(pk=s.pk), lead_unit=unit)
        keys = [a.pk for a in SuggestionAssignment.objects.filter(suggestion=s)]
        told = [f"casework:sug:{s.pk}:assigned:{k}:{world.unit_a.pk}" for k in keys]
        assert Message.objects.filter(dedupe_key__in=told).count() == 2
        ext = extension_request(actor=staff_unit, suggestion=s, requested_until=s.due_on + dt.timedelta(days=30),
                                reason="需要财政预算")
        suggestion_answer(actor=staff_unit, suggestion=s, outcome="planned", content="已列入明年计划")
        with pytest.raises(ValidationError) as twice:
            suggestion_answer(actor=staff_unit, suggestion=s, outcome="planned", content="再答一次")
        assert "本轮已经答复" in str(twice.value)
        ext.refresh_from_db()
        assert ext.status == ExtensionRequest.Status.REFUSED
        with pytest.raises(ValidationError):
            extension_decide(actor=admin, extension=ext, grant=True)


def test_refusing_a_suggestion_whose_case_was_closed_keeps_the_case_closed(world, alpha, actors, receive):
    from casework.models import Case
    from casework.services import case_close

    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="county")
        s = Suggestion.objects.get(case=case)
        case_close(actor=actors("admin_a"), case=case, reason="选民撤回")
        suggestion_refuse(actor=actors("admin_a"), suggestion=s, reason="已不需要办理")
        assert Suggestion.objects.get(pk=s.pk).status == SuggestionStatus.NOT_ACCEPTED
        assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_scorecards_of_many_units_cost_four_queries(world, alpha, actors, submitted, unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.selectors import unit_scorecards

    with alpha():
        admin = actors("admin_a")
        s = suggestion_assign(actor=admin, suggestion=suggestion_register(actor=admin, suggestion=submitted()),
                              lead_unit=unit)
        suggestion_answer(actor=actors("unit_a"), suggestion=s, outcome="solved", content="已修缮")
        for n in range(12):
            HandlingUnit.objects.create(name=f"测试单位{n}")
        year = timezone.localdate().year
        with CaptureQueriesContext(connection) as queries:
            cards = unit_scorecards(units=HandlingUnit.objects.order_by("pk"), year=year)
        assert len(queries) == 4 and len(cards) == HandlingUnit.objects.count()
        mine = next(c for c in cards if c.unit_id == unit.pk)
        assert (mine.assigned, mine.answered, mine.on_time, mine.unit_name) == (1, 1, 1, unit.name)
        assert unit_scorecard(unit_id=unit.pk, year=year) == mine


def test_scorecards_export_as_the_table_shows_them(world, alpha, actors, submitted, unit, as_):
    """The rules page's table as Excel (and the API's): every unit for the county office, its own for a
    unit's person, refused to the rest."""
    from core.xlsx import XLSX_CONTENT_TYPE, xlsx_rows

    with alpha():
        admin, staff_unit, deputy = actors("admin_a"), actors("unit_a"), actors("deputy_a")
        HandlingUnit.objects.create(name="甲县交通局")
        s = suggestion_assign(actor=admin, suggestion=suggestion_register(actor=admin, suggestion=submitted()),
                              lead_unit=unit)
        suggestion_answer(actor=staff_unit, suggestion=s, outcome="solved", content="已办")
        suggestion_rate(actor=deputy, suggestion=s, process="satisfied", result="basically_satisfied")
        suggestion_assign(actor=admin, suggestion=suggestion_register(actor=admin, suggestion=submitted()),
                          lead_unit=unit)
    year = timezone.localdate().year
    headers = ["承办单位", "交办", "已答复", "按期", "已评价", "按期率", "满意度", "得分"]
    mine = ["甲县住建局", 2, 1, 1, 1, 50, 80, 65]
    for path in (f"/casework/rules/?export=scorecards&year={year}", f"/api/v1/unit-scores/export/?year={year}"):
        exported = as_("admin_a").get(path)
        assert exported.status_code == 200 and exported["Content-Type"] == XLSX_CONTENT_TYPE
        assert f"unit-scores-{year}.xlsx" in exported["Content-Disposition"]
        got_headers, rows = xlsx_rows(exported.content)
        assert got_headers == headers
        assert sorted(values for _n, values in rows) == sorted([mine, ["甲县交通局", 0, 0, 0, 0, 0, 0, 0]])
        _h, own = xlsx_rows(as_("unit_a").get(path).content)
        assert [values for _n, values in own] == [mine]
        assert as_("township_staff_a").get(path).status_code == 403
    assert "export=scorecards" in as_("admin_a").get("/casework/rules/").content.decode()
    assert "export=scorecards" in as_("unit_a").get("/suggestions/").content.decode()
    _h, last_year = xlsx_rows(as_("admin_a").get(f"/casework/rules/?export=scorecards&year={year - 1}").content)
    assert [values[1] for _n, values in last_year] == [0, 0]  # the year asked for, not this one
