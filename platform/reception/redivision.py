"""Reception's part in a township re-division (organisation.services.redivision; registered in
ReceptionConfig.ready): a reception day already held in one of the townships dates the latest a re-division
there may take effect. Days still ahead are not records yet: they follow their venues to the successor."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from organisation.models import Redivision, Township, Venue
from organisation.services.redivision import LATEST_RECORD_SOURCES, SUCCESSOR_MOVES, latest_date
from reception.models import ReceptionSession


def latest_reception_held(township_ids: list[int]) -> dt.date | None:
    return latest_date(ReceptionSession.objects.filter(
        township_id__in=township_ids, status=ReceptionSession.Status.SCHEDULED,
        date__lte=timezone.localdate()), "date")


def follow_venues(source_ids: list[int], target: Township, redivision: Redivision) -> None:
    """Days from the effective date on, still in the old townships, go where their venues went."""
    ReceptionSession.objects.filter(township_id__in=source_ids, date__gte=redivision.effective_on).update(
        township_id=Subquery(Venue.objects.filter(pk=OuterRef("venue_id")).values("township_id")[:1]))


def register() -> None:
    if latest_reception_held not in LATEST_RECORD_SOURCES:
        LATEST_RECORD_SOURCES.append(latest_reception_held)
    if follow_venues not in SUCCESSOR_MOVES:
        SUCCESSOR_MOVES.append(follow_venues)
