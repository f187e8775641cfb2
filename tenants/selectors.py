"""Reads over the public schema."""

from collections.abc import Iterable

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tenants.db import tenant_connection

from .models import County, Escalation, RegionRole


def counties_visible_to(*, account) -> QuerySet[County]:
    """Operators see every county; provincial staff their province's; prefecture staff their prefecture's."""
    qs = County.objects.select_related("province", "prefecture").prefetch_related("domains")
    if account.is_staff:
        return qs
    scope = Q(pk__in=[])
    for role in account.region_roles.all():
        scope |= Q(prefecture_id=role.prefecture_id) if role.prefecture_id else Q(province_id=role.province_id)
    return qs.filter(scope)


def current_county() -> County:
    """The county whose schema the connection is on (a task or a schema_context has no request.tenant)."""
    tenant = tenant_connection().tenant
    if isinstance(tenant, County):
        return tenant
    return County.objects.select_related("province", "prefecture").get(schema_name=tenant_connection().schema_name)


def escalations_visible_to(account) -> QuerySet[Escalation]:
    """Provincial staff read their province's province-level inbox; prefecture staff their prefecture's."""
    qs = Escalation.objects.select_related("county", "province", "prefecture")
    if account is None or not account.is_authenticated:
        return qs.none()
    scope = Q(pk__in=[])
    for role in account.region_roles.all():
        if role.role == RegionRole.Role.PREFECTURE_STAFF:
            scope |= Q(level=Escalation.Level.PREFECTURE, prefecture_id=role.prefecture_id)
        else:
            scope |= Q(level=Escalation.Level.PROVINCE, province_id=role.province_id)
    return qs.filter(scope)




class EscalationAction(models.TextChoices):
    PROGRESS = "progress", _("反馈办理进展")
    ANSWER = "answer", _("答复")


def escalation_actions_by_role(account, escalation: Escalation, *,
                               roles: Iterable[RegionRole] | None = None) -> frozenset[str]:
    """The staff of the level it was escalated to act on it: a prefecture's staff on their prefecture's
    prefecture-level items, a province's on its province-level ones (the inbox's own scope).
    `roles`: the account's region roles, when a page has read them once."""
    if roles is None:
        roles = account.region_roles.all() if account is not None and account.is_authenticated else ()
    for role in roles:
        if role.role == RegionRole.Role.PREFECTURE_STAFF:
            reaches = escalation.level == Escalation.Level.PREFECTURE and escalation.prefecture_id == role.prefecture_id
        else:
            reaches = escalation.level == Escalation.Level.PROVINCE and escalation.province_id == role.province_id
        if reaches:
            return frozenset(EscalationAction.values)
    return frozenset()


def escalation_actions_by_status(escalation: Escalation) -> frozenset[str]:
    """Answered, or withdrawn because the county closed the case itself: nothing more to do."""
    if escalation.status in (Escalation.Status.OPEN, Escalation.Status.ACCEPTED):
        return frozenset(EscalationAction.values)
    return frozenset()


def escalation_actions(account, escalation: Escalation, *,
                       roles: Iterable[RegionRole] | None = None) -> frozenset[str]:
    """What the platform account may do on an escalated item now."""
    return escalation_actions_by_role(account, escalation, roles=roles) & escalation_actions_by_status(escalation)
