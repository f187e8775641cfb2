"""Writes on deputies, their mandates, stationing and groups."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.models import Role
from access.scope import Actor, require
from access.services import membership_grant
from audit.services import audit_record
from core.levels import Level, MandateStatus
from organisation.models import Township, Venue
from people.models import Deputy, DeputyGroup, GroupMember, Mandate, Stationing
from people.selectors import deputies_managed_by
from tenants.models import Account, RegionMandate
from tenants.selectors import current_county

# What a deputy may change on their own record; staff in scope may change everything.
SELF_EDITABLE = {"public_phone", "bio", "photo"}


def account_for(*, mobile: str, name: str) -> Account:
    """The person's one identity: found by mobile number, or made with no password yet."""
    account = Account.objects.filter(mobile=mobile).first()
    if account is None:
        account = Account.objects.create_user(mobile, name)
    return account


def can_edit_deputy(actor: Actor, deputy: Deputy) -> bool:
    return deputies_managed_by(actor).filter(pk=deputy.pk).exists()


@transaction.atomic
def deputy_create(*, actor: Actor, mobile: str, name: str, **fields) -> Deputy:
    require(actor.is_staff)
    account = account_for(mobile=mobile, name=name)
    if Deputy.objects.filter(account=account).exists():
        raise ValidationError({"mobile": _("该手机号码的代表已在名册中。")})
    deputy = Deputy(account=account, **fields)
    deputy.full_clean()
    deputy.save()
    membership_grant(account=account, role=Role.DEPUTY, actor=actor)
    audit_record(actor=actor, action="deputy.create", target=deputy)
    return deputy


@transaction.atomic
def deputy_update(*, actor: Actor, deputy: Deputy, name: str | None = None, **fields) -> Deputy:
    staff = can_edit_deputy(actor, deputy) and actor.is_staff
    own = actor.deputy_id == deputy.pk
    require(staff or (own and set(fields) <= SELF_EDITABLE and name is None))
    for key, value in fields.items():
        setattr(deputy, key, value)
    deputy.full_clean()
    deputy.save()
    if name and name != deputy.account.name:
        Account.objects.filter(pk=deputy.account_id).update(name=name)
    audit_record(actor=actor, action="deputy.update", target=deputy, data={"fields": sorted(fields)})
    return deputy


def _check_dates(started_on: dt.date, ended_on: dt.date | None) -> None:
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("终止日期不能早于起始日期。")})


@transaction.atomic
def mandate_add(*, actor: Actor, deputy: Deputy, level: str, term: int, started_on: dt.date,
                township: Township | None = None, electoral_district: str = "",
                status: str = MandateStatus.SERVING, ended_on: dt.date | None = None) -> Mandate:
    require(actor.is_staff and can_edit_deputy(actor, deputy) or actor.is_admin)
    if level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValidationError({"level": _("省、州（市）人大代表的职务由上级人大登记。")})
    if level == Level.TOWNSHIP and township is None:
        raise ValidationError({"township": _("乡镇级代表须选择所属乡镇。")})
    if township is not None and township.ended_on is not None:
        raise ValidationError({"township": _("%(name)s 已经撤销。") % {"name": township.name}})
    _check_dates(started_on, ended_on)
    mandate = Mandate(deputy=deputy, level=level, term=term, township=township if level == Level.TOWNSHIP else None,
                      electoral_district=electoral_district, status=status, started_on=started_on,
                      ended_on=ended_on)
    mandate.full_clean()
    mandate.save()
    audit_record(actor=actor, action="mandate.add", target=mandate, data={"level": level, "term": term})
    return mandate


def stationing_allowed(deputy: Deputy, on: dt.date) -> bool:
    """A deputy may be stationed here with a serving mandate of this county (county or township level),
    or a province/prefecture mandate whose region includes this county."""
    serving = deputy.mandates.filter(status=MandateStatus.SERVING, started_on__lte=on)
    if serving.exists():
        return True
    county = current_county()
    return any(m.covers(county) for m in RegionMandate.objects.filter(account_id=deputy.account_id))


@transaction.atomic
def stationing_add(*, actor: Actor, deputy: Deputy, venue: Venue, started_on: dt.date) -> Stationing:
    require(actor.can_manage_venue(venue.pk, venue.township_id))
    if venue.status == Venue.Status.CLOSED:
        raise ValidationError({"venue": _("该站点已关闭，不能驻站。")})
    if not stationing_allowed(deputy, started_on):
        raise ValidationError({"venue": _(
            "%(name)s 没有本县（市、区）的在任代表职务，也没有覆盖本地的省、州（市）代表职务，不能在此驻站。"
        ) % {"name": deputy.account.name}})
    if Stationing.objects.filter(deputy=deputy, venue=venue, ended_on__isnull=True).exists():
        raise ValidationError({"venue": _("该代表已在此站点驻站。")})
    stationing = Stationing.objects.create(deputy=deputy, venue=venue, started_on=started_on)
    audit_record(actor=actor, action="stationing.add", target=stationing, data={"venue": venue.name})
    return stationing


@transaction.atomic
def stationing_end(*, actor: Actor, stationing: Stationing, ended_on: dt.date) -> Stationing:
    require(actor.can_manage_venue(stationing.venue_id, stationing.venue.township_id))
    _check_dates(stationing.started_on, ended_on)
    Stationing.objects.filter(pk=stationing.pk).update(ended_on=ended_on)
    stationing.ended_on = ended_on
    audit_record(actor=actor, action="stationing.end", target=stationing)
    return stationing


@transaction.atomic
def group_member_set(*, actor: Actor, venue: Venue, deputy: Deputy, role: str) -> GroupMember:
    """Put a deputy stationed at `venue` in the venue's group with a role (leader, vice leader, ...)."""
    require(actor.can_manage_venue(venue.pk, venue.township_id))
    if not Stationing.objects.filter(deputy=deputy, venue=venue, ended_on__isnull=True).exists():
        raise ValidationError({"deputy": _("只有在本站驻站的代表才能加入本站代表小组。")})
    group, _created = DeputyGroup.objects.get_or_create(venue=venue, defaults={"name": f"{venue.name}代表小组"})
    if role == GroupMember.Role.LEADER:
        GroupMember.objects.filter(group=group, role=GroupMember.Role.LEADER).exclude(deputy=deputy).update(
            role=GroupMember.Role.MEMBER)
    member, _created = GroupMember.objects.update_or_create(group=group, deputy=deputy, defaults={"role": role})
    audit_record(actor=actor, action="group.member_set", target=member, data={"role": role})
    return member
