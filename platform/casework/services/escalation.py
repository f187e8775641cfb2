"""The county side of an escalation: what the upper level does reaches the case and the constituent; an item
the upper level returns reopens the case for the county to route or handle, and the county's office is told."""

from __future__ import annotations

from django.utils.translation import gettext as _

from access.models import Membership, Role
from audit.services import audit_record
from notifications.models import Channel as MessageChannel
from notifications.services import Outgoing, messages_enqueue

from ..models import Case, CaseStatus
from .common import answer_case, case_step, tell_constituents


def case_escalation_progress(*, case_id: int, text: str, label: str, step: int) -> None:
    """Runs in the county's schema, inside the upper level's transaction."""
    case = Case.objects.select_for_update().get(pk=case_id)
    case.transitions.create(from_status=case.status, to_status=case.status, actor_label=label, reason=text)
    tell_constituents(case, kind="progress", step=f"escalation{step}",
                      body=_("%(who)s：%(text)s 查询码：{code}") % {"who": label, "text": text[:60]})
    audit_record(actor=None, action="case.escalation_progress", target=case, data={"by": label})


def case_escalation_answered(*, case_id: int, answer: str, label: str) -> None:
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.status == CaseStatus.ESCALATED:
        answer_case(case, answer=answer, actor_label=label)
    audit_record(actor=None, action="case.escalation_answered", target=case, data={"by": label})


def case_escalation_returned(*, case_id: int, reason: str, label: str, step: int) -> None:
    """The upper level hands the matter back: the case is newly received again (the county routes or handles
    it), and every county administrator gets an in-app message (once per return: the key names the step)."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.status == CaseStatus.ESCALATED:
        case_step(case, CaseStatus.RECEIVED, actor_label=label, reason=reason, routed_on=None,
                  feedback_due_on=None)
    admins = Membership.objects.filter(role=Role.COUNTY_ADMIN, is_active=True).values_list("account_id", flat=True)
    body = _("%(who)s退回了上报事项“%(t)s”：%(reason)s 请重新分办或自行办理。") % {
        "who": label, "t": case.summary[:40], "reason": reason[:80]}
    messages_enqueue([Outgoing(dedupe_key=f"casework:escalation_returned:{case.pk}:{step}:{account}",
                               kind="casework.escalation_returned", body=body, account_id=account,
                               channel=MessageChannel.IN_APP) for account in set(admins)])
    audit_record(actor=None, action="case.escalation_returned", target=case, data={"by": label})
