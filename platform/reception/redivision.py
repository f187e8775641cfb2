"""Reception's part in a township re-division: a reception day already held at one of the townships'
venues (organisation.services.redivision; registered in ReceptionConfig.ready). Days still ahead are
not records yet: their venues move to the successor with everything else."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from organisation.services.redivision import LATEST_RECORD_SOURCES, latest_date
from reception.models import ReceptionSession


def latest_reception_held(township_ids: list[int]) -> dt.date | None:
    return latest_date(ReceptionSession.objects.filter(
        venue__township_id__in=township_ids, status=ReceptionSession.Status.SCHEDULED,
        date__lte=timezone.localdate()), "date")


def register() -> None:
    if latest_reception_held not in LATEST_RECORD_SOURCES:
        LATEST_RECORD_SOURCES.append(latest_reception_held)
