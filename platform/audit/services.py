from typing import Any

from .models import AuditEntry


def audit_record(*, actor, action: str, target=None, data: dict[str, Any] | None = None) -> AuditEntry:
    """Write the audit row of an action; call it inside the action's transaction."""
    return AuditEntry.objects.create(
        actor_id=getattr(actor, "pk", None),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
