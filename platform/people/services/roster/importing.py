"""roster_import: every row checked first (reading.py), then the whole file written in bulk at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import Membership, Role
from access.scope import Actor, require
from access.signin import invitations_send
from audit.services import audit_record
from core.levels import Level, MandateStatus
from organisation.models import Township, Venue
from organisation.services.jobs import Progress
from people.models import Deputy, DeputyGroup, GroupMember, Mandate, Stationing
from people.selectors import deputies_managed_by
from tenants.models import Account

from .reading import RowError, _check_people, _check_row, _covering, _Known, _parse, _read, _Row, _row_mandates


@dataclass
class RosterResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    accounts_created: int = 0
    mandates_created: int = 0
    mandates_updated: int = 0
    stationings_created: int = 0
    group_places_set: int = 0
    memberships_granted: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in (
            "rows", "created", "updated", "accounts_created", "mandates_created", "mandates_updated",
            "stationings_created", "group_places_set", "memberships_granted")}


def roster_import(*, actor: Actor, content: bytes, started_on: dt.date | None = None,
                  progress: Progress | None = None) -> RosterResult:
    """Import a roster file: every row is checked first, and nothing is written unless all pass.
    County administrators import any row; township staff only rows of their own township. `progress`
    hears of each phase (a background job shows it)."""
    require(actor.is_admin or actor.is_township_staff)
    on = started_on or timezone.localdate()
    try:
        with transaction.atomic():
            result = _import(actor, content, on, progress or (lambda phase, done, total: None))
            if not result.ok:
                transaction.set_rollback(True)
            return result
    except IntegrityError:
        # Another import or edit wrote the same person in the meantime; the whole file was rolled back.
        message = _("名册在导入过程中被其他操作修改，未导入任何数据，请重新导入。")
        return RosterResult(errors=[RowError(None, [message])])


def _import(actor: Actor, content: bytes, on: dt.date, progress: Progress) -> RosterResult:
    cells_by_row, errors = _read(content)
    if errors:
        return RosterResult(errors=errors)
    progress("checking", 0, len(cells_by_row))
    townships = {t.name: t for t in Township.objects.current()}
    venues = {v.name: v for v in Venue.objects.select_related("township")}
    rows = [_parse(number, cells, townships, venues) for number, cells in cells_by_row]

    mobiles = {r.mobile for r in rows if r.mobile}
    id_numbers = {r.id_number for r in rows if r.id_number}
    accounts = {a.mobile: a for a in Account.objects.filter(mobile__in=mobiles)}
    account_ids = [a.pk for a in accounts.values()]
    deputies = list(Deputy.objects.filter(Q(id_number__in=id_numbers) | Q(account_id__in=account_ids))
                    .select_related("account"))
    deputy_ids = [d.pk for d in deputies]
    known = _Known(mandates={}, mandates_of={}, stationed=set(), ended_late={},
                   covering=_covering(account_ids + [d.account_id for d in deputies], on), managed=None)
    for mandate in Mandate.objects.filter(deputy_id__in=deputy_ids):
        known.mandates[(mandate.deputy_id, mandate.level, mandate.term)] = mandate
        known.mandates_of.setdefault(mandate.deputy_id, []).append(mandate)
    for deputy_id, venue_id, ended_on in Stationing.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on), deputy_id__in=deputy_ids).values_list(
            "deputy_id", "venue_id", "ended_on"):
        if ended_on is None:
            known.stationed.add((deputy_id, venue_id))
        else:
            known.ended_late[(deputy_id, venue_id)] = max(ended_on, known.ended_late.get((deputy_id, venue_id), on))
    if not actor.is_admin:
        # Reach as staff: a township staff member who is also a deputy does not manage themselves.
        staff = dataclasses.replace(actor, deputy_id=None)
        known.managed = set(deputies_managed_by(staff).filter(pk__in=deputy_ids).values_list("pk", flat=True))

    _check_people(rows, accounts, {d.id_number: d for d in deputies if d.id_number},
                  {d.account_id: d for d in deputies})
    leaders: dict[int, int] = {}
    for row in rows:
        _check_row(row, actor, known, on, leaders)
    errors = [RowError(r.number, r.errors) for r in rows if r.errors]
    if errors:
        return RosterResult(errors=errors, rows=len(rows))
    result = RosterResult(rows=len(rows))
    progress("writing", 0, len(rows))
    _write(rows, result, known, on)
    audit_record(actor=actor, action="roster.import", data={**result.counts(), "started_on": on.isoformat()})
    return result


def _deputy(row: _Row) -> Deputy:
    """A written row's deputy: found or made by the first write step, before any later step reads it."""
    if row.deputy is None:
        raise ValueError(f"roster row {row.number}: no deputy written")
    return row.deputy


def _account(row: _Row) -> Account:
    if row.account is None:
        raise ValueError(f"roster row {row.number}: no account written")
    return row.account


def _write(rows: list[_Row], result: RosterResult, known: _Known, on: dt.date) -> None:
    now = timezone.now()
    # Accounts (public schema): one per person, no password until the first login.
    new_accounts = []
    renamed = []
    for row in rows:
        if row.account is None:
            row.account = Account(mobile=row.mobile, name=row.name)
            row.account.set_unusable_password()
            new_accounts.append(row.account)
        elif row.deputy is not None and row.account.name != row.name:
            row.account.name = row.name  # as deputy_update: the roster's name is the person's name
            renamed.append(row.account)
    Account.objects.bulk_create(new_accounts)
    Account.objects.bulk_update(renamed, ["name"])
    result.accounts_created = len(new_accounts)

    # Deputies.
    profile = ("id_number", "gender", "ethnicity", "birth_date", "employer")
    created, changed = [], []
    for row in rows:
        if row.deputy is None:
            row.deputy = Deputy(account=row.account, **{key: getattr(row, key) for key in profile})
            created.append(row.deputy)
            continue
        dirty = False
        for key in profile:
            value = getattr(row, key)
            if value and getattr(row.deputy, key) != value:
                setattr(row.deputy, key, value)
                dirty = True
        if dirty:
            row.deputy.updated_at = now
            changed.append(row.deputy)
    Deputy.objects.bulk_create(created)
    Deputy.objects.bulk_update(changed, [*profile, "updated_at"])
    result.created, result.updated = len(created), len(rows) - len(created)

    # Mandates (deputy + level + term is unique): added, or their district, township and status updated.
    new_mandates, changed_mandates = [], []
    for row in rows:
        for level, term in _row_mandates(row):
            district = row.county_district if level == Level.COUNTY else row.township_district
            township = row.township if level == Level.TOWNSHIP else None
            mandate = known.mandates.get((_deputy(row).pk, level, term))
            if mandate is None:
                new_mandates.append(Mandate(deputy=row.deputy, level=level, term=term, township=township,
                                            electoral_district=district, started_on=on,
                                            status=row.status or MandateStatus.SERVING))
                continue
            before = (mandate.township_id, mandate.electoral_district, mandate.status)
            if township is not None:
                mandate.township = township
            mandate.electoral_district = district or mandate.electoral_district
            mandate.status = row.status or mandate.status
            if (mandate.township_id, mandate.electoral_district, mandate.status) != before:
                changed_mandates.append(mandate)
    Mandate.objects.bulk_create(new_mandates)
    Mandate.objects.bulk_update(changed_mandates, ["township", "electoral_district", "status"])
    result.mandates_created, result.mandates_updated = len(new_mandates), len(changed_mandates)

    # Stationing: no second current row at the same venue.
    new_stationings = [Stationing(deputy=row.deputy, venue=venue, started_on=on)
                       for row in rows for venue in row.venues if (_deputy(row).pk, venue.pk) not in known.stationed]
    Stationing.objects.bulk_create(new_stationings)
    result.stationings_created = len(new_stationings)

    _write_groups(rows, result, {(s.deputy_id, s.venue_id) for s in new_stationings})
    _write_memberships(rows, result)


def _write_groups(rows: list[_Row], result: RosterResult, newly_stationed: set[tuple[int, int]]) -> None:
    """A deputy newly stationed at a venue joins its group (组员 unless a role is given); a given role
    is set; a blank role leaves an existing place as it is. A new leader replaces the old one, who
    stays a member (as people.services.deputies.group_member_set)."""
    by_venue: dict[int, Venue] = {}
    wanted_at: dict[tuple[int, int], str | None] = {}  # (venue, deputy) -> role, None for "a member"
    for row in rows:
        for index, venue in enumerate(row.venues):
            role = row.roles[index] if row.roles else None
            if role or (_deputy(row).pk, venue.pk) in newly_stationed:
                wanted_at[(venue.pk, _deputy(row).pk)] = role
                by_venue[venue.pk] = venue
    if not wanted_at:
        return
    groups = {g.venue_id: g for g in DeputyGroup.objects.filter(venue_id__in=by_venue)}
    missing = [DeputyGroup(venue=venue, name=f"{venue.name}代表小组")
               for venue in by_venue.values() if venue.pk not in groups]
    DeputyGroup.objects.bulk_create(missing)
    groups.update({g.venue_id: g for g in missing})
    members = {(m.group_id, m.deputy_id): m
               for m in GroupMember.objects.filter(group_id__in=[g.pk for g in groups.values()])}
    wanted = {(groups[venue_id].pk, deputy_id): role for (venue_id, deputy_id), role in wanted_at.items()}
    new_leaders = {group_id: deputy_id for (group_id, deputy_id), role in wanted.items()
                   if role == GroupMember.Role.LEADER}
    demoted = [m for (group_id, deputy_id), m in members.items()
               if m.role == GroupMember.Role.LEADER and new_leaders.get(group_id, deputy_id) != deputy_id]
    for member in demoted:
        member.role = GroupMember.Role.MEMBER
    GroupMember.objects.bulk_update(demoted, ["role"])  # first, so that the one-leader index never clashes
    new_members: list[GroupMember] = []
    changed: list[GroupMember] = []
    for (group_id, deputy_id), role in wanted.items():
        existing = members.get((group_id, deputy_id))
        if existing is None:
            new_members.append(GroupMember(group_id=group_id, deputy_id=deputy_id,
                                           role=role or GroupMember.Role.MEMBER))
        elif role and existing.role != role:
            existing.role = role
            changed.append(existing)
    GroupMember.objects.bulk_update(changed, ["role"])
    GroupMember.objects.bulk_create(new_members)
    result.group_places_set = len(new_members) + len(changed)


def _write_memberships(rows: list[_Row], result: RosterResult) -> None:
    """Every deputy on the roster holds the county-wide deputy role (as access.services.membership_grant)."""
    account_ids = {_account(row).pk for row in rows}
    existing = {m.account_id: m for m in Membership.objects.filter(
        account_id__in=account_ids, role=Role.DEPUTY, township__isnull=True, venue__isnull=True,
        handling_unit__isnull=True)}
    inactive = [m.pk for m in existing.values() if not m.is_active]
    Membership.objects.filter(pk__in=inactive).update(is_active=True, updated_at=timezone.now())
    Membership.objects.bulk_create([Membership(account_id=pk, role=Role.DEPUTY)
                                    for pk in sorted(account_ids - set(existing))])
    result.memberships_granted = len(account_ids - set(existing)) + len(inactive)
    # New deputies (and any not yet signed in) receive the SMS invitation, once per account and county.
    invitations_send(accounts=list({_account(row).pk: _account(row) for row in rows}.values()))
