"""The record of what a session received (004: visitors received, the issues they raised)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor
from audit.services import audit_record
from casework.models import Channel
from casework.services.intake import opinion_receive
from duties.models import DutyRecord
from organisation.models import Village
from people.models import Deputy
from reception.models import ReceptionIssue, ReceptionRecord, ReceptionSession
from tenants.models.validators import mobile_validator

from .common import reception_duty_source, require_venue


@dataclass(frozen=True)
class IssueInput:
    content: str
    village: Village | None = None
    constituent_name: str = ""
    constituent_mobile: str = ""
    consent: bool = False
    received_by: Deputy | None = None


def _check_issues(issues: list[IssueInput]) -> None:
    for n, issue in enumerate(issues, start=1):
        if not issue.content.strip():
            raise ValidationError({"issues": _("第%(n)d个问题：请填写反映的问题。") % {"n": n}})
        if issue.constituent_name.strip() and not issue.consent:
            raise ValidationError({"issues": _("第%(n)d个问题：登记群众姓名须经本人同意。") % {"n": n}})
        if issue.constituent_mobile:
            try:
                mobile_validator(issue.constituent_mobile)
            except ValidationError as exc:
                raise ValidationError({"issues": _("第%(n)d个问题：群众手机号码格式不正确（应为11位数字）。") % {
                    "n": n}}) from exc


@transaction.atomic
def reception_record_save(*, actor: Actor, session: ReceptionSession, visitors_count: int, summary: str = "",
                          visitor_names: str = "", names_consented: bool = False,
                          issues: Sequence[IssueInput] = ()) -> ReceptionRecord:
    """Save what the session received; issues are added (an issue once recorded stays, it is a case)."""
    require_venue(actor, session.venue)
    session = ReceptionSession.objects.select_for_update().select_related("venue").get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("该接待日已取消，不能登记接待情况。"))
    if session.starts_at > timezone.now():
        raise ValidationError(_("接待日还未开始，不能登记接待情况。"))
    if visitors_count < 0:
        raise ValidationError({"visitors_count": _("接待人次不能为负数。")})
    if visitor_names.strip() and not names_consented:
        raise ValidationError({"visitor_names": _(
            "登记来访群众姓名须经本人同意，请勾选“来访群众同意登记姓名”或删去姓名。")})
    issues = list(issues)
    if len(issues) > visitors_count and visitors_count == 0:
        raise ValidationError({"visitors_count": _("登记了反映的问题，接待人次不能为0。")})
    _check_issues(issues)
    record, _created = ReceptionRecord.objects.update_or_create(session=session, defaults={
        "visitors_count": visitors_count, "summary": summary.strip(), "visitor_names": visitor_names.strip(),
        "names_consented": names_consented, "recorded_by": actor.account_id})
    for issue in issues:  # each issue becomes an opinion, handled in casework
        opinion = opinion_receive(actor=actor, content=issue.content, channel=Channel.RECEPTION, village=issue.village,
                                  deputy=issue.received_by, constituent_name=issue.constituent_name,
                                  constituent_mobile=issue.constituent_mobile, consent=issue.consent,
                                  received_on=session.date, venue=session.venue,
                                  duty_record=_reception_duty(session, issue.received_by))
        ReceptionIssue.objects.create(record=record, content=issue.content.strip(), village=issue.village,
                                      constituent_name=issue.constituent_name.strip(),
                                      constituent_mobile=issue.constituent_mobile, received_by=issue.received_by,
                                      opinion=opinion)
    audit_record(actor=actor, action="reception.record", target=session,
                 data={"visitors": visitors_count, "issues": len(issues)})
    return record


def _reception_duty(session: ReceptionSession, deputy: Deputy | None) -> DutyRecord | None:
    """The receiving deputy's reception duty of this session (logged when they signed in), if there is one."""
    if deputy is None:
        return None
    return DutyRecord.objects.filter(source=reception_duty_source(session.pk, deputy.pk)).first()
