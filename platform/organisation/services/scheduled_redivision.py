"""Scheduled re-divisions (自某日起): a re-division announced in advance is registered with its future effective
date and applied by the daily task (organisation.tasks.apply_scheduled_redivisions) on that day.

The rules stay in the re-division services (organisation.services.redivision, .village_redivision): registering
runs the real service in a savepoint, dated in the future, and rolls it back, so every refusal of the immediate
path is given at registration and nothing is written; applying runs the same service on the day with the stored
arguments. A unit (a township; for a village re-division, its township) has at most one pending re-division.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import Membership, Role
from access.scope import Actor, require
from audit.services import audit_record
from notifications.models import Channel as MessageChannel
from notifications.services import Outgoing, messages_enqueue
from organisation.models import (
    Redivision,
    RedivisionLink,
    RedivisionVillageLink,
    ScheduledRedivision,
    Township,
    Venue,
    Village,
)
from organisation.services.redivision import (
    future_dates_allowed,
    pk_of,
    township_merge,
    township_rename,
    township_split,
)
from organisation.services.village_redivision import village_merge, village_rename, village_split

Status = ScheduledRedivision.Status
TOWNSHIP, VILLAGE = Redivision.Level.TOWNSHIP, Redivision.Level.VILLAGE

# (level, kind) -> the service, and back: the caller names the service it would call today.
SERVICES: dict[tuple[str, str], Callable[..., Redivision]] = {
    (TOWNSHIP, Redivision.Kind.MERGE): township_merge,
    (TOWNSHIP, Redivision.Kind.SPLIT): township_split,
    (TOWNSHIP, Redivision.Kind.RENAME): township_rename,
    (VILLAGE, Redivision.Kind.MERGE): village_merge,
    (VILLAGE, Redivision.Kind.SPLIT): village_split,
    (VILLAGE, Redivision.Kind.RENAME): village_rename,
}
LEVEL_KIND = {service: key for key, service in SERVICES.items()}

# The services' arguments that name units (objects or ids); the rest (names, codes, kinds) are kept as given.
UNIT_ARGUMENTS = ("sources", "into", "source", "township", "village")
PART_UNITS = {"villages": Village, "venues": Venue}


class _DryRun(Exception):
    """Raised at the end of a registration's dry run to roll its savepoint back."""


def _stored(arguments: dict[str, Any]) -> dict[str, Any]:
    """The service's arguments with every unit as its id (JSON)."""
    stored: dict[str, Any] = {}
    for key, value in arguments.items():
        if key in ("sources",):
            stored[key] = [pk_of(unit) for unit in value]
        elif key in UNIT_ARGUMENTS:
            stored[key] = pk_of(value)
        elif key == "parts":
            stored[key] = [{k: ([pk_of(u) for u in v or []] if k in PART_UNITS else v) for k, v in part.items()}
                           for part in value]
        else:
            stored[key] = value
    return stored


def _loaded(level: str, stored: dict[str, Any]) -> dict[str, Any]:
    """The stored arguments with the units read back (ids no longer found are left out: the service refuses)."""
    unit_model: Any = Township if level == TOWNSHIP else Village
    arguments: dict[str, Any] = {}
    for key, value in stored.items():
        model: Any = {"township": Township, "village": Village}.get(key, unit_model)
        if key == "sources":
            rows = model.objects.in_bulk(value)
            arguments[key] = [rows[pk] for pk in value if pk in rows]
        elif key in UNIT_ARGUMENTS:
            arguments[key] = model.objects.filter(pk=value).first()
        elif key == "parts":
            arguments[key] = [{k: (_in_order(PART_UNITS[k], v) if k in PART_UNITS else v) for k, v in part.items()}
                              for part in value]
        else:
            arguments[key] = value
    return arguments


def _in_order(model, ids: list[int]) -> list:
    rows = model.objects.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def _township_ids(level: str, stored: dict[str, Any]) -> list[int]:
    """The townships a re-division involves: its sources and target, or the township of its villages."""
    ids = [*stored.get("sources", []), *(stored[k] for k in UNIT_ARGUMENTS[1:] if stored.get(k) is not None)]
    if level == VILLAGE:
        ids = list(Village.objects.filter(pk__in=ids).values_list("township_id", flat=True))
    return sorted(set(ids))


def _summary(redivision: Redivision) -> str:
    """What a re-division does, in Chinese words: 西镇、北镇 → 东镇 (a village one: 东镇：东村 → 东新村)."""
    links: list[Any]
    if redivision.level == VILLAGE:
        links = list(RedivisionVillageLink.objects.filter(redivision=redivision)
                     .select_related("predecessor__township", "successor").order_by("pk"))
        prefix = f"{links[0].predecessor.township.name}：" if links else ""
    else:
        links = list(RedivisionLink.objects.filter(redivision=redivision)
                     .select_related("predecessor", "successor").order_by("pk"))
        prefix = ""
    before = "、".join(dict.fromkeys(link.predecessor.name for link in links))
    after = "、".join(dict.fromkeys(link.successor.name for link in links))
    return f"{prefix}{before} → {after}"


def _run(row: ScheduledRedivision, actor: Actor) -> Redivision:
    service = SERVICES[(row.level, row.kind)]
    with future_dates_allowed():
        return service(actor=actor, effective_on=row.effective_on, note=row.note,
                       **_loaded(row.level, row.arguments))


def _pending_clash(township_ids: list[int]) -> None:
    """Refused when one of these townships already has a pending re-division (their rows are locked)."""
    for pending in ScheduledRedivision.objects.filter(status=Status.SCHEDULED).order_by("effective_on", "pk"):
        shared = set(pending.township_ids) & set(township_ids)
        if shared:
            names = "、".join(Township.objects.filter(pk__in=shared).order_by("pk").values_list("name", flat=True))
            raise ValidationError(_(
                "%(names)s已有一项待生效的区划调整（%(date)s）：请先撤销它，或待其生效后再调整。") % {
                "names": names, "date": pending.effective_on.isoformat()})


@transaction.atomic
def redivision_schedule(service: Callable[..., Redivision], *, actor: Actor, effective_on: dt.date, note: str = "",
                        **arguments: Any) -> ScheduledRedivision:
    """Register `service`'s re-division (with its own arguments) to take effect on a date after today."""
    require(actor.is_admin)
    if effective_on <= timezone.localdate():
        raise ValidationError({"effective_on": _("待生效的区划调整，生效日期须晚于今天。")})
    level, kind = LEVEL_KIND[service]
    row = ScheduledRedivision(level=level, kind=kind, effective_on=effective_on, note=note,
                              arguments=_stored(arguments), registered_by_id=actor.account_id)
    row.township_ids = _township_ids(level, row.arguments)
    # Locked until commit: two administrators registering about one township at once are serialised here.
    list(Township.objects.select_for_update().filter(pk__in=row.township_ids).order_by("pk").values_list("pk"))
    _pending_clash(row.township_ids)
    try:
        with transaction.atomic():
            row.summary = _summary(_run(row, actor))
            raise _DryRun
    except _DryRun:
        pass
    row.save()
    audit_record(actor=actor, action="redivision.schedule", target=row, data={
        "level": level, "kind": kind, "effective_on": effective_on.isoformat(), "summary": row.summary})
    return row


def redivide(service: Callable[..., Redivision], *, actor: Actor, effective_on: dt.date,
             **arguments: Any) -> Redivision | ScheduledRedivision:
    """The page's and the API's one entry: a re-division dated after today is registered to take effect on its
    day (redivision_schedule); one dated today or earlier takes effect now (`service`)."""
    if effective_on > timezone.localdate():
        return redivision_schedule(service, actor=actor, effective_on=effective_on, **arguments)
    return _redivide_now(service, actor=actor, effective_on=effective_on, **arguments)


@transaction.atomic
def _redivide_now(service: Callable[..., Redivision], *, actor: Actor, effective_on: dt.date,
                  **arguments: Any) -> Redivision:
    """Today's re-division, refused while one of its townships has a pending one: taking effect first, it
    would make the pending one fail on its day."""
    require(actor.is_admin)
    township_ids = _township_ids(LEVEL_KIND[service][0], _stored(arguments))
    list(Township.objects.select_for_update().filter(pk__in=township_ids).order_by("pk").values_list("pk"))
    _pending_clash(township_ids)
    return service(actor=actor, effective_on=effective_on, **arguments)


@transaction.atomic
def scheduled_cancel(*, actor: Actor, scheduled: ScheduledRedivision) -> ScheduledRedivision:
    """Withdraw a pending re-division (an administrator's, while it is 待生效)."""
    require(actor.is_admin)
    row = ScheduledRedivision.objects.select_for_update().get(pk=scheduled.pk)
    if row.status != Status.SCHEDULED:
        raise ValidationError(_("只能撤销待生效的区划调整：这一项%(status)s。") % {"status": row.get_status_display()})
    row.status, row.decided_at = Status.CANCELLED, timezone.now()
    row.save(update_fields=["status", "decided_at"])
    audit_record(actor=actor, action="redivision.schedule_cancel", target=row, data={
        "effective_on": row.effective_on.isoformat(), "summary": row.summary})
    return row


def _registrant(row: ScheduledRedivision) -> Actor:
    """The re-division is applied as the administrator who registered it, with the county administrator's role
    even if they have lost it since: the county decided it when it was registered (and any administrator
    could have withdrawn it until the day); a change of staff must not silently drop a re-division announced
    to the public. The audit rows name the person who registered it."""
    return Actor(account_id=row.registered_by_id, roles=frozenset({Role.COUNTY_ADMIN}))


def _tell_admins(row: ScheduledRedivision) -> None:
    """An in-app message to every county administrator: the re-division did not take effect, and why."""
    body = _("%(date)s 起的区划调整（%(summary)s）未能生效：%(reason)s 请处理后重新登记。") % {
        "date": row.effective_on.isoformat(), "summary": row.summary, "reason": row.failure}
    admins = Membership.objects.filter(role=Role.COUNTY_ADMIN, is_active=True).values_list("account_id", flat=True)
    messages_enqueue([Outgoing(dedupe_key=f"organisation:redivision-failed:{row.pk}:{account}",
                               kind="organisation.redivision_failed", body=body, account_id=account,
                               channel=MessageChannel.IN_APP) for account in sorted(set(admins))])


@transaction.atomic
def _apply_one(pk: int, today: dt.date) -> bool:
    """Apply one due row in its own transaction; False when another run holds it or has decided it already."""
    row = (ScheduledRedivision.objects.select_for_update(skip_locked=True)
           .filter(pk=pk, status=Status.SCHEDULED, effective_on__lte=today).first())
    if row is None:
        return False
    actor = _registrant(row)
    try:
        redivision = _run(row, actor)  # atomic itself: a refusal rolls back to here
    except ValidationError as exc:
        row.status, row.failure = Status.FAILED, "；".join(exc.messages)
        row.decided_at = timezone.now()
        row.save(update_fields=["status", "failure", "decided_at"])
        audit_record(actor=actor, action="redivision.schedule_failed", target=row, data={
            "effective_on": row.effective_on.isoformat(), "summary": row.summary, "reason": row.failure})
        _tell_admins(row)
        return True
    row.status, row.redivision, row.decided_at = Status.APPLIED, redivision, timezone.now()
    row.save(update_fields=["status", "redivision", "decided_at"])
    return True


def apply_due(*, today: dt.date | None = None) -> int:
    """Apply every pending re-division due by `today` (the county's date), each in its own transaction, the
    earliest first. A row another run is applying is skipped, one already decided is left alone, so a retried
    or doubled run acts once. Returns the rows decided (applied or failed)."""
    today = today or timezone.localdate()
    due = list(ScheduledRedivision.objects.filter(status=Status.SCHEDULED, effective_on__lte=today)
               .order_by("effective_on", "pk").values_list("pk", flat=True))
    return sum(_apply_one(pk, today) for pk in due)
