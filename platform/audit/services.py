from collections.abc import Callable
from typing import Any

from .models import AuditEntry

# Every write of a county leaves its audit row here, so this is where the apps above (the rollups, in
# tenants.orchestration) follow the county's writes: they register in their AppConfig.ready(); a hook
# runs inside the action's transaction and must only note what to do after commit.
RECORDED: list[Callable[[AuditEntry], None]] = []


def audit_record(*, actor, action: str, target=None, data: dict[str, Any] | None = None) -> AuditEntry:
    """Write the audit row of an action; call it inside the action's transaction."""
    entry = AuditEntry.objects.create(
        actor_id=getattr(actor, "pk", None),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
    for hook in RECORDED:
        hook(entry)
    return entry
