"""The outbox: a message is written once per dedupe key and delivered once, whatever is retried."""

import pytest
from django.db import connection

from notifications.gateways import Gateway
from notifications.models import GatewayRecord, Message
from notifications.selectors import messages_of, unread_count
from notifications.services import MAX_ATTEMPTS, Outgoing, message_mark_read, messages_deliver, messages_enqueue
from people.actors import actor_for
from tenants.models import PendingOutbox

pytestmark = pytest.mark.django_db


def _reminder(n: int, **kwargs) -> Outgoing:
    return Outgoing(dedupe_key=f"test:{n}", kind="test", body=f"第{n}条", mobile="13700000011", **kwargs)


def test_a_message_offered_twice_is_written_and_delivered_once(alpha, django_capture_on_commit_callbacks):
    with alpha():
        with django_capture_on_commit_callbacks():  # the delivery task is published after commit
            messages_enqueue([_reminder(1), _reminder(2)])
            messages_enqueue([_reminder(1)])
        assert Message.objects.filter(dedupe_key__startswith="test:").count() == 2
        assert messages_deliver() == 2
        assert messages_deliver() == 0
        assert GatewayRecord.objects.filter(message__dedupe_key__startswith="test:").count() == 2
        assert set(Message.objects.filter(dedupe_key__startswith="test:").values_list("status", flat=True)) == {"sent"}


def test_a_batch_rolled_back_mid_delivery_is_delivered_later_once(alpha, settings):
    """A worker that dies mid-batch: its transaction never commits, so the rows stay pending and the
    gateway record is gone with it; the next run delivers them once."""

    class Dying(Gateway):
        def send(self, messages):
            GatewayRecord.objects.bulk_create([GatewayRecord(message=m, gateway="dying") for m in messages])
            raise RuntimeError("worker killed")

    from notifications import gateways
    with alpha():
        messages_enqueue([_reminder(n) for n in range(5)])
        settings.NOTIFICATION_GATEWAYS = {**settings.NOTIFICATION_GATEWAYS, "sms": f"{__name__}.DyingGateway"}
        gateways.gateway_for.cache_clear()
        globals()["DyingGateway"] = Dying
        try:
            with pytest.raises(RuntimeError):
                messages_deliver(batch_size=3)
        finally:
            settings.NOTIFICATION_GATEWAYS = {**settings.NOTIFICATION_GATEWAYS,
                                              "sms": "notifications.gateways.embedded.EmbeddedGateway"}
            gateways.gateway_for.cache_clear()
        assert Message.objects.filter(dedupe_key__startswith="test:", status="pending").count() == 5
        assert messages_deliver() == 5
        records = GatewayRecord.objects.filter(message__dedupe_key__startswith="test:")
        assert records.count() == 5 and not records.filter(gateway="dying").exists()


def test_a_failing_message_is_retried_then_marked_failed(alpha, settings):
    class Refusing(Gateway):
        def send(self, messages):
            return {m.pk: "号码无效" for m in messages}

    from notifications import gateways
    globals()["RefusingGateway"] = Refusing
    with alpha():
        messages_enqueue([_reminder(9)])
        settings.NOTIFICATION_GATEWAYS = {**settings.NOTIFICATION_GATEWAYS, "sms": f"{__name__}.RefusingGateway"}
        gateways.gateway_for.cache_clear()
        try:
            for _ in range(MAX_ATTEMPTS):
                assert messages_deliver() == 0
        finally:
            settings.NOTIFICATION_GATEWAYS = {**settings.NOTIFICATION_GATEWAYS,
                                              "sms": "notifications.gateways.embedded.EmbeddedGateway"}
            gateways.gateway_for.cache_clear()
        message = Message.objects.get(dedupe_key="test:9")
        assert (message.status, message.attempts, message.last_error) == ("failed", MAX_ATTEMPTS, "号码无效")


def test_people_read_only_their_own_messages(world, alpha):
    with alpha():
        messages_enqueue([_reminder(1, account_id=world.deputy_a.pk, channel="in_app"),
                          _reminder(2, account_id=world.admin_a.pk, channel="in_app")])
        deputy, admin = actor_for(world.deputy_a), actor_for(world.admin_a)
        assert [m.dedupe_key for m in messages_of(deputy.account_id)] == ["test:1"]
        assert unread_count(deputy.account_id) == 1
        other = Message.objects.get(dedupe_key="test:2").pk
        assert message_mark_read(actor=deputy, message_ids=[other]) == 0
        assert unread_count(admin.account_id) == 1


# ---------------------------------------------------------------- beat's sweep: only counties with work waiting


def test_enqueue_marks_the_county_and_a_delivery_that_empties_the_outbox_clears_it(
        world, alpha, django_capture_on_commit_callbacks, monkeypatch):
    import notifications.services as outbox

    published = []
    monkeypatch.setattr(outbox, "publish", lambda name, schema, *args: published.append((name, schema)))
    PendingOutbox.objects.all().delete()
    with alpha():
        with django_capture_on_commit_callbacks(execute=True):
            messages_enqueue([_reminder(1)])
        assert marked() == [world.alpha.schema_name]
        assert published == [("notifications.tasks.deliver_pending", world.alpha.schema_name)]
        assert messages_deliver() == 1
        assert marked() == []


def test_a_message_still_waiting_keeps_the_mark(world, alpha, settings):
    class Refusing(Gateway):
        def send(self, messages):
            return {m.pk: "网关超时" for m in messages}

    from notifications import gateways
    globals()["RefusingGateway"] = Refusing
    with alpha():
        messages_enqueue([_reminder(3)])
        settings.NOTIFICATION_GATEWAYS = {**settings.NOTIFICATION_GATEWAYS, "sms": f"{__name__}.RefusingGateway"}
        gateways.gateway_for.cache_clear()
        try:
            assert messages_deliver() == 0
        finally:
            settings.NOTIFICATION_GATEWAYS = {**settings.NOTIFICATION_GATEWAYS,
                                              "sms": "notifications.gateways.embedded.EmbeddedGateway"}
            gateways.gateway_for.cache_clear()
        assert marked() == [world.alpha.schema_name]  # beat's next sweep retries it
        assert messages_deliver() == 1
        assert marked() == []


def test_the_sweep_sends_work_only_to_marked_active_counties(world, monkeypatch):
    from celery import current_app

    from tenants.models import County
    from tenants.tasks import fan_out_pending

    sent = []
    task = current_app.tasks["notifications.tasks.deliver_pending"]
    monkeypatch.setattr(task, "apply_async", lambda args=(), **options: sent.append(connection.schema_name))
    PendingOutbox.objects.all().delete()
    assert fan_out_pending("notifications.tasks.deliver_pending") == 0 and sent == []

    PendingOutbox.objects.bulk_create([PendingOutbox(schema_name=s)
                                       for s in (world.alpha.schema_name, world.beta.schema_name, "gone")])
    County.objects.filter(pk=world.beta.pk).update(status=County.Status.SUSPENDED)
    assert fan_out_pending("notifications.tasks.deliver_pending") == 1
    assert sent == [world.alpha.schema_name]
    assert marked() == sorted([world.alpha.schema_name, world.beta.schema_name])  # kept until delivered


def marked() -> list[str]:
    return sorted(PendingOutbox.objects.values_list("schema_name", flat=True))


@pytest.mark.parametrize(("logger", "args", "shown"), [
    ("celery.worker.strategy", {"name": "tenants.tasks.heartbeat", "id": "1"}, False),
    ("celery.app.trace", {"name": "tenants.tasks.heartbeat", "id": "1", "return_value": "None"}, False),
    ("celery.worker.strategy", {"name": "notifications.tasks.deliver_pending", "id": "1"}, False),
    ("celery.app.trace", {"name": "notifications.tasks.deliver_pending", "id": "1", "return_value": "0"}, False),
    ("celery.app.trace", {"name": "notifications.tasks.deliver_pending", "id": "1", "return_value": "3"}, True),
    ("celery.app.trace", {"name": "tenants.tasks.fan_out_pending", "id": "1", "return_value": "2"}, True),
    ("celery.worker.strategy", {"name": "casework.tasks.deadline_scan", "id": "1"}, True),
    ("celery.beat", ("deliver-outboxes", "tenants.tasks.fan_out_pending"), False),
    ("celery.beat", ("reception-reminders", "tenants.tasks.fan_out"), True),
])
def test_idle_plumbing_is_not_logged(logger, args, shown):
    import logging

    from config.celery import QuietPlumbing

    record = logging.LogRecord(logger, logging.INFO, __file__, 1, "Task %(name)s", None, None)
    record.args = args
    assert QuietPlumbing().filter(record) is shown
