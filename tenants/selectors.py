"""Reads over the public schema."""

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from tenants.db import tenant_connection

from .models import Account, County, Escalation, EscalationAssignment, EscalationTransition, RegionRole, RollupRun

DRIFT_WINDOW = dt.timedelta(hours=24)


def counties_visible_to(*, account) -> QuerySet[County]:
    """Operators see every county; provincial staff their province's; prefecture staff their prefecture's."""
    qs = County.objects.select_related("province", "prefecture").prefetch_related("domains")
    if account.is_staff:
        return qs
    scope = Q(pk__in=[])
    for role in account.region_roles.all():
        scope |= Q(prefecture_id=role.prefecture_id) if role.prefecture_id else Q(province_id=role.province_id)
    return qs.filter(scope)


def rollup_drift(*, now: dt.datetime | None = None) -> dict:
    """Last night's rollup rebuilds (the 24 hours before `now`), for operators: the rows found wrong and
    corrected in all (drift), the counties whose rebuild found any, and the region rows' own drift. A
    drift that is not 0 means writes that missed their refresh (or rows changed by hand): the figures
    were wrong until the rebuild. One query."""
    since = (now or timezone.now()) - DRIFT_WINDOW
    totals = RollupRun.objects.filter(started_at__gte=since).aggregate(
        runs=models.Count("pk"), total=models.Sum("drift"),
        counties=models.Count("county", distinct=True, filter=Q(drift__gt=0, county__isnull=False)),
        regions=models.Sum("drift", filter=Q(county__isnull=True)))
    return {"since": since.isoformat(timespec="seconds"), "runs": totals["runs"], "drift": totals["total"] or 0,
            "counties_with_drift": totals["counties"], "region_drift": totals["regions"] or 0}


def current_county() -> County:
    """The county whose schema the connection is on (a task or a schema_context has no request.tenant)."""
    tenant = tenant_connection().tenant
    if isinstance(tenant, County):
        return tenant
    return County.objects.select_related("province", "prefecture").get(schema_name=tenant_connection().schema_name)


def escalations_visible_to(account) -> QuerySet[Escalation]:
    """Provincial staff read their province's province-level inbox; prefecture staff their prefecture's; a
    region's unit the items assigned to it now (tenants.actions says what each may do)."""
    qs = Escalation.objects.select_related("county", "province", "prefecture")
    if account is None or not account.is_authenticated:
        return qs.none()
    scope = Q(pk__in=[])
    units = list(account.region_units.values_list("pk", flat=True))
    if units:
        scope |= Q(pk__in=EscalationAssignment.objects.filter(is_active=True, unit_id__in=units)
                   .values("escalation_id"))
    for role in account.region_roles.all():
        if role.role == RegionRole.Role.PREFECTURE_STAFF:
            scope |= Q(level=Escalation.Level.PREFECTURE, prefecture_id=role.prefecture_id)
        else:
            scope |= Q(level=Escalation.Level.PROVINCE, province_id=role.province_id)
    return qs.filter(scope)


def escalation_history(escalation: Escalation) -> QuerySet[EscalationTransition]:
    """Every step of an item in both directions (the county's and the upper tiers'), oldest first."""
    return escalation.transitions.select_related("actor").order_by("created_at", "pk")


def escalation_recipients(escalation: Escalation, *, unit_ids: Iterable[int] | None = None) -> list[tuple[int, str]]:
    """Who is told of an item: the staff of the level it is at (or, given `unit_ids`, those units' accounts),
    as (account id, mobile), active accounts only."""
    if unit_ids is not None:
        accounts = Account.objects.filter(region_units__in=list(unit_ids))
    elif escalation.level == Escalation.Level.PREFECTURE:
        accounts = Account.objects.filter(region_roles__role=RegionRole.Role.PREFECTURE_STAFF,
                                          region_roles__prefecture_id=escalation.prefecture_id or 0)
    else:
        accounts = Account.objects.filter(region_roles__role=RegionRole.Role.PROVINCE_STAFF,
                                          region_roles__province_id=escalation.province_id)
    return list(accounts.filter(is_active=True).order_by("pk").values_list("pk", "mobile").distinct())
