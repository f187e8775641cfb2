"""The upper tiers' steps on an escalated item (public schema): that level's staff accept it, post updates
and answer; each step flows back into the county's case, in the county's schema, in the same transaction
(the public row stays the one record of where the matter stands)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from casework.services.escalation import case_escalation_answered, case_escalation_progress
from tenants.models import Escalation, EscalationUpdate
from tenants.selectors import (
    EscalationAction,
    escalation_actions_by_role,
    escalation_actions_by_status,
    escalations_visible_to,
)


def _label(escalation: Escalation) -> str:
    region = escalation.prefecture if escalation.level == Escalation.Level.PREFECTURE else escalation.province
    return _("%(region)s人大") % {"region": region.name if region else ""}


def _lock(account, escalation: Escalation) -> Escalation:
    row = escalations_visible_to(account).select_for_update(of=("self",)).filter(pk=escalation.pk).first()
    if row is None or not escalation_actions_by_role(account, row):
        raise PermissionDenied(_("您没有权限处理该事项。"))
    return row


def _refuse_when_done(escalation: Escalation, action: str, field: str) -> None:
    if action not in escalation_actions_by_status(escalation):
        if escalation.status == Escalation.Status.WITHDRAWN:
            raise ValidationError({field: _("县人大常委会已办结此事，不再需要办理。")})
        raise ValidationError({field: _("该事项已经答复。")})


@transaction.atomic
def escalation_update(*, account, escalation: Escalation, text: str) -> EscalationUpdate:
    """A progress note from the upper level (accepting the item on the first one); the county case and
    the constituent hear of it."""
    escalation = _lock(account, escalation)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写办理进展。")})
    _refuse_when_done(escalation, EscalationAction.PROGRESS, "text")
    update = EscalationUpdate.objects.create(escalation=escalation, author=account, text=text)
    if escalation.status == Escalation.Status.OPEN:
        escalation.status = Escalation.Status.ACCEPTED
        escalation.save(update_fields=["status", "updated_at"])
    with schema_context(escalation.county.schema_name):
        case_escalation_progress(case_id=escalation.case_id, text=text, label=_label(escalation), step=update.pk)
    return update


@transaction.atomic
def escalation_answer(*, account, escalation: Escalation, answer: str) -> Escalation:
    escalation = _lock(account, escalation)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写答复内容。")})
    _refuse_when_done(escalation, EscalationAction.ANSWER, "answer")
    escalation.status = Escalation.Status.ANSWERED
    escalation.answer = answer
    escalation.answered_at = timezone.now()
    escalation.save(update_fields=["status", "answer", "answered_at", "updated_at"])
    with schema_context(escalation.county.schema_name):
        case_escalation_answered(case_id=escalation.case_id, answer=answer, label=_label(escalation))
    return escalation
