"""Reads on training events: every member reads the events; attendance is read by staff for the
deputies they manage and by each deputy for themself."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from access.scope import Actor
from duties.models import TrainingAttendance, TrainingEvent
from duties.selectors.records import deputies_in_duty_scope


def training_events_visible_to(actor: Actor) -> QuerySet[TrainingEvent]:
    if not actor.is_member:
        return TrainingEvent.objects.none()
    return TrainingEvent.objects.select_related("venue", "township").annotate(
        present=Count("attendances", filter=Q(attendances__status=TrainingAttendance.Status.PRESENT))
    ).order_by("-held_on", "-pk")


def attendances_visible_to(actor: Actor) -> QuerySet[TrainingAttendance]:
    qs = TrainingAttendance.objects.select_related("deputy__account")
    if actor.is_admin:
        return qs
    return qs.filter(deputy__in=deputies_in_duty_scope(actor).values("pk"))


def with_attendance(qs: QuerySet[TrainingEvent], actor: Actor) -> QuerySet[TrainingEvent]:
    return qs.prefetch_related(Prefetch("attendances", queryset=attendances_visible_to(actor)
                                        .order_by("deputy__account__name"), to_attr="visible_attendances"))
