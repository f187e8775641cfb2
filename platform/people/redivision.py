"""People's part in a township or village re-division (organisation.services.redivision calls these through the
hooks it publishes; people registers them in PeopleConfig.ready)."""

from __future__ import annotations

import datetime as dt

from core.levels import MandateStatus
from organisation.models import Redivision, RedivisionMove, Township
from organisation.services.redivision import (
    LATEST_RECORD_SOURCES,
    SUCCESSOR_MOVES,
    latest_date,
    latest_of,
    moved_from,
    take_part,
)
from organisation.services.village_redivision import LATEST_VILLAGE_RECORD_SOURCES
from people.models import Mandate, Stationing


def latest_people_record(township_ids: list[int]) -> dt.date | None:
    """Stationings at the townships' venues and township mandates, their end dates included."""
    return latest_of([
        latest_date(Stationing.objects.filter(venue__township_id__in=township_ids), "started_on", "ended_on"),
        latest_date(Mandate.objects.filter(township_id__in=township_ids), "started_on", "ended_on"),
    ])


def latest_village_stationing(village_ids: list[int]) -> dt.date | None:
    """Stationings at the villages' venues, their end dates included (mandates are of townships)."""
    return latest_date(Stationing.objects.filter(venue__village_id__in=village_ids), "started_on", "ended_on")


def move_serving_mandates(source_ids: list[int], target: Township, redivision: Redivision) -> None:
    """Township deputies still serving go on serving the successor township; each mandate notes the township
    it was of, so their records dated before keep the place of their day."""
    serving = Mandate.objects.filter(township_id__in=source_ids, ended_on__isnull=True, status=MandateStatus.SERVING)
    moved_from(redivision, RedivisionMove.Subject.MANDATE, list(serving.values_list("pk", "township_id")))
    serving.update(township=target)


def register() -> None:
    take_part(LATEST_RECORD_SOURCES, latest_people_record)
    take_part(SUCCESSOR_MOVES, move_serving_mandates)
    take_part(LATEST_VILLAGE_RECORD_SOURCES, latest_village_stationing)
