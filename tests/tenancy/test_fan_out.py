"""Beat's per-county fan-out publishes in batches: one producer (broker connection) per batch, each task stamped
with its county."""

import contextlib

import pytest
from celery import current_app
from django.db import connection

from tenants import tasks
from tenants.models import County, PendingOutbox

pytestmark = pytest.mark.django_db

TASK = "access.tasks.clear_expired_sessions"


@pytest.fixture
def published(monkeypatch):
    """What the fan-out publishes (schema, producer), and how many producers it took; the broker is real."""
    sent, producers = [], []
    current_app.loader.import_default_modules()  # the apps' tasks, when no earlier test has imported them
    monkeypatch.setattr(current_app.tasks[TASK], "apply_async",
                        lambda args=(), producer=None, **kw: sent.append((connection.schema_name, producer)))
    acquire = current_app.producer_or_acquire

    @contextlib.contextmanager
    def counted(producer=None):
        with acquire(producer) as got:
            producers.append(got)
            yield got

    monkeypatch.setattr(current_app, "producer_or_acquire", counted)
    return sent, producers


def test_every_active_county_gets_one_task_in_batches(world, published, monkeypatch):
    sent, producers = published
    monkeypatch.setattr(tasks, "FAN_OUT_BATCH", 1)
    assert tasks.fan_out(TASK) == 2
    assert [schema for schema, _ in sent] == sorted([world.alpha.schema_name, world.beta.schema_name])
    assert len(producers) == 2 and all(producer is not None for _, producer in sent)

    monkeypatch.setattr(tasks, "FAN_OUT_BATCH", 500)
    sent.clear()
    producers.clear()
    assert tasks.fan_out(TASK) == 2
    assert len(producers) == 1  # both counties over one producer


def test_the_pending_sweep_publishes_only_to_marked_active_counties(world, published):
    sent, producers = published
    County.objects.filter(pk=world.beta.pk).update(status=County.Status.SUSPENDED)
    PendingOutbox.objects.all().delete()
    PendingOutbox.objects.create(schema_name=world.alpha.schema_name)
    PendingOutbox.objects.create(schema_name=world.beta.schema_name)
    assert tasks.fan_out_pending(TASK) == 1
    assert [schema for schema, _ in sent] == [world.alpha.schema_name] and len(producers) == 1
