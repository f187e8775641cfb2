"""Writes about who may do what in the current county."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from tenants.models import Account
from tenants.models.validators import MOBILE_RE

from .models import SCOPE_OF_ROLE, Membership, Role, SigninRule, StaffPosition
from .scope import require
from .signin import invitations_send


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
    newly = created or not membership.is_active
    if not created and (not membership.is_active or (position and membership.position != position)):
        membership.is_active = True
        membership.position = position or membership.position
        membership.save(update_fields=["is_active", "position", "updated_at"])
    audit_record(actor=actor, action="membership.grant", target=membership, data={"role": role})
    if newly:
        invitations_send(accounts=[account])  # only an account with no password yet is invited
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor) -> None:
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    audit_record(actor=actor, action="membership.revoke", target=membership, data={"role": membership.role})


def _scope_errors(role: str, *, township, venue, handling_unit, position: str) -> dict[str, str]:
    """What is wrong with the scope given for `role`: a scope the role does not take, a position for
    anyone but station staff, an ended township, a closed venue or an inactive handling unit."""
    errors: dict[str, str] = {}
    needed = SCOPE_OF_ROLE.get(role)
    labels = {"township": _("乡镇"), "venue": _("站点"), "handling_unit": _("承办单位")}
    given = {"township": township, "venue": venue, "handling_unit": handling_unit}
    for scope, value in given.items():
        if value is not None and scope != needed:
            errors[scope] = _("该角色不能指定%(scope)s。") % {"scope": labels[scope]}
    if needed and given[needed] is None:
        errors[needed] = _("该角色须指定%(scope)s。") % {"scope": labels[needed]}
    if position and role != Role.STATION_STAFF:
        errors["position"] = _("只有联络站工作人员可以设站内职务。")
    elif position and position not in StaffPosition.values:
        errors["position"] = _("站内职务无效。")
    if "township" not in errors and township is not None and township.ended_on is not None:
        errors["township"] = _("%(name)s 已经撤销。") % {"name": township.name}
    if "venue" not in errors and venue is not None and venue.is_closed:
        errors["venue"] = _("%(name)s 已经关闭。") % {"name": venue.name}
    if "handling_unit" not in errors and handling_unit is not None and not handling_unit.is_active:
        errors["handling_unit"] = _("%(name)s 已经停用。") % {"name": handling_unit.name}
    return errors


@transaction.atomic
def membership_grant_by_admin(*, actor, mobile: str, name: str, role: str, township=None, venue=None,
                              handling_unit=None, position: str = "") -> Membership:
    """The county administrator gives a person (found by mobile number, or made with no password yet)
    a role in this county, with the scope the role needs. Nothing is saved unless everything is right."""
    require(actor.is_admin)
    mobile, name = (mobile or "").strip(), (name or "").strip()
    errors: dict[str, str] = {}
    if not re.match(MOBILE_RE, mobile):
        errors["mobile"] = _("请输入11位中国大陆手机号码。")
    account = Account.objects.filter(mobile=mobile).first() if "mobile" not in errors else None
    if account is None and not name:
        errors["name"] = _("新成员须填写姓名。")
    if role not in Role.values:
        errors["role"] = _("角色无效。")
    else:
        errors.update(_scope_errors(role, township=township, venue=venue, handling_unit=handling_unit,
                                    position=position))
    if errors:
        raise ValidationError(errors)
    if account is None:
        account = Account.objects.create_user(mobile, name)
    return membership_grant(account=account, role=role, actor=actor, township=township, venue=venue,
                            handling_unit=handling_unit, position=position)


@transaction.atomic
def membership_revoke_by_admin(*, actor, membership: Membership) -> None:
    """The county administrator takes a role away; the county always keeps one active administrator."""
    require(actor.is_admin)
    if membership.role == Role.COUNTY_ADMIN and membership.is_active:
        others = (Membership.objects.select_for_update()
                  .filter(role=Role.COUNTY_ADMIN, is_active=True).exclude(account_id=membership.account_id))
        if not others.exists():
            raise ValidationError(_("不能撤销最后一名县人大常委会管理员。"))
    membership_revoke(membership=membership, actor=actor)


@transaction.atomic
def signin_rule_update(*, actor, idle_minutes) -> SigninRule:
    """The county administrator sets how long a staff session may sit idle (5 to 720 minutes)."""
    require(actor.is_admin)
    try:
        minutes = int(idle_minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 5 <= minutes <= 720:
        raise ValidationError({"idle_minutes": _("闲置自动退出时间须为5到720分钟之间的整数。")})
    rule = SigninRule.current()
    before = rule.idle_minutes
    rule.idle_minutes = minutes
    rule.save(update_fields=["idle_minutes"])
    audit_record(actor=actor, action="signin_rule.update", target=rule, data={"idle_minutes": [before, minutes]})
    return rule
