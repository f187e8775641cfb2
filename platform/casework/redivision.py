"""Casework's part in a re-division: an opinion received at one of the townships' (villages') venues, about
one of their villages, or in a case of theirs, dates the latest a re-division there may take effect
(organisation.services.redivision and .village_redivision; registered in CaseworkConfig.ready)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from casework.models import Opinion
from organisation.services.redivision import LATEST_RECORD_SOURCES, latest_date, take_part
from organisation.services.village_redivision import LATEST_VILLAGE_RECORD_SOURCES


def _latest(where: Q) -> dt.date | None:
    return latest_date(Opinion.objects.filter(where), "received_on")


def latest_opinion(township_ids: list[int]) -> dt.date | None:
    return _latest(Q(venue__township_id__in=township_ids) | Q(village__township_id__in=township_ids)
                   | Q(case__township_id__in=township_ids))


def latest_village_opinion(village_ids: list[int]) -> dt.date | None:
    return _latest(Q(venue__village_id__in=village_ids) | Q(village_id__in=village_ids))


def register() -> None:
    take_part(LATEST_RECORD_SOURCES, latest_opinion)
    take_part(LATEST_VILLAGE_RECORD_SOURCES, latest_village_opinion)
