"""What the organisation pages share: the reads that have no selector of their own yet (the guard, pager
and .xlsx download are frontend.pages')."""

from __future__ import annotations

from django.db.models import QuerySet

from access.scope import Actor
from organisation.models import Assessment, ConstructionFunding
from organisation.selectors import venues_managed_by


def assessments_visible_to(actor: Actor) -> QuerySet[Assessment]:
    """Assessments, with their evidence, are read by those who manage the venue."""
    return (Assessment.objects.filter(venue__in=venues_managed_by(actor).values("pk"))
            .select_related("venue", "template").order_by("-assessed_on", "-id"))


def progress_township_ids(actor: Actor) -> frozenset[int] | None:
    """Townships whose funds and build progress the actor reads: all (None) for the county administrator,
    their own for township staff, their station's township for station staff."""
    if actor.is_admin:
        return None
    return actor.township_ids | actor.venue_township_ids


def fundings_visible_to(actor: Actor) -> QuerySet[ConstructionFunding]:
    if not actor.is_staff:
        return ConstructionFunding.objects.none()
    qs = ConstructionFunding.objects.select_related("township").order_by("-year", "township__division_code")
    scope = progress_township_ids(actor)
    return qs if scope is None else qs.filter(township_id__in=scope)


def can_assess(actor: Actor, venue) -> bool:
    """The rule of organisation.services.standards.assessment_record, to show or hide its link."""
    return actor.can_manage_township(venue.township_id) if venue.township_id else actor.is_admin
