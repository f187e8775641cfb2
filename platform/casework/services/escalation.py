"""The county side of an escalation: what the upper level does reaches the case and the constituent; an item
the upper level returns reopens the case for the county to route or handle, and the county's office is told.
And the one way upper-tier staff and units are told of an item (upstairs_notice, through the platform's
outbox in the public schema), used by the county's routing and by tenants.orchestration's steps alike."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from access.models import Membership, Role
from audit.services import audit_record
from notifications.models import Channel as MessageChannel
from notifications.services import Outgoing, messages_enqueue
from tenants.models import Escalation
from tenants.selectors import escalation_recipients

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


UPSTAIRS_NOTICES = {
    "new": _("%(county)s上报事项“%(t)s”已到达，请及时受理。"),
    "reopened": _("%(county)s上报事项“%(t)s”的答复选民不满意，已重新交办（第%(round)s轮），请及时办理。"),
    "forwarded": _("%(county)s上报事项“%(t)s”已转送至本级，请及时受理。"),
    "assigned": _("上报事项“%(t)s”（%(county)s）已交贵单位办理，请起草答复。"),
    "returned": _("上报事项“%(t)s”（%(county)s）的答复草稿被退回修改：%(reason)s"),
    "due_soon": _("上报事项“%(t)s”（%(county)s）将于%(due)s到期，请按期答复。"),
    "overdue": _("上报事项“%(t)s”（%(county)s）已超过答复期限（%(due)s），请尽快答复。"),
}


def upstairs_notice(escalation: Escalation, *, kind: str, step: str, unit_ids: Iterable[int] | None = None,
                    **values) -> int:
    """An in-app message and an SMS to each of the level's staff (or to the accounts of `unit_ids`), in the
    platform's outbox whatever schema the caller is in; the dedupe key names the item, the kind, the step
    (a transition, or a day) and the recipient, so a step or a scan run twice tells no one twice."""
    recipients = escalation_recipients(escalation, unit_ids=unit_ids)
    body = UPSTAIRS_NOTICES[kind] % {"county": escalation.county.name, "t": escalation.summary[:30],
                                     "round": escalation.rounds, **values}
    with schema_context(get_public_schema_name()):
        return messages_enqueue([
            Outgoing(dedupe_key=f"upstairs:{kind}:{escalation.pk}:{step}:{account}:{channel}", kind=f"upstairs.{kind}",
                     body=body, account_id=account, mobile=mobile if channel == MessageChannel.SMS else "",
                     channel=channel)
            for account, mobile in recipients for channel in (MessageChannel.IN_APP, MessageChannel.SMS)])
