"""Writes on deputies, their mandates, stationing and groups."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from access.models import Role
from access.scope import Actor, require
from access.services import membership_grant
from audit.services import audit_record
from core.files import check_image
from core.levels import Level, MandateStatus
from organisation.models import Township, Venue
from people.models import Deputy, DeputyGroup, GroupMember, Mandate, Stationing
from people.selectors import deputies_managed_by
from tenants.models import Account, RegionMandate
from tenants.selectors import current_county

# What a deputy may change on their own record; staff in scope may change everything.
SELF_EDITABLE = {"public_phone", "bio", "photo"}
# What a service may set on a deputy's record (the account is the identity, set once).
PROFILE_FIELDS = {"id_number", "gender", "ethnicity", "birth_date", "employer", "photo", "public_phone", "bio"}


def account_for(*, mobile: str, name: str) -> Account:
    """The person's one identity: found by mobile number, or made with no password yet."""
    account = Account.objects.filter(mobile=mobile).first()
    if account is None:
        account = Account.objects.create_user(mobile, name)
    return account


def can_edit_deputy(actor: Actor, deputy: Deputy) -> bool:
    return deputies_managed_by(actor).filter(pk=deputy.pk).exists()


def manages_as_staff(actor: Actor, deputy: Deputy) -> bool:
    """Staff whose scope reaches the deputy -- not merely a staff member who is that deputy."""
    return actor.is_staff and can_edit_deputy(dataclasses.replace(actor, deputy_id=None), deputy)


def _fresh(deputy: Deputy) -> bool:
    """A deputy with no mandate and no stationing yet (just registered) belongs to nobody's scope."""
    return not deputy.mandates.exists() and not deputy.stationings.filter(ended_on__isnull=True).exists()


def may_add_mandates(actor: Actor, deputy: Deputy) -> bool:
    """Who adds mandates to a deputy: the county to anyone; a township's staff to the deputies they manage,
    and to a fresh one (their first township mandate brings them into scope). mandate_add then decides
    each mandate by its level and township."""
    return actor.is_admin or (actor.is_township_staff and (manages_as_staff(actor, deputy) or _fresh(deputy)))


def _check_profile(deputy: Deputy, fields: dict) -> None:
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"Deputy: cannot set {sorted(unknown)}")
    photo = fields.get("photo")
    if photo and hasattr(photo, "size") and not getattr(photo, "_committed", False):
        try:
            check_image(photo)
        except ValidationError as error:
            raise ValidationError({"photo": error.message_dict["image"]}) from None
    id_number = fields.get("id_number")
    if id_number and Deputy.objects.filter(id_number=id_number).exclude(pk=deputy.pk).exists():
        raise ValidationError({"id_number": _("该身份证号码已登记在另一位代表名下。")})


@transaction.atomic
def deputy_create(*, actor: Actor, mobile: str, name: str, **fields) -> Deputy:
    require(actor.is_staff)
    _check_profile(Deputy(), fields)
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
    staff = manages_as_staff(actor, deputy)
    own = actor.deputy_id == deputy.pk
    require(staff or (own and set(fields) <= SELF_EDITABLE and name is None))
    _check_profile(deputy, fields)
    for key, value in fields.items():
        setattr(deputy, key, value)
    deputy.full_clean()
    deputy.save()
    if name and name != deputy.account.name:
        Account.objects.filter(pk=deputy.account_id).update(name=name)
        deputy.account.name = name
    audit_record(actor=actor, action="deputy.update", target=deputy, data={"fields": sorted(fields)})
    return deputy


def _check_dates(started_on: dt.date, ended_on: dt.date | None) -> None:
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("终止日期不能早于起始日期。")})


@transaction.atomic
def mandate_add(*, actor: Actor, deputy: Deputy, level: str, term: int, started_on: dt.date,
                township: Township | None = None, electoral_district: str = "",
                status: str = MandateStatus.SERVING, ended_on: dt.date | None = None) -> Mandate:
    """County mandates are the county's to record; township mandates also their township's staff's,
    for deputies within their reach."""
    require(may_add_mandates(actor, deputy))
    if level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValidationError({"level": _("省、州（市）人大代表的职务由上级人大登记。")})
    if level == Level.TOWNSHIP and township is None:
        raise ValidationError({"township": _("乡镇级代表须选择所属乡镇。")})
    if level == Level.COUNTY:
        require(actor.is_admin)
    else:
        # A fresh deputy's first township mandate, from their township's staff, brings them into scope.
        require(actor.is_admin or (township is not None and actor.can_manage_township(township.pk)
                                   and (manages_as_staff(actor, deputy) or _fresh(deputy))))
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


def _in_force(on: dt.date) -> Q:
    return Q(status=MandateStatus.SERVING, started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on))


def stationing_allowed(deputy: Deputy, on: dt.date) -> bool:
    """A deputy may be stationed here with a mandate in force on that day: of this county (county or
    township level), or a province/prefecture mandate whose region includes this county."""
    if deputy.mandates.filter(_in_force(on)).exists():
        return True
    county = current_county()
    return any(m.covers(county) for m in RegionMandate.objects.filter(_in_force(on), account_id=deputy.account_id))


@transaction.atomic
def stationing_add(*, actor: Actor, deputy: Deputy, venue: Venue, started_on: dt.date) -> Stationing:
    require(actor.can_manage_venue(venue.pk, venue.township_id))
    Deputy.objects.select_for_update().filter(pk=deputy.pk).first()  # one stationing of a deputy at a time
    if venue.status == Venue.Status.CLOSED:
        raise ValidationError({"venue": _("该站点已关闭，不能驻站。")})
    if not stationing_allowed(deputy, started_on):
        raise ValidationError({"venue": _(
            "%(name)s 没有本县（市、区）的在任代表职务，也没有覆盖本地的省、州（市）代表职务，不能在此驻站。"
        ) % {"name": deputy.account.name}})
    if Stationing.objects.filter(deputy=deputy, venue=venue, ended_on__isnull=True).exists():
        raise ValidationError({"venue": _("该代表已在此站点驻站。")})
    overlap = Stationing.objects.filter(deputy=deputy, venue=venue, ended_on__gte=started_on).first()
    if overlap is not None:
        raise ValidationError({"started_on": _("该代表在此站点的上一次驻站到 %(date)s 才结束，进站日期须在其后。") % {
            "date": overlap.ended_on.isoformat() if overlap.ended_on else ""}})
    stationing = Stationing.objects.create(deputy=deputy, venue=venue, started_on=started_on)
    audit_record(actor=actor, action="stationing.add", target=stationing, data={"venue": venue.name})
    return stationing


@transaction.atomic
def stationing_end(*, actor: Actor, stationing: Stationing, ended_on: dt.date) -> Stationing:
    """End a stationing; the deputy leaves the venue's group with it."""
    require(actor.can_manage_venue(stationing.venue_id, stationing.venue.township_id))
    _check_dates(stationing.started_on, ended_on)
    if not Stationing.objects.filter(pk=stationing.pk, ended_on__isnull=True).update(ended_on=ended_on):
        raise ValidationError({"ended_on": _("该驻站已经结束。")})
    stationing.ended_on = ended_on
    GroupMember.objects.filter(group__venue_id=stationing.venue_id, deputy_id=stationing.deputy_id).delete()
    audit_record(actor=actor, action="stationing.end", target=stationing)
    return stationing


@transaction.atomic
def group_member_set(*, actor: Actor, venue: Venue, deputy: Deputy, role: str) -> GroupMember:
    """Put a deputy stationed at `venue` in the venue's group with a role (leader, vice leader, ...)."""
    require(actor.can_manage_venue(venue.pk, venue.township_id))
    if role not in GroupMember.Role.values:
        raise ValidationError({"role": _("小组职务无效。")})
    if not Stationing.objects.filter(deputy=deputy, venue=venue, ended_on__isnull=True).exists():
        raise ValidationError({"deputy": _("只有在本站驻站的代表才能加入本站代表小组。")})
    group, _created = DeputyGroup.objects.get_or_create(venue=venue, defaults={"name": f"{venue.name}代表小组"})
    DeputyGroup.objects.select_for_update().filter(pk=group.pk).first()  # one leader change at a time
    if role == GroupMember.Role.LEADER:
        GroupMember.objects.filter(group=group, role=GroupMember.Role.LEADER).exclude(deputy=deputy).update(
            role=GroupMember.Role.MEMBER)
    member, _created = GroupMember.objects.update_or_create(group=group, deputy=deputy, defaults={"role": role})
    audit_record(actor=actor, action="group.member_set", target=member, data={"role": role})
    return member
