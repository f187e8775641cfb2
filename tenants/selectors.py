"""Reads over the public schema."""

from django.db.models import Q, QuerySet

from .models import County


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
    from django.db import connection

    tenant = connection.tenant
    if isinstance(tenant, County):
        return tenant
    return County.objects.select_related("province", "prefecture").get(schema_name=connection.schema_name)
