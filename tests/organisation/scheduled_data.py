"""Committed rows for the scheduled re-division tests that need other connections (threads, a real worker): a
throwaway township with a rename to it registered ahead and then due today, and their removal (but the audit
rows: the chain only grows)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tenants.utils import schema_context

from notifications.models import Message
from organisation.models import Redivision, ScheduledRedivision, Township
from organisation.services.redivision import township_rename
from organisation.services.scheduled_redivision import redivision_schedule
from people.actors import actor_for

OLD, NEW = "试点镇", "试点新镇"


def make(world) -> int:
    """A rename of 试点镇 registered for tomorrow, then moved to today as if the day had come: its id."""
    with schema_context(world.alpha.schema_name):
        township = Township.objects.create(name=OLD, kind=Township.Kind.TOWN)
        row = redivision_schedule(township_rename, actor=actor_for(world.admin_a), township=township, name=NEW,
                                  effective_on=timezone.localdate() + dt.timedelta(days=1))
        ScheduledRedivision.objects.filter(pk=row.pk).update(effective_on=timezone.localdate())
        return row.pk


def remove(world, pk: int) -> None:
    with schema_context(world.alpha.schema_name):
        row = ScheduledRedivision.objects.get(pk=pk)
        ScheduledRedivision.objects.filter(pk=pk).delete()
        if row.redivision_id:
            Redivision.objects.filter(pk=row.redivision_id).delete()  # its links and moves with it
        Township.objects.filter(name__in=[OLD, NEW]).delete()
        Message.objects.filter(kind__startswith="organisation.").delete()


def outcome(world, pk: int) -> tuple[str, int]:
    """The row's status and how many re-divisions renamed 试点镇."""
    with schema_context(world.alpha.schema_name):
        return (ScheduledRedivision.objects.get(pk=pk).status,
                Redivision.objects.filter(links__predecessor__name=OLD).count())
