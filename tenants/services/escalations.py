"""The upper tiers' inbox (public schema): the one step of its state machine (ESCALATION_TRANSITIONS), and
the county's own steps on it — a county opens an escalation (or sends a returned one up again), withdraws it
when it closes the case itself, and opens a new round when a constituent is unsatisfied with the answer.
The county's steps run inside the county's transaction and touch public rows only; the upper tiers' own steps,
which flow back into the county, are tenants.orchestration.escalations. Every step leaves a transition row
and a row in the platform's audit chain."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from core.chain import chain_append
from tenants.models import (
    ESCALATION_TRANSITIONS,
    County,
    Escalation,
    EscalationTransition,
    EscalationUpdate,
    PlatformAuditArchive,
    PlatformAuditEntry,
)


def escalation_step_refused(escalation: Escalation, to: str) -> ValidationError:
    return ValidationError(_("该事项当前为“%(from)s”，不能变为“%(to)s”。") % {
        "from": Escalation.Status(escalation.status).label, "to": Escalation.Status(to).label})


def escalation_step(escalation: Escalation, to: str, *, action: str, actor=None, actor_label: str = "",
                    reason: str = "", client_address: str = "", **fields: Any) -> Escalation:
    """Move a (locked) item along its state machine: a transition row (who, why, from/to status and level,
    round) and the platform's audit row; an illegal move is refused in Chinese. `fields` (level, prefecture,
    answer …) are saved with the status."""
    if escalation.status and to not in ESCALATION_TRANSITIONS[escalation.status]:
        raise escalation_step_refused(escalation, to)
    from_status, from_level = escalation.status, escalation.level
    if to == Escalation.Status.OPEN:  # it arrives at a level (again): its deadline counts from today
        fields = {**fields, "arrived_on": timezone.localdate()}
    escalation.status = to
    for name, value in fields.items():
        setattr(escalation, name, value)
    if escalation.pk is None:
        escalation.save()
    else:
        escalation.save(update_fields=["status", "updated_at", *fields])
    actor_id = getattr(actor, "pk", None)
    escalation.last_step = EscalationTransition.objects.create(
        escalation=escalation, action=action, from_status=from_status, to_status=to,
        from_level=from_level, to_level=escalation.level, round=escalation.rounds, actor_id=actor_id,
        actor_label=actor_label, reason=reason)
    platform_audit(actor_id=actor_id, action=action, escalation=escalation, client_address=client_address,
                   data={"from": from_status, "to": to, "level": escalation.level, "round": escalation.rounds})
    return escalation


def platform_audit(*, actor_id: int | None, action: str, escalation: Escalation, data: dict,
                   client_address: str = "") -> None:
    """The platform's audit row of a step, in the public schema's chain whichever schema the caller is in
    (a county's routing runs in the county's)."""
    with schema_context(get_public_schema_name()):
        chain_append(PlatformAuditEntry, PlatformAuditArchive, actor_id=actor_id, action=action,
                     target_type="tenants.escalation", target_id=str(escalation.pk), data=data,
                     client_address=client_address)


def _county_label(county: County) -> str:
    return _("%(county)s人大常委会") % {"county": county.name}


def escalation_open(*, county: County, case_id: int, level: str, summary: str, routing_note: str = "",
                    actor=None) -> Escalation:
    """Called by the county's routing, inside its transaction: a new item, or one the upper tier returned
    sent up again (to the level the county now names)."""
    if level == Escalation.Level.PREFECTURE and county.prefecture_id is None:
        raise ValidationError({"jurisdiction": _("本县未登记所属州（市），不能报州（市）级。")})
    fields = {"level": level, "province_id": county.province_id, "summary": summary, "routing_note": routing_note,
              "prefecture_id": county.prefecture_id if level == Escalation.Level.PREFECTURE else None}
    escalation = Escalation.objects.select_for_update().filter(county=county, case_id=case_id).first()
    if escalation is None:
        escalation = Escalation(county=county, case_id=case_id, status="")
        return escalation_step(escalation, Escalation.Status.OPEN, action="escalation.open", actor=actor,
                               actor_label=_county_label(county), reason=routing_note, **fields)
    if escalation.status == Escalation.Status.RETURNED:
        return escalation_step(escalation, Escalation.Status.OPEN, action="escalation.open", actor=actor,
                               actor_label=_county_label(county), reason=routing_note, draft_answer="",
                               draft_unit=None, **fields)
    return escalation


def escalation_withdraw(*, county: County, case_id: int, reason: str, actor=None) -> Escalation | None:
    """The county closed an escalated case itself: the upper tier's item says so and takes no more work.
    Called by the county's case_close, inside its transaction (one source of truth)."""
    escalation = Escalation.objects.select_for_update().filter(county=county, case_id=case_id).first()
    if escalation is None or Escalation.Status.WITHDRAWN not in ESCALATION_TRANSITIONS[escalation.status]:
        return escalation
    text = _("县人大常委会已办结此事：%(reason)s") % {"reason": reason}
    escalation_step(escalation, Escalation.Status.WITHDRAWN, action="escalation.withdraw", actor=actor,
                    actor_label=_county_label(county), reason=text)
    escalation.assignments.filter(is_active=True).update(is_active=False)
    EscalationUpdate.objects.create(escalation=escalation, author=None, text=text)
    return escalation


def escalation_new_round(*, county: County, case_id: int, reason: str, actor_label: str) -> Escalation | None:
    """An "unsatisfied" on the answer of an escalated case: the item opens again upstairs, as a new round
    (counted like the county's rounds), at the level that answered; its units of the last round are let go."""
    escalation = Escalation.objects.select_for_update().filter(county=county, case_id=case_id).first()
    if escalation is None:
        return None
    escalation.assignments.filter(is_active=True).update(is_active=False)
    return escalation_step(escalation, Escalation.Status.OPEN, action="escalation.reopen", actor_label=actor_label,
                           reason=reason, rounds=escalation.rounds + 1, draft_answer="", draft_unit=None)
