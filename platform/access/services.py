"""Writes about who may do what in the current county."""

from django.db import transaction

from audit.services import audit_record

from .models import Membership


@transaction.atomic
def membership_grant(*, account, role: str, actor) -> Membership:
    membership, created = Membership.objects.get_or_create(account=account, role=role)
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="membership.grant", target=membership, data={"role": role})
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor) -> None:
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    audit_record(actor=actor, action="membership.revoke", target=membership, data={"role": membership.role})
