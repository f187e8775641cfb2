"""The county side of an escalation: what the upper level does reaches the case and the constituent."""

from __future__ import annotations

from django.utils.translation import gettext as _

from audit.services import audit_record

from ..models import Case, CaseStatus
from .common import answer_case, tell_constituents


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
