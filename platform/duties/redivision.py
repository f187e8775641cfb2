"""Duties' part in a re-division: a duty recorded in one of the townships (the township of its day,
DutyRecord.township: at one of their venues, or by one of their deputies) or at one of the villages' venues
dates the latest a re-division there may take effect (organisation.services.redivision and
.village_redivision; registered in DutiesConfig.ready), or the old unit's record would roll up to its
successor."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from duties.models import DutyRecord
from organisation.services.redivision import LATEST_RECORD_SOURCES, latest_date, take_part
from organisation.services.village_redivision import LATEST_VILLAGE_RECORD_SOURCES


def latest_duty_record(township_ids: list[int]) -> dt.date | None:
    return latest_date(DutyRecord.objects.filter(Q(township_id__in=township_ids)
                                                 | Q(venue__township_id__in=township_ids)), "occurred_on")


def latest_village_duty_record(village_ids: list[int]) -> dt.date | None:
    return latest_date(DutyRecord.objects.filter(venue__village_id__in=village_ids), "occurred_on")


def register() -> None:
    take_part(LATEST_RECORD_SOURCES, latest_duty_record)
    take_part(LATEST_VILLAGE_RECORD_SOURCES, latest_village_duty_record)
