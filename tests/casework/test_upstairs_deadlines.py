"""Deadlines and notices upstairs: an item's deadline in working days from when it reached its level (the
region's RegionDeadline, or 30); the daily scan tells the level's staff and the units holding it of items due
soon or overdue, once per item, kind, recipient and day; new, forwarded, assigned and returned items are told
in-app and by SMS — all through the platform's own outbox (the public schema's notifications)."""

import datetime as dt

import pytest
from django_tenants.utils import get_public_schema_name, schema_context

from casework.services import case_route
from notifications.models import Message
from tenants.models import Account, Escalation, PendingOutbox, RegionDeadline, RegionUnit
from tenants.orchestration import escalations as steps
from tenants.orchestration.upstairs_deadlines import escalation_deadline_scan, escalation_due_on
from tests.conftest import PASSWORD
from workdays.selectors import add_working_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world, alpha, actors, receive, upper):
    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="prefecture", reason="州级事权")
    return Escalation.objects.get(pk=case.escalation_id)


@pytest.fixture
def unit(world):
    unit = RegionUnit.objects.create(province=world.province, prefecture=world.prefecture, name="测试州住建局")
    unit.members.add(Account.objects.create_user("13700000061", "州住建局承办人", password=PASSWORD))
    return unit


def _public(**filters) -> list[tuple]:
    with schema_context(get_public_schema_name()):
        return list(Message.objects.filter(**filters).order_by("pk").values_list("kind", "account_id", "channel"))


def test_a_new_item_tells_the_levels_staff_in_app_and_by_sms(world, item, upper):
    staff = upper["prefecture_staff"]
    assert _public(kind="upstairs.new") == [("upstairs.new", staff.pk, "in_app"), ("upstairs.new", staff.pk, "sms")]
    sms = Message.objects.get(kind="upstairs.new", channel="sms")
    assert sms.mobile == staff.mobile and "甲县" in sms.body and "请及时受理" in sms.body
    assert PendingOutbox.objects.filter(schema_name=get_public_schema_name()).exists() is False  # marked on commit
    with schema_context(world.alpha.schema_name):  # the county's outbox holds none of it
        assert not Message.objects.filter(kind__startswith="upstairs.").exists()


def test_forwarded_assigned_and_returned_are_told(world, item, upper, unit):
    province_unit = RegionUnit.objects.create(province=world.province, name="测试省住建厅")
    province_unit.members.add(Account.objects.create_user("13700000062", "省住建厅承办人", password=PASSWORD))
    steps.escalation_forward(account=upper["prefecture_staff"], escalation=item, reason="需省里协调")
    assert {a for _k, a, _c in _public(kind="upstairs.forwarded")} == {world.province_staff.pk}
    steps.escalation_accept(account=world.province_staff, escalation=item)
    steps.escalation_assign(account=world.province_staff, escalation=item, units=[province_unit])
    unit_account = province_unit.members.get()
    assert {a for _k, a, _c in _public(kind="upstairs.assigned")} == {unit_account.pk}
    steps.escalation_draft(account=unit_account, escalation=item, text="拟答复")
    steps.escalation_reject(account=world.province_staff, escalation=item, reason="请补充办理时限")
    returned = Message.objects.get(kind="upstairs.returned", channel="in_app")
    assert returned.account_id == unit_account.pk and "请补充办理时限" in returned.body


def test_the_deadline_counts_working_days_per_region(world, item):
    item.refresh_from_db()
    assert item.arrived_on is not None
    assert escalation_due_on(item) == add_working_days(item.arrived_on, 30)
    RegionDeadline.objects.create(province=world.province, prefecture=world.prefecture, answer_working_days=10)
    assert escalation_due_on(item) == add_working_days(item.arrived_on, 10)


def test_the_scan_tells_once_per_item_kind_recipient_and_day(world, item, upper, unit):
    staff = upper["prefecture_staff"]
    steps.escalation_accept(account=staff, escalation=item)
    steps.escalation_assign(account=staff, escalation=item, units=[unit])
    RegionDeadline.objects.create(province=world.province, prefecture=world.prefecture, answer_working_days=5,
                                  due_soon_working_days=2)
    item.refresh_from_db()
    due = add_working_days(item.arrived_on, 5)
    soon_day = due - dt.timedelta(days=1)
    while add_working_days(soon_day, 2) < due:  # a day from which the deadline is within 2 working days
        soon_day += dt.timedelta(days=1)
    unit_account = unit.members.get()

    escalation_deadline_scan(on=soon_day)
    escalation_deadline_scan(on=soon_day)  # beat restarted, the task retried: nothing new
    told = _public(kind="upstairs.due_soon")
    assert sorted(told) == sorted([("upstairs.due_soon", staff.pk, "in_app"), ("upstairs.due_soon", staff.pk, "sms"),
                                   ("upstairs.due_soon", unit_account.pk, "in_app"),
                                   ("upstairs.due_soon", unit_account.pk, "sms")])
    late = due + dt.timedelta(days=1)
    escalation_deadline_scan(on=late)
    escalation_deadline_scan(on=late)
    assert len(_public(kind="upstairs.overdue")) == 4
    escalation_deadline_scan(on=late + dt.timedelta(days=1))  # the next day: told again, once
    assert len(_public(kind="upstairs.overdue")) == 8
    steps.escalation_answer(account=staff, escalation=item, answer="已答复")
    escalation_deadline_scan(on=late + dt.timedelta(days=2))  # answered: no longer scanned
    assert len(_public(kind="upstairs.overdue")) == 8


def test_the_platform_outbox_is_delivered_by_the_sweep(world, item, monkeypatch):
    from celery import current_app
    from django.db import connection

    import notifications.tasks  # noqa: F401  (registers the delivery task)
    from notifications.services import messages_deliver
    from tenants.tasks import fan_out_pending

    public = get_public_schema_name()
    sent = []
    task = current_app.tasks["notifications.tasks.deliver_pending"]
    monkeypatch.setattr(task, "apply_async", lambda args=(), **options: sent.append(connection.schema_name))
    PendingOutbox.objects.all().delete()
    PendingOutbox.objects.create(schema_name=public)
    assert fan_out_pending("notifications.tasks.deliver_pending") == 1 and sent == [public]
    assert PendingOutbox.objects.filter(schema_name=public).exists()  # kept: the platform's outbox is no county
    with schema_context(public):
        assert messages_deliver() >= 2
        assert not Message.objects.filter(kind="upstairs.new", status="pending").exists()
