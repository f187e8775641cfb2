"""The pool of spare county schemas: filled off the request path, claimed by provisioning."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import connection, transaction

from tenants.models import SpareSchema

from .schemas import clone_schema, quote


def spare_names() -> list[str]:
    return list(SpareSchema.objects.values_list("schema_name", flat=True))


def spares_fill(*, target: int | None = None) -> int:
    """Clone the template until `target` spares exist (default TENANT_SPARE_SCHEMAS); return how many made."""
    target = settings.TENANT_SPARE_SCHEMAS if target is None else target
    made = 0
    while SpareSchema.objects.count() < target:
        name = f"spare_{secrets.token_hex(6)}"
        with transaction.atomic():
            clone_schema(settings.TENANT_TEMPLATE_SCHEMA, name)
            SpareSchema.objects.create(schema_name=name)
        made += 1
    return made


def spare_claim(new_name: str) -> bool:
    """Inside the caller's transaction, rename a spare to `new_name`; False when the pool is empty.

    SKIP LOCKED lets concurrent provisionings take different spares; a rollback gives the spare back.
    """
    spare = SpareSchema.objects.select_for_update(skip_locked=True).order_by("id").first()
    if spare is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {quote(spare.schema_name)} RENAME TO {quote(new_name)}")
    spare.delete()
    return True


def spares_drop_all() -> None:
    """Remove every spare (before the template is rebuilt, spares cloned from the old one must go)."""
    for spare in SpareSchema.objects.all():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote(spare.schema_name)} CASCADE")
            spare.delete()
