"""Escalation across levels: the case lands in the upper level's inbox (public schema); its updates and
answer flow back to the county case and to the constituent."""

import pytest
from django.core.exceptions import PermissionDenied
from django_tenants.utils import schema_context

from casework.models import Case, CaseStatus
from casework.selectors import escalation_of
from casework.services import case_route
from notifications.models import Message
from tenants.models import Account, Escalation, RegionRole
from tenants.orchestration.escalations import escalation_answer, escalation_update
from tenants.selectors import escalations_visible_to

pytestmark = pytest.mark.django_db


def test_round_trip_to_the_province_and_back(world, alpha, actors, receive):
    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="province",
                          reason="属省级事权")
        assert case.status == CaseStatus.ESCALATED
        case_id = case.pk
    escalation = Escalation.objects.get(county=world.alpha, case_id=case_id)
    assert (escalation.level, escalation.province_id, escalation.status) == ("province", world.province.pk, "open")
    assert list(escalations_visible_to(world.province_staff)) == [escalation]
    assert not escalations_visible_to(world.admin_a).exists()
    prefecture_staff = Account.objects.create_user("13700000051", "州人大工作人员")
    RegionRole.objects.create(account=prefecture_staff, role=RegionRole.Role.PREFECTURE_STAFF,
                              province=world.province, prefecture=world.prefecture)
    assert not escalations_visible_to(prefecture_staff).exists()  # a province-level item
    with pytest.raises(PermissionDenied):
        escalation_update(account=prefecture_staff, escalation=escalation, text="x")

    escalation_update(account=world.province_staff, escalation=escalation, text="已转省交通运输厅研究")
    escalation.refresh_from_db()
    assert escalation.status == "accepted"
    with schema_context(world.alpha.schema_name):
        case = Case.objects.get(pk=case_id)
        assert case.status == CaseStatus.ESCALATED
        assert case.transitions.last().reason == "已转省交通运输厅研究"
        assert escalation_of(case).status == "accepted"  # the county reads where it stands
        assert Message.objects.filter(kind="casework.progress", mobile="13912345678").exists()

    escalation_answer(account=world.province_staff, escalation=escalation, answer="已列入省道改造计划")
    with schema_context(world.alpha.schema_name):
        case = Case.objects.get(pk=case_id)
        assert case.status == CaseStatus.ANSWERED and case.answer == "已列入省道改造计划"
        assert case.transitions.last().actor_label == "测试省人大"
        assert "已列入省道改造计划" in Message.objects.get(kind="casework.answered").body
    with schema_context(world.beta.schema_name):
        assert not Case.objects.filter(escalation_id=escalation.pk).exists()


def test_a_prefecture_matter_goes_to_that_prefectures_inbox(world, alpha, actors, receive):
    with alpha():
        case = case_route(actor=actors("township_staff_a"), case=receive().case, jurisdiction="prefecture")
    escalation = Escalation.objects.get(pk=case.escalation_id)
    assert (escalation.level, escalation.prefecture_id) == ("prefecture", world.prefecture.pk)
    staff = Account.objects.create_user("13700000052", "州人大工作人员")
    RegionRole.objects.create(account=staff, role=RegionRole.Role.PREFECTURE_STAFF, province=world.province,
                              prefecture=world.prefecture)
    assert list(escalations_visible_to(staff)) == [escalation]
    assert not escalations_visible_to(world.province_staff).exists()  # the province reads its own level
    escalation_answer(account=staff, escalation=escalation, answer="已交州交通运输局办理")
    with schema_context(world.alpha.schema_name):
        assert Case.objects.get(pk=case.pk).transitions.last().actor_label == "测试州人大"


def test_a_case_the_county_closes_itself_is_withdrawn_upstairs(world, alpha, actors, receive):
    """One source of truth: the county closes an escalated case (say, settled locally); the province's item
    says so and refuses further work, and the county still reads where it stands."""
    from casework.services import case_close

    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="province", reason="属省级事权")
        case_close(actor=actors("admin_a"), case=case, reason="经县里协调已解决")
        case_id = case.pk
    escalation = Escalation.objects.get(county=world.alpha, case_id=case_id)
    assert escalation.status == "withdrawn"
    assert escalation.updates.last().text == "县人大常委会已办结此事：经县里协调已解决"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as late:
        escalation_answer(account=world.province_staff, escalation=escalation, answer="已列入计划")
    assert "不再需要办理" in str(late.value)
    with schema_context(world.alpha.schema_name):
        case = Case.objects.get(pk=case_id)
        assert case.status == CaseStatus.CLOSED and escalation_of(case).status == "withdrawn"
