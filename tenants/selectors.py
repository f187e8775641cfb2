"""Reads over the public schema."""

from django.db.models import Q, QuerySet

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
