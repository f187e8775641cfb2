"""The re-division's backdating guard covers every kind of record that rolls up by place: a merge may
not take effect on or before a duty, a held reception day or an opinion at the old township (issue 15:
a merge dated before a duty recorded there was accepted)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from casework.models import Channel
from casework.services.intake import opinion_receive
from duties.models import DutyKind, DutyRecord
from organisation.models import Township, Venue, Village
from organisation.services.redivision import township_merge
from people.actors import actor_for
from people.models import Deputy
from reception.models import Attendance, ReceptionSession

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 3, 15)  # after every record of the World (which start on 2021-10-01)


def duty(world, venue: Venue) -> None:
    DutyRecord.objects.create(kind=DutyKind.VISIT, deputy=Deputy.objects.get(pk=world.ids["west_deputy"]),
                              occurred_on=DAY, venue=venue, title="走访", author_id=world.admin_a.pk)


def reception(world, venue: Venue) -> None:
    at = timezone.make_aware(dt.datetime(2024, 3, 15, 9))
    ReceptionSession.objects.create(venue=venue, planned_on=DAY, date=DAY, starts_at=at,
                                    ends_at=at + dt.timedelta(hours=3))


def opinion_at_venue(world, venue: Venue) -> None:
    opinion_receive(actor=actor_for(world.admin_a), content="路灯坏了", channel=Channel.VISIT, venue=venue,
                    received_on=DAY)


def opinion_about_village(world, venue: Venue) -> None:
    opinion_receive(actor=actor_for(world.admin_a), content="路灯坏了", channel=Channel.VISIT, received_on=DAY,
                    village=Village.objects.get(pk=world.ids["village_west"]))


@pytest.mark.parametrize("record", [duty, reception, opinion_at_venue, opinion_about_village])
def test_a_merge_may_not_take_effect_on_or_before_a_record_there(world, record):
    with schema_context(world.alpha.schema_name):
        record(world, Venue.objects.get(pk=world.ids["v2"]))  # west's village station
        west, east = Township.objects.get(pk=world.ids["west"]), Township.objects.get(pk=world.ids["east"])
        admin = actor_for(world.admin_a)
        with pytest.raises(ValidationError) as refused:
            township_merge(actor=admin, sources=[west], into=east, effective_on=DAY)
        assert "最近一条记录为 2024-03-15" in " ".join(refused.value.messages)
        assert Township.objects.get(pk=west.pk).ended_on is None
        township_merge(actor=admin, sources=[west], into=east, effective_on=DAY + dt.timedelta(days=1))
        assert Township.objects.get(pk=west.pk).ended_on == DAY


def test_reception_days_still_ahead_do_not_hold_a_merge_back(world):
    with schema_context(world.alpha.schema_name):
        ahead = timezone.localdate() + dt.timedelta(days=30)
        at = timezone.make_aware(dt.datetime.combine(ahead, dt.time(9)))
        ReceptionSession.objects.create(venue_id=world.ids["v2"], planned_on=ahead, date=ahead, starts_at=at,
                                        ends_at=at + dt.timedelta(hours=3))
        west, east = Township.objects.get(pk=world.ids["west"]), Township.objects.get(pk=world.ids["east"])
        township_merge(actor=actor_for(world.admin_a), sources=[west], into=east, effective_on=DAY)
        assert Venue.objects.get(pk=world.ids["v2"]).township_id == east.pk


def test_todays_reception_day_holds_a_merge_back_only_once_it_has_begun(world):
    """At 00:01 a scheduled merge applies on a day that is also a reception day: planned, not yet held, it
    goes to the successor with its station; once a deputy has signed in, it is a record of the old township."""
    with schema_context(world.alpha.schema_name):
        today = timezone.localdate()
        at = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
        day = ReceptionSession.objects.create(venue_id=world.ids["v2"], planned_on=today, date=today, starts_at=at,
                                              ends_at=at + dt.timedelta(hours=3))
        Attendance.objects.create(session=day, deputy_id=world.ids["west_deputy"], signed_in_at=at,
                                  method=Attendance.Method.STAFF)
        west, east = Township.objects.get(pk=world.ids["west"]), Township.objects.get(pk=world.ids["east"])
        admin = actor_for(world.admin_a)
        with pytest.raises(ValidationError) as refused:
            township_merge(actor=admin, sources=[west], into=east, effective_on=today)
        assert f"最近一条记录为 {today.isoformat()}" in " ".join(refused.value.messages)

        Attendance.objects.filter(session=day).delete()
        township_merge(actor=admin, sources=[west], into=east, effective_on=today)
        day.refresh_from_db()
        assert day.township_id == east.pk  # the day follows its station to the successor
