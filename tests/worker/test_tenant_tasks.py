"""Tasks run in the schema they were sent from, and see only that county's rows."""

from datetime import timedelta

import pytest
from celery import current_app
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from access.tasks import clear_expired_sessions
from core.tasks import enqueue_on_commit
from tenants.tasks import fan_out
from tests.worker.conftest import wait_for
from workdays.models import CalendarYear
from workdays.tasks import sync_holidays

pytestmark = pytest.mark.worker


@pytest.fixture
def sessions(world, committed):
    """An expired and a live session in each of Alpha and Beta."""
    made = {}
    for county in (world.alpha, world.beta):
        with schema_context(county.schema_name):
            Session.objects.all().delete()
            Session.objects.create(session_key=f"expired-{county.slug}", session_data="x",
                                   expire_date=timezone.now() - timedelta(days=1))
            Session.objects.create(session_key=f"live-{county.slug}", session_data="x",
                                   expire_date=timezone.now() + timedelta(days=1))
        made[county.slug] = county.schema_name
    yield made
    for schema in made.values():
        with schema_context(schema):
            Session.objects.all().delete()


def _keys(schema: str) -> set[str]:
    with schema_context(schema):
        return set(Session.objects.values_list("session_key", flat=True))


def test_task_sent_from_a_runs_in_a_only(celery_worker, sessions):
    with schema_context(sessions["alpha"]):
        clear_expired_sessions.delay()
    wait_for(lambda: _keys(sessions["alpha"]) == {"live-alpha"}, message="Alpha's expired session to go")
    assert _keys(sessions["beta"]) == {"expired-beta", "live-beta"}


def test_task_enqueued_on_commit_runs_in_the_schema_it_was_asked_from(celery_worker, sessions):
    with schema_context(sessions["beta"]), transaction.atomic():
        enqueue_on_commit(clear_expired_sessions)
        # Before the commit the code moves to another schema; the task must still go to Beta.
        connection.set_schema_to_public()
    wait_for(lambda: _keys(sessions["beta"]) == {"live-beta"}, message="Beta's expired session to go")
    assert _keys(sessions["alpha"]) == {"expired-alpha", "live-alpha"}


def test_a_task_enqueued_by_name_runs_in_its_schema_though_this_process_never_imported_it(celery_worker, sessions):
    """A service names its task (core.tasks); a web process or a management command has not imported the task
    module, so the name is not in its Celery registry: it must still be published, to the right schema."""
    name = clear_expired_sessions.name
    registered = current_app.tasks.pop(name)
    try:
        with schema_context(sessions["alpha"]), transaction.atomic():
            enqueue_on_commit(name)
    finally:
        current_app.tasks[name] = registered
    wait_for(lambda: _keys(sessions["alpha"]) == {"live-alpha"}, message="Alpha's expired session to go")
    assert _keys(sessions["beta"]) == {"expired-beta", "live-beta"}


def test_beat_fan_out_reaches_every_county_and_not_the_template(celery_worker, sessions):
    with schema_context("county_template"):
        Session.objects.create(session_key="expired-template", session_data="x",
                               expire_date=timezone.now() - timedelta(days=1))
    try:
        connection.set_schema_to_public()
        fan_out.delay("access.tasks.clear_expired_sessions")
        wait_for(lambda: _keys(sessions["alpha"]) == {"live-alpha"} and _keys(sessions["beta"]) == {"live-beta"},
                 message="every county's expired sessions to go")
        assert _keys("county_template") == {"expired-template"}
    finally:
        with schema_context("county_template"):
            Session.objects.all().delete()


def test_beats_holiday_sync_runs_in_the_public_schema_and_makes_a_year_official(celery_worker, committed):
    this_year = timezone.localdate().year
    with schema_context("public"):
        before = CalendarYear.objects.get(year=this_year).status
        CalendarYear.objects.filter(year=this_year).update(status=CalendarYear.Status.PROVISIONAL)
    try:
        current_app.send_task(sync_holidays.name)  # as beat sends it: no county, no arguments
        wait_for(lambda: CalendarYear.objects.get(year=this_year).is_official, message="the year to be official")
    finally:
        CalendarYear.objects.filter(year=this_year).update(status=before)
