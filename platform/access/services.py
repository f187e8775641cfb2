"""Writes about who may do what in the current county."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record

from .models import SCOPE_OF_ROLE, Membership, Role


@transaction.atomic
def membership_grant(*, account, role: str, actor, township=None, venue=None, handling_unit=None,
                     position: str = "") -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("角色无效。")})
    scope = SCOPE_OF_ROLE.get(role)
    given = {"township": township, "venue": venue, "handling_unit": handling_unit}
    if scope and given[scope] is None:
        labels = {"township": _("乡镇"), "venue": _("站点"), "handling_unit": _("承办单位")}
        raise ValidationError({scope: _("该角色须指定%(scope)s。") % {"scope": labels[scope]}})
    if township is not None and township.ended_on is not None:
        raise ValidationError({"township": _("%(name)s 已经撤销。") % {"name": township.name}})
    membership, created = Membership.objects.get_or_create(
        account=account, role=role, township=township, venue=venue, handling_unit=handling_unit,
        defaults={"position": position},
    )
    if not created and (not membership.is_active or (position and membership.position != position)):
        membership.is_active = True
        membership.position = position or membership.position
        membership.save(update_fields=["is_active", "position", "updated_at"])
    audit_record(actor=actor, action="membership.grant", target=membership, data={"role": role})
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor) -> None:
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    audit_record(actor=actor, action="membership.revoke", target=membership, data={"role": membership.role})
