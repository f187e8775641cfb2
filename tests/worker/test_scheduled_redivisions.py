"""The daily apply of scheduled re-divisions through beat's fan-out on a real worker: the due rename takes effect
in its county, and a second run (beat restarted, a task redelivered) applies nothing twice."""

import time

import pytest
from django.db import connection

from organisation.models import ScheduledRedivision
from tenants.tasks import fan_out
from tests.organisation.scheduled_data import make, outcome, remove
from tests.worker.conftest import wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def due(world, committed):
    pk = make(world)
    yield pk
    remove(world, pk)


def test_fan_out_applies_the_due_redivision_once(celery_worker, world, due):
    connection.set_schema_to_public()
    fan_out.delay("organisation.tasks.apply_scheduled_redivisions")
    wait_for(lambda: outcome(world, due)[0] != ScheduledRedivision.Status.SCHEDULED, message="the re-division")
    assert outcome(world, due) == (ScheduledRedivision.Status.APPLIED, 1)
    fan_out.delay("organisation.tasks.apply_scheduled_redivisions")
    time.sleep(3)
    assert outcome(world, due) == (ScheduledRedivision.Status.APPLIED, 1)
