"""People's part in a township re-division (organisation.services.redivision calls these through the
hooks it publishes; people registers them in PeopleConfig.ready)."""

from __future__ import annotations

import datetime as dt

from core.levels import MandateStatus
from organisation.models import Redivision, RedivisionMove, Township
from organisation.services.redivision import (
    LATEST_RECORD_SOURCES,
    SUCCESSOR_MOVES,
    latest_date,
    moved_from,
)
from people.models import Mandate, Stationing


def latest_people_record(township_ids: list[int]) -> dt.date | None:
    """Stationings at the townships' venues and township mandates, their end dates included."""
    dates = [
        latest_date(Stationing.objects.filter(venue__township_id__in=township_ids), "started_on", "ended_on"),
        latest_date(Mandate.objects.filter(township_id__in=township_ids), "started_on", "ended_on"),
    ]
    found = [d for d in dates if d is not None]
    return max(found) if found else None


def move_serving_mandates(source_ids: list[int], target: Township, redivision: Redivision) -> None:
    """Township deputies still serving go on serving the successor township; each mandate notes the township
    it was of, so their records dated before keep the place of their day."""
    serving = Mandate.objects.filter(township_id__in=source_ids, ended_on__isnull=True, status=MandateStatus.SERVING)
    moved_from(redivision, RedivisionMove.Subject.MANDATE, list(serving.values_list("pk", "township_id")))
    serving.update(township=target)


def register() -> None:
    if latest_people_record not in LATEST_RECORD_SOURCES:
        LATEST_RECORD_SOURCES.append(latest_people_record)
    if move_serving_mandates not in SUCCESSOR_MOVES:
        SUCCESSOR_MOVES.append(move_serving_mandates)
