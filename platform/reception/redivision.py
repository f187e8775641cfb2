"""Reception's part in a re-division (organisation.services.redivision and .village_redivision; registered
in ReceptionConfig.ready): a reception day already held in one of the townships, or at one of the villages'
venues, or an issue raised there about one of the villages, dates the latest a re-division may take effect.
Days still ahead, today's included until it begins, are not records yet: they follow their venues to the
successor."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from organisation.models import Redivision, Township, Venue
from organisation.services.redivision import (
    LATEST_RECORD_SOURCES,
    SUCCESSOR_MOVES,
    latest_date,
    latest_of,
    take_part,
)
from organisation.services.village_redivision import LATEST_VILLAGE_RECORD_SOURCES
from reception.models import ReceptionIssue, ReceptionSession


def _held(**where) -> dt.date | None:
    """The latest day held: before today, or today once someone has signed in or its record is written. A
    day planned for today with nothing yet is still ahead: it would otherwise stop a re-division taking
    effect today, and the one registered for a 1st of the month that is a reception day (每月第一个星期一)
    would fail when beat applies it at 00:01."""
    today = timezone.localdate()
    begun = Q(date=today) & (Q(attendances__isnull=False) | Q(record__isnull=False))
    return latest_date(ReceptionSession.objects.filter(
        Q(date__lt=today) | begun, status=ReceptionSession.Status.SCHEDULED, **where), "date")


def latest_reception_held(township_ids: list[int]) -> dt.date | None:
    return _held(township_id__in=township_ids)


def latest_village_reception(village_ids: list[int]) -> dt.date | None:
    return latest_of([
        _held(venue__village_id__in=village_ids),
        latest_date(ReceptionIssue.objects.filter(village_id__in=village_ids), "record__session__date"),
    ])


def follow_venues(source_ids: list[int], target: Township, redivision: Redivision) -> None:
    """Days from the effective date on, still in the old townships, go where their venues went."""
    ReceptionSession.objects.filter(township_id__in=source_ids, date__gte=redivision.effective_on).update(
        township_id=Subquery(Venue.objects.filter(pk=OuterRef("venue_id")).values("township_id")[:1]))


def register() -> None:
    take_part(LATEST_RECORD_SOURCES, latest_reception_held)
    take_part(LATEST_VILLAGE_RECORD_SOURCES, latest_village_reception)
    take_part(SUCCESSOR_MOVES, follow_venues)
