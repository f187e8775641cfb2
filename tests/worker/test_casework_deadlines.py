"""The daily deadline scan through beat's fan-out on a real worker: each county scans its own rows, and a
second run (beat restarted, a task redelivered) sends nothing twice."""

import datetime as dt
import time

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.tasks import fan_out
from tests.worker.conftest import wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def overdue(world, committed):
    from casework import services
    from casework.models import Suggestion
    from notifications.models import Message
    from organisation.models import HandlingUnit
    from people.actors import actor_for
    from people.models import Deputy

    with schema_context(world.alpha.schema_name):
        admin = actor_for(world.admin_a)
        s = services.suggestion_submit(actor=admin, title="逾期未答复的建议", content="内容",
                                       lead_deputy=Deputy.objects.get(pk=world.ids["deputy"]))
        services.suggestion_register(actor=admin, suggestion=s)
        services.suggestion_assign(actor=admin, suggestion=s, lead_unit=HandlingUnit.objects.get(pk=world.ids["unit"]),
                                   assigned_on=timezone.localdate() - dt.timedelta(days=120))
    yield s
    with schema_context(world.alpha.schema_name):
        Suggestion.objects.filter(pk=s.pk).delete()
        Message.objects.filter(kind__startswith="casework.").delete()


def _overdue_messages(schema):
    from notifications.models import Message

    with schema_context(schema):
        return list(Message.objects.filter(kind="casework.overdue").values_list("account_id", flat=True))


def test_fan_out_scan_tells_unit_and_deputy_once(celery_worker, world, overdue):
    connection.set_schema_to_public()
    fan_out.delay("casework.tasks.deadline_scan")
    wait_for(lambda: len(_overdue_messages(world.alpha.schema_name)) == 2, message="the overdue reminders")
    assert set(_overdue_messages(world.alpha.schema_name)) == {world.unit_a.pk, world.deputy_a.pk}
    fan_out.delay("casework.tasks.deadline_scan")
    time.sleep(3)
    assert len(_overdue_messages(world.alpha.schema_name)) == 2
    assert _overdue_messages(world.beta.schema_name) == []
