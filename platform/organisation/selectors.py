"""Reads on the county's organisation; the whole tree and the build-progress report in a few queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from access.scope import Actor
from organisation.models import ConstructionFunding, Township, Venue


def townships_current() -> QuerySet[Township]:
    return Township.objects.current().order_by("division_code", "name")


def venues_visible_to(actor: Actor) -> QuerySet[Venue]:
    """Every member of the county reads the venues (their addresses and hours are public anyway)."""
    if not actor.is_member:
        return Venue.objects.none()
    return Venue.objects.select_related("township", "village").order_by("township__division_code", "kind", "name")


def venues_managed_by(actor: Actor) -> QuerySet[Venue]:
    qs = Venue.objects.select_related("township", "village")
    if actor.is_admin:
        return qs
    return qs.filter(Q(township_id__in=actor.township_ids) | Q(pk__in=actor.venue_ids))


@dataclass
class ProgressRow:
    township: Township
    central_status: str
    village_planned: int
    village_open: int
    budget: Decimal
    disbursed: Decimal
    spent: Decimal

    @property
    def spent_percent(self) -> Decimal | None:
        return (self.spent * 100 / self.budget).quantize(Decimal("0.1")) if self.budget else None

    @property
    def undisbursed(self) -> Decimal:
        return self.budget - self.disbursed


# A township with several homes or central stations shows the furthest along (open > building > planned).
STATUS_RANK = {Venue.Status.CLOSED: 0, Venue.Status.PLANNED: 1, Venue.Status.BUILDING: 2, Venue.Status.OPEN: 3}


def build_progress(year: int) -> list[ProgressRow]:
    """Source 004 篇一's report: per township, the home/central station's state, village stations
    planned and open, and the year's money (budget, disbursed, spent). Three queries."""
    townships = list(townships_current().annotate(
        village_planned=Count("venues", filter=Q(venues__kind=Venue.Kind.VILLAGE_STATION)),
        village_open=Count("venues", filter=Q(venues__kind=Venue.Kind.VILLAGE_STATION,
                                              venues__status=Venue.Status.OPEN)),
    ))
    central: dict[int, str] = {}
    for township_id, status in Venue.objects.filter(kind__in=Venue.TOWNSHIP_KINDS).values_list(
            "township_id", "status"):
        if STATUS_RANK[status] > STATUS_RANK.get(central.get(township_id), -1):
            central[township_id] = status
    funds = {f.township_id: f for f in ConstructionFunding.objects.filter(year=year)}
    labels = dict(Venue.Status.choices)
    rows = []
    for township in townships:
        fund = funds.get(township.pk)
        rows.append(ProgressRow(
            township=township,
            central_status=str(labels.get(central.get(township.pk), "未规划")),
            village_planned=township.village_planned,
            village_open=township.village_open,
            budget=fund.budget if fund else Decimal(0),
            disbursed=fund.disbursed if fund else Decimal(0),
            spent=fund.spent if fund else Decimal(0),
        ))
    return rows
