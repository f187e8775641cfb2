"""Reads on deputies, scoped by the actor (see access.scope)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from access.scope import Actor
from core.levels import MandateStatus
from people.models import Deputy, Mandate, Stationing


def deputy_list() -> QuerySet[Deputy]:
    """Deputies with what every list shows, in a constant number of queries."""
    return (
        Deputy.objects.select_related("account")
        .prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.select_related("township")),
            Prefetch("stationings", queryset=Stationing.objects.filter(ended_on__isnull=True)
                     .select_related("venue"), to_attr="current_stationings"),
        )
        .order_by("account__name", "pk")
    )


def deputies_visible_to(actor: Actor) -> QuerySet[Deputy]:
    """The directory: every member of the county sees every deputy's public card."""
    if not actor.is_member:
        return Deputy.objects.none()
    return deputy_list()


def deputies_managed_by(actor: Actor) -> QuerySet[Deputy]:
    """Deputies whose full records (ID number, mandates, stationing) the actor reads and edits."""
    qs = deputy_list()
    if actor.is_admin:
        return qs
    scope = Q(pk__in=[])
    if actor.township_ids:
        scope |= Q(mandates__township_id__in=actor.township_ids)
        scope |= Q(stationings__venue__township_id__in=actor.township_ids, stationings__ended_on__isnull=True)
    if actor.venue_ids:
        scope |= Q(stationings__venue_id__in=actor.venue_ids, stationings__ended_on__isnull=True)
    if actor.deputy_id:
        scope |= Q(pk=actor.deputy_id)
    return qs.filter(pk__in=Deputy.objects.filter(scope).values("pk"))


def serving_levels(deputy: Deputy) -> list[str]:
    return sorted({m.level for m in deputy.mandates.all() if m.status == MandateStatus.SERVING})
