"""The deputies a duty report lists, each with the station and township it is rolled up under."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.levels import MandateStatus
from people.models import Deputy, Mandate, Stationing


@dataclass
class RosterRow:
    deputy_id: int
    name: str
    venue_id: int | None
    venue_name: str
    township_id: int | None
    township_name: str


def serving_deputies() -> QuerySet[Deputy]:
    """Deputies who serve here: a serving county or township mandate, or a current stationing (province
    and prefecture deputies stationed in the county)."""
    return Deputy.objects.filter(
        Q(pk__in=Mandate.objects.filter(status=MandateStatus.SERVING, ended_on__isnull=True).values("deputy_id"))
        | Q(pk__in=Stationing.objects.filter(ended_on__isnull=True).values("deputy_id")))


def roster_rows(deputies: QuerySet[Deputy]) -> list[RosterRow]:
    """One query: each deputy with their current station (the latest, when several) and their township:
    their serving township mandate's, else their station's (the rule of people.selectors.DeputyPlaces)."""
    station = Stationing.objects.filter(deputy_id=OuterRef("pk"), ended_on__isnull=True).order_by(
        "-started_on", "-pk")
    mandate = Mandate.objects.filter(deputy_id=OuterRef("pk"), township__isnull=False,
                                     status=MandateStatus.SERVING, ended_on__isnull=True).order_by("-started_on", "-pk")
    rows = (deputies.order_by().annotate(
        name_=F("account__name"),
        venue_id_=Subquery(station.values("venue_id")[:1]),
        venue_name_=Subquery(station.values("venue__name")[:1]),
        township_id_=Coalesce(Subquery(mandate.values("township_id")[:1]),
                              Subquery(station.values("venue__township_id")[:1])),
        township_name_=Coalesce(Subquery(mandate.values("township__name")[:1]),
                                Subquery(station.values("venue__township__name")[:1])),
    ).values_list("pk", "name_", "venue_id_", "venue_name_", "township_id_", "township_name_"))
    return sorted((RosterRow(pk, name or "", venue_id, venue_name or "", township_id, township_name or "")
                   for pk, name, venue_id, venue_name, township_id, township_name in rows),
                  key=lambda r: (r.township_name, r.venue_name, r.name, r.deputy_id))
