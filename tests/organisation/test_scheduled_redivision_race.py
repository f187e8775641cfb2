"""Two runs of the daily apply at once (beat fired twice, a task redelivered while the first still runs) apply a
due re-division once: each row is taken under select_for_update(skip_locked=True) and its status re-read under
the lock. Real connections in threads, on committed rows (tests/organisation/scheduled_data.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
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


def test_a_run_passes_over_a_row_another_run_holds_then_the_row_is_applied_once(world, due, django_db_blocker):
    """The interleaving made certain: one run holds the row's lock while the other runs; the second neither
    waits for it nor applies it (skip_locked), and once the lock is let go the row is applied once."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with schema_context(world.alpha.schema_name), transaction.atomic():
                ScheduledRedivision.objects.select_for_update().get(pk=due)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def run() -> int:
        with schema_context(world.alpha.schema_name):
            return apply_due(today=timezone.localdate())

    holder = threading.Thread(target=hold)
    with django_db_blocker.unblock():
        holder.start()
        try:
            assert held.wait(timeout=30)
            assert in_thread(run) == 0  # had it waited, the holder lets go after 30 s and the row is applied: 1
            assert in_thread(lambda: outcome(world, due)) == (ScheduledRedivision.Status.SCHEDULED, 0)
        finally:
            release.set()
            holder.join(timeout=30)
        assert in_thread(run) == 1
        assert in_thread(run) == 0
        assert in_thread(lambda: outcome(world, due)) == (ScheduledRedivision.Status.APPLIED, 1)
