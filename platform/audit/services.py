"""Writing audit rows: one call per action, inside the action's transaction. In a county schema the row
joins that county's chain; on the platform (public schema) the platform's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django_tenants.utils import get_public_schema_name

from core.chain import chain_append
from tenants.db import tenant_connection
from tenants.models import PlatformAuditArchive, PlatformAuditEntry

from .context import current_client_address
from .models import AuditArchive, AuditEntry

# Every write of a county leaves its audit row here, so this is where the apps above (the rollups, in
# tenants.orchestration) follow the county's writes: they register in their AppConfig.ready(); a hook
# runs inside the action's transaction and must only note what to do after commit.
RECORDED: list[Callable[[AuditEntry], None]] = []


def chain_models() -> tuple[type[models.Model], type[models.Model]]:
    """The audit table and its archive anchors for the schema the connection is in."""
    if tenant_connection().schema_name == get_public_schema_name():
        return PlatformAuditEntry, PlatformAuditArchive
    return AuditEntry, AuditArchive


def audit_record(*, actor, action: str, target=None, data: dict[str, Any] | None = None,
                 client_address: str | None = None):
    """Write the audit row of an action; call it inside the action's transaction. The client address is
    the current request's (audit.context) unless given."""
    model, anchor = chain_models()
    entry = chain_append(
        model, anchor,
        actor_id=getattr(actor, "pk", None),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
        client_address=client_address if client_address is not None else current_client_address(),
    )
    for hook in RECORDED:
        hook(entry)
    return entry
