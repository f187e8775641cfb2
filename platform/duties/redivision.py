"""Duties' part in a township re-division: a duty recorded in one of the townships (the township of its day,
DutyRecord.township: at one of their venues, or by one of their deputies) dates the latest a re-division
there may take effect (organisation.services.redivision; registered in DutiesConfig.ready), or the old
township's record would roll up to its successor."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from duties.models import DutyRecord
from organisation.services.redivision import LATEST_RECORD_SOURCES, latest_date


def latest_duty_record(township_ids: list[int]) -> dt.date | None:
    return latest_date(DutyRecord.objects.filter(Q(township_id__in=township_ids)
                                                 | Q(venue__township_id__in=township_ids)), "occurred_on")


def register() -> None:
    if latest_duty_record not in LATEST_RECORD_SOURCES:
        LATEST_RECORD_SOURCES.append(latest_duty_record)
