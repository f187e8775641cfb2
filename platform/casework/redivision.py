"""Casework's part in a township re-division: an opinion received at one of the townships' venues, about one
of their villages, or in a case of theirs (organisation.services.redivision; registered in
CaseworkConfig.ready)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from casework.models import Opinion
from organisation.services.redivision import LATEST_RECORD_SOURCES, latest_date


def latest_opinion(township_ids: list[int]) -> dt.date | None:
    return latest_date(Opinion.objects.filter(
        Q(venue__township_id__in=township_ids) | Q(village__township_id__in=township_ids)
        | Q(case__township_id__in=township_ids)), "received_on")


def register() -> None:
    if latest_opinion not in LATEST_RECORD_SOURCES:
        LATEST_RECORD_SOURCES.append(latest_opinion)
