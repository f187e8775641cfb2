"""Reads on duty records, scoped by the actor: a deputy reads their own; station staff the deputies
stationed at their venues; township staff their township's; the county all. Handling units and
opinion observers read none. A record outside the actor's reach is absent (404)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from access.scope import Actor
from duties.models import DutyPhoto, DutyRecord
from people.models import Deputy
from people.selectors import deputies_managed_by


def deputies_in_duty_scope(actor: Actor) -> QuerySet[Deputy]:
    """Whose duty records the actor reads: the deputies they manage as staff, and themself."""
    return deputies_managed_by(actor)


def reads_duty_reports(actor: Actor) -> bool:
    """Who opens the three-ones and the evaluation: staff (their deputies' rows) and a deputy (their own);
    handling units and observers do not."""
    return actor.is_staff or actor.deputy_id is not None


def duty_records_visible_to(actor: Actor) -> QuerySet[DutyRecord]:
    qs = DutyRecord.objects.select_related("deputy__account", "venue", "author")
    if actor.is_admin:
        return qs
    if not actor.is_member:
        return qs.none()
    scope = Q(deputy__in=deputies_managed_by(dataclasses.replace(actor, deputy_id=None)).values("pk")) \
        if actor.is_staff else Q(pk__in=[])
    if actor.venue_ids:  # records at the station, whoever's
        scope |= Q(venue_id__in=actor.venue_ids)
    if actor.deputy_id:
        scope |= Q(deputy_id=actor.deputy_id)
    return qs.filter(scope)


def duty_records_filtered(qs: QuerySet[DutyRecord], *, kind: str = "", deputy: int | None = None,
                          venue: int | None = None, month: str = "", status: str = "",
                          q: str = "") -> QuerySet[DutyRecord]:
    """Filters shared by the API and the pages; `month` is "YYYY-MM"."""
    if kind:
        qs = qs.filter(kind=kind)
    if deputy:
        qs = qs.filter(deputy_id=deputy)
    if venue:
        qs = qs.filter(venue_id=venue)
    if status:
        qs = qs.filter(status=status)
    start = month_start(month)
    if start is not None:
        end = (start + dt.timedelta(days=32)).replace(day=1)
        qs = qs.filter(occurred_on__gte=start, occurred_on__lt=end)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(deputy__account__name__icontains=q))
    return qs


def month_start(month: str) -> dt.date | None:
    try:
        year, number = (int(part) for part in (month or "").split("-"))
        return dt.date(year, number, 1)
    except (TypeError, ValueError):
        return None


def with_details(qs: QuerySet[DutyRecord]) -> QuerySet[DutyRecord]:
    """Photos, participants and transitions of each record: three queries whatever the number of rows."""
    return qs.prefetch_related(
        Prefetch("photos", queryset=DutyPhoto.objects.order_by("uploaded_at", "pk")),
        Prefetch("participants", queryset=Deputy.objects.select_related("account")),
        "transitions",
    )


def duty_records_awaiting(actor: Actor) -> QuerySet[DutyRecord]:
    """Records logged on the acting deputy's behalf that wait for them."""
    if not actor.deputy_id:
        return DutyRecord.objects.none()
    return duty_records_visible_to(actor).filter(deputy_id=actor.deputy_id, status=DutyRecord.Status.PENDING)


def activities_published(venue_id: int, *, limit: int = 10) -> QuerySet[DutyRecord]:
    """A station's public page: the confirmed activities it chose to show (title, kind, date; no content)."""
    return (DutyRecord.objects.filter(venue_id=venue_id, published=True, status=DutyRecord.Status.CONFIRMED)
            .only("pk", "kind", "title", "occurred_on", "venue_id").order_by("-occurred_on", "-pk")[:limit])

