"""The upper tiers' steps on an escalated item (public schema): that level's staff accept it, post updates,
forward it (prefecture -> province, or province -> the county's prefecture), return it to the county, assign
it to the region's units, approve a unit's draft or answer it themselves; a unit drafts the answer. Each step
follows tenants.services.escalations.escalation_step (transition row + platform audit row) on the locked row,
and what the county must know flows back into its case, in its schema, in the same transaction (the public
row stays the one record of where the matter stands).

Concurrency: every step locks the item (SELECT … FOR UPDATE) and reads who may act and where it stands on the
locked row, so of two staff answering, or an answer racing a forward, exactly one wins; the other is refused
with a Chinese message that says why."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from audit.context import current_client_address
from casework.services.escalation import (
    case_escalation_answered,
    case_escalation_progress,
    case_escalation_returned,
    upstairs_notice,
)
from tenants.actions import EscalationAction, escalation_actions_by_role, escalation_actions_by_status
from tenants.models import Escalation, EscalationAssignment, EscalationUpdate, RegionUnit
from tenants.services.escalations import escalation_step


def region_label(escalation: Escalation) -> str:
    region = escalation.prefecture if escalation.level == Escalation.Level.PREFECTURE else escalation.province
    return _("%(region)s人大") % {"region": region.name if region else ""}


REFUSED_BY_STATUS: dict[str, Any] = {
    Escalation.Status.WITHDRAWN: gettext_lazy("县人大常委会已办结此事，不再需要办理。"),
    Escalation.Status.ANSWERED: gettext_lazy("该事项已经答复。"),
    Escalation.Status.RETURNED: gettext_lazy("该事项已退回县级。"),
}


def _lock(account, escalation: Escalation, action: str, field: str) -> Escalation:
    """The locked row, once the account may take `action` on it now: not theirs at all is a 403; theirs on
    the copy the caller read but forwarded or returned meanwhile, or at a status that does not allow it, a
    Chinese 400 that says why."""
    row = (Escalation.objects.select_for_update(of=("self",)).select_related("county", "province", "prefecture")
           .filter(pk=escalation.pk).first())
    if row is None or action not in escalation_actions_by_role(account, row):
        if row is not None and action in escalation_actions_by_role(account, escalation):
            raise ValidationError({field: _("该事项已转送或退回，不在您的办理范围内了。")})
        raise PermissionDenied(_("您没有权限处理该事项。"))
    if action not in escalation_actions_by_status(row):
        message = str(REFUSED_BY_STATUS.get(row.status, "")) or _("该事项当前为“%(status)s”，不能%(action)s。") % {
            "status": row.get_status_display(), "action": EscalationAction(action).label}
        raise ValidationError({field: message})
    return row


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _step(account, escalation: Escalation, to: str, *, action: str, reason: str = "", **fields) -> Escalation:
    return escalation_step(escalation, to, action=action, actor=account, actor_label=region_label(escalation),
                           reason=reason, client_address=current_client_address(), **fields)


def _tell_county(escalation: Escalation, text: str, *, step: int, label: str | None = None) -> None:
    with schema_context(escalation.county.schema_name):
        case_escalation_progress(case_id=escalation.case_id, text=text, label=label or region_label(escalation),
                                 step=step)


def _release_units(escalation: Escalation) -> None:
    escalation.assignments.filter(is_active=True).update(is_active=False)


@transaction.atomic
def escalation_accept(*, account, escalation: Escalation) -> Escalation:
    escalation = _lock(account, escalation, EscalationAction.ACCEPT, "status")
    _step(account, escalation, Escalation.Status.ACCEPTED, action="escalation.accept")
    update = EscalationUpdate.objects.create(escalation=escalation, author=account, text=_("已受理，正在办理。"))
    _tell_county(escalation, update.text, step=update.pk)
    return escalation


@transaction.atomic
def escalation_update(*, account, escalation: Escalation, text: str) -> EscalationUpdate:
    """A progress note from the upper level or its unit (accepting the item on the first one); the county case
    and the constituent hear of it."""
    text = _text(text, "text", _("请填写办理进展。"))
    escalation = _lock(account, escalation, EscalationAction.PROGRESS, "text")
    to = Escalation.Status.ACCEPTED if escalation.status == Escalation.Status.OPEN else escalation.status
    _step(account, escalation, to, action="escalation.progress", reason=text)
    update = EscalationUpdate.objects.create(escalation=escalation, author=account, text=text)
    _tell_county(escalation, text, step=update.pk)
    return update


@transaction.atomic
def escalation_forward(*, account, escalation: Escalation, reason: str) -> Escalation:
    """Prefecture -> its province; province -> the county's prefecture. The item starts afresh there (open),
    its units let go; the county hears where it went."""
    reason = _text(reason, "reason", _("请填写转送理由。"))
    escalation = _lock(account, escalation, EscalationAction.FORWARD, "reason")
    before = region_label(escalation)
    if escalation.level == Escalation.Level.PREFECTURE:
        fields = {"level": Escalation.Level.PROVINCE, "prefecture": None}
    else:
        fields = {"level": Escalation.Level.PREFECTURE, "prefecture": escalation.county.prefecture}
    _release_units(escalation)
    _step(account, escalation, Escalation.Status.OPEN, action="escalation.forward", reason=reason,
          draft_answer="", draft_unit=None, **fields)
    upstairs_notice(escalation, kind="forwarded", step=escalation.step_key)
    text = _("已转送%(to)s：%(reason)s") % {"to": region_label(escalation), "reason": reason}
    update = EscalationUpdate.objects.create(escalation=escalation, author=account, text=text)
    _tell_county(escalation, text, step=update.pk, label=before)
    return escalation


@transaction.atomic
def escalation_return(*, account, escalation: Escalation, reason: str) -> Escalation:
    """Back to the county, with a reason: its case is newly received again and its office is told."""
    reason = _text(reason, "reason", _("请填写退回理由。"))
    escalation = _lock(account, escalation, EscalationAction.RETURN, "reason")
    _release_units(escalation)
    _step(account, escalation, Escalation.Status.RETURNED, action="escalation.return", reason=reason,
          draft_answer="", draft_unit=None)
    update = EscalationUpdate.objects.create(escalation=escalation, author=account,
                                             text=_("退回县级：%(reason)s") % {"reason": reason})
    with schema_context(escalation.county.schema_name):
        case_escalation_returned(case_id=escalation.case_id, reason=reason, label=region_label(escalation),
                                 step=update.pk)
    return escalation


def _units_of_level(escalation: Escalation, units: Iterable[RegionUnit | int]) -> list[RegionUnit]:
    ids = {u.pk if isinstance(u, RegionUnit) else int(u) for u in units}
    if not ids:
        raise ValidationError({"units": _("请选择承办单位。")})
    same_level = RegionUnit.objects.filter(pk__in=ids, province_id=escalation.province_id)
    found = list(same_level.filter(prefecture_id=escalation.prefecture_id) if escalation.prefecture_id
                 else same_level.filter(prefecture__isnull=True))
    if len(found) != len(ids):
        raise ValidationError({"units": _("只能交办给本级的承办单位。")})
    return found


@transaction.atomic
def escalation_assign(*, account, escalation: Escalation, units: Iterable[RegionUnit | int]) -> Escalation:
    """To one or more of the level's own units for this round (a unit already holding it keeps it)."""
    escalation = _lock(account, escalation, EscalationAction.ASSIGN, "units")
    found = _units_of_level(escalation, units)
    held = set(escalation.assignments.filter(is_active=True).values_list("unit_id", flat=True))
    EscalationAssignment.objects.bulk_create([EscalationAssignment(escalation=escalation, unit=u,
                                                                   round=escalation.rounds)
                                              for u in found if u.pk not in held])
    _step(account, escalation, escalation.status, action="escalation.assign",
          reason="、".join(u.name for u in found))
    upstairs_notice(escalation, kind="assigned", step=escalation.step_key,
                    unit_ids=[u.pk for u in found if u.pk not in held])
    return escalation


@transaction.atomic
def escalation_draft(*, account, escalation: Escalation, text: str) -> Escalation:
    """The assigned unit's answer, for the level's staff to approve (or send back)."""
    text = _text(text, "text", _("请填写答复草稿。"))
    escalation = _lock(account, escalation, EscalationAction.DRAFT, "text")
    unit = RegionUnit.objects.filter(assignments__escalation=escalation, assignments__is_active=True,
                                     members=account).first()
    escalation_step(escalation, Escalation.Status.DRAFTED, action="escalation.draft", actor=account,
                    actor_label=unit.name if unit else "", reason=text[:500], client_address=current_client_address(),
                    draft_answer=text, draft_unit=unit)
    return escalation


@transaction.atomic
def escalation_reject(*, account, escalation: Escalation, reason: str) -> Escalation:
    reason = _text(reason, "reason", _("请填写退回修改的意见。"))
    escalation = _lock(account, escalation, EscalationAction.REJECT, "reason")
    _step(account, escalation, Escalation.Status.ACCEPTED, action="escalation.reject", reason=reason)
    if escalation.draft_unit_id:
        upstairs_notice(escalation, kind="returned", step=escalation.step_key,
                        unit_ids=[escalation.draft_unit_id], reason=reason[:60])
    return escalation


def _answered(account, escalation: Escalation, answer: str, *, action: str) -> Escalation:
    _step(account, escalation, Escalation.Status.ANSWERED, action=action, reason=answer[:500], answer=answer,
          answered_at=timezone.now())
    _release_units(escalation)
    with schema_context(escalation.county.schema_name):
        case_escalation_answered(case_id=escalation.case_id, answer=answer, label=region_label(escalation))
    return escalation


@transaction.atomic
def escalation_approve(*, account, escalation: Escalation) -> Escalation:
    """The staff send the unit's draft as the level's answer."""
    escalation = _lock(account, escalation, EscalationAction.APPROVE, "answer")
    return _answered(account, escalation, escalation.draft_answer, action="escalation.approve")


@transaction.atomic
def escalation_answer(*, account, escalation: Escalation, answer: str) -> Escalation:
    answer = _text(answer, "answer", _("请填写答复内容。"))
    escalation = _lock(account, escalation, EscalationAction.ANSWER, "answer")
    return _answered(account, escalation, answer, action="escalation.answer")


__all__ = ["escalation_accept", "escalation_answer", "escalation_approve", "escalation_assign", "escalation_draft",
           "escalation_forward", "escalation_reject", "escalation_return",
           "escalation_update", "region_label"]
