"""Two runs of the daily apply at once (beat fired twice, a task redelivered while the first still runs) apply a
due re-division once: each row is taken under select_for_update(skip_locked=True) and its status re-read under
the lock. Real connections in threads, on committed rows (tests/organisation/scheduled_data.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from organisation.models import ScheduledRedivision
from organisation.services.scheduled_redivision import apply_due
from tests.casework.upstairs_data import in_thread
from tests.organisation.scheduled_data import make, outcome, remove


@pytest.fixture
def due(world, django_db_blocker):
    with django_db_blocker.unblock():
        pk = in_thread(lambda: make(world))
    yield pk
    with django_db_blocker.unblock():
        in_thread(lambda: remove(world, pk))


def test_two_runs_at_once_apply_the_row_once(world, due, django_db_blocker):
    start = threading.Barrier(2)
    decided: list[int] = []

    def run() -> None:
        try:
            with schema_context(world.alpha.schema_name):
                start.wait()
                decided.append(apply_due(today=timezone.localdate()))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    with django_db_blocker.unblock():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(decided) == [0, 1]
        assert in_thread(lambda: outcome(world, due)) == (ScheduledRedivision.Status.APPLIED, 1)
