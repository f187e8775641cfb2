"""Reception fixtures: a session at Alpha's village station v1, where deputy_a (a county deputy) is stationed."""

import datetime as dt

import pytest
from django.utils import timezone

from people.actors import actor_for
from reception.models import ReceptionSession
from reception.services.common import at


def make_session(venue_id: int, day: dt.date, start: int = 9, end: int = 17) -> ReceptionSession:
    return ReceptionSession.objects.create(venue_id=venue_id, planned_on=day, date=day,
                                           starts_at=at(day, dt.time(start)), ends_at=at(day, dt.time(end)))


def make_session_now(venue_id: int) -> ReceptionSession:
    """A session today whose sign-in window is open now, at any hour: from an hour ago (not before midnight: an
    arrival must fall on the session's day) to two hours on (past midnight when the clock is late: a window
    cut at 23:00 made these tests fail after it)."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return ReceptionSession.objects.create(venue_id=venue_id, planned_on=now.date(), date=now.date(),
                                           starts_at=max(midnight, now - dt.timedelta(hours=1)),
                                           ends_at=now + dt.timedelta(hours=2))


@pytest.fixture
def actors(world, alpha):
    with alpha():
        return {name: actor_for(getattr(world, name)) for name in
                ("admin_a", "township_staff_a", "station_staff_a", "deputy_a", "unit_a", "township_deputy_a")}


@pytest.fixture
def today():
    return timezone.localdate()
