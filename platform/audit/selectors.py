"""Reading the audit: the filters the viewer and the API share, and the names to show beside the rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from tenants.models import Account

from .labels import action_label, target_label
from .services import chain_models


@dataclass(frozen=True)
class AuditFilters:
    who: str = ""  # a name or a mobile number (part of it)
    action: str = ""  # an action code, or a prefix ending in "." (auth.)
    target_type: str = ""
    target_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def audit_entries(filters: AuditFilters) -> QuerySet:
    """The rows of the schema the connection is in (a county's, or the platform's), newest first."""
    model, _anchor = chain_models()
    qs = model._default_manager.all().order_by("-at", "-id")
    if who := filters.who.strip():
        ids = Account.objects.filter(Q(name__icontains=who) | Q(mobile__contains=who)).values_list("pk", flat=True)
        qs = qs.filter(actor_id__in=list(ids[:500]))
    if filters.action:
        qs = (qs.filter(action__startswith=filters.action) if filters.action.endswith(".")
              else qs.filter(action=filters.action))
    if filters.target_type:
        qs = qs.filter(target_type=filters.target_type)
    if filters.target_id:
        qs = qs.filter(target_id=filters.target_id.strip())
    tz = timezone.get_current_timezone()
    if filters.since:
        qs = qs.filter(at__gte=dt.datetime.combine(filters.since, dt.time.min, tzinfo=tz))
    if filters.until:
        qs = qs.filter(at__lt=dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs


def audit_labelled(rows) -> list:
    """The rows with what the UI shows: the action's and the target's Chinese names, the actor's name and
    mobile (one query for the page)."""
    rows = list(rows)
    names = dict(Account.objects.filter(pk__in={r.actor_id for r in rows if r.actor_id})
                 .values_list("pk", "name"))
    mobiles = dict(Account.objects.filter(pk__in=list(names)).values_list("pk", "mobile"))
    for row in rows:
        row.action_label = action_label(row.action)
        row.target_label = target_label(row.target_type)
        row.actor_name = names.get(row.actor_id, "") if row.actor_id else ""
        row.actor_mobile = mobiles.get(row.actor_id, "") if row.actor_id else ""
    return rows


def audit_target_types() -> list[tuple[str, str]]:
    model, _anchor = chain_models()
    types = model._default_manager.exclude(target_type="").values_list("target_type", flat=True).distinct()
    return sorted(((t, target_label(t)) for t in types), key=lambda t: t[1])
