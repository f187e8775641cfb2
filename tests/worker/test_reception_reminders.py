"""Reception reminders through a real worker: beat's fan-out scans each county, the outbox delivers each
reminder once, in its own county; a scan sent twice writes and delivers nothing twice."""

import datetime as dt
import time

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from notifications.models import GatewayRecord, Message
from reception.models import ReceptionSession, RotaEntry
from reception.services.common import at
from tenants.tasks import fan_out
from tests.worker.conftest import wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def rostered(world, committed):
    """A session in three days at Alpha's v1 and at Beta's v1, each with its county deputy on the rota."""
    day = timezone.localdate() + dt.timedelta(days=3)
    made = {}
    for county, suffix in ((world.alpha, ""), (world.beta, "_b")):
        with schema_context(county.schema_name):
            session = ReceptionSession.objects.create(
                venue_id=world.ids[f"v1{suffix}"], planned_on=dt.date(2000, 1, 4), date=day,
                starts_at=at(day, dt.time(9)), ends_at=at(day, dt.time(17)))
            RotaEntry.objects.create(session=session, deputy_id=world.ids[f"deputy{suffix}"])
            made[county.slug] = (county.schema_name, session.pk)
    yield made
    for schema, pk in made.values():
        with schema_context(schema):
            Message.objects.filter(kind__startswith="reception.").delete()
            ReceptionSession.objects.filter(pk=pk).delete()


def _sent(schema: str, session_pk: int) -> list[tuple[str, str]]:
    with schema_context(schema):
        return list(Message.objects.filter(dedupe_key__startswith=f"reception:{session_pk}:", status="sent")
                    .values_list("dedupe_key", "mobile"))


def test_beat_fan_out_sends_each_countys_reminder_once(celery_worker, rostered, world):
    (alpha, a_pk), (beta, b_pk) = rostered["alpha"], rostered["beta"]
    fan_out.delay("reception.tasks.send_due_reminders")
    fan_out.delay("reception.tasks.send_due_reminders")  # beat restarted: the same tick twice
    wait_for(lambda: len(_sent(alpha, a_pk)) == 1 and len(_sent(beta, b_pk)) == 1, message="both reminders sent")
    # beat's outbox sweep runs too; give the worker time to act on everything sent, then count deliveries
    fan_out.delay("notifications.tasks.deliver_pending")
    time.sleep(3)
    assert _sent(alpha, a_pk) == [(f"reception:{a_pk}:v1:{world.ids['deputy']}:3d", world.deputy_a.mobile)]
    assert _sent(beta, b_pk) == [(f"reception:{b_pk}:v1:{world.ids['deputy_b']}:3d", world.deputy_b.mobile)]
    for schema, pk in ((alpha, a_pk), (beta, b_pk)):
        with schema_context(schema):
            assert GatewayRecord.objects.filter(message__dedupe_key__startswith=f"reception:{pk}:").count() == 1
