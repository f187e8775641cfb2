"""Reception's part in a re-division: a reception day already held at one of the townships' (villages')
venues, or an issue raised there about one of the villages, dates the latest a re-division may take effect
(organisation.services.redivision and .village_redivision; registered in ReceptionConfig.ready). Days still
ahead are not records yet: their venues move to the successor with everything else."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from organisation.services.redivision import LATEST_RECORD_SOURCES, latest_date, latest_of, take_part
from organisation.services.village_redivision import LATEST_VILLAGE_RECORD_SOURCES
from reception.models import ReceptionIssue, ReceptionSession


def _held(**where) -> dt.date | None:
    return latest_date(ReceptionSession.objects.filter(
        status=ReceptionSession.Status.SCHEDULED, date__lte=timezone.localdate(), **where), "date")


def latest_reception_held(township_ids: list[int]) -> dt.date | None:
    return _held(venue__township_id__in=township_ids)


def latest_village_reception(village_ids: list[int]) -> dt.date | None:
    return latest_of([
        _held(venue__village_id__in=village_ids),
        latest_date(ReceptionIssue.objects.filter(village_id__in=village_ids), "record__session__date"),
    ])


def register() -> None:
    take_part(LATEST_RECORD_SOURCES, latest_reception_held)
    take_part(LATEST_VILLAGE_RECORD_SOURCES, latest_village_reception)
