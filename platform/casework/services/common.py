"""What the casework services share: the state-machine step, attachment checks, SMS to constituents."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import image_format
from notifications.services import Outgoing, messages_enqueue

from ..models import Case, CaseStatus, CaseTransition, Opinion, Suggestion, SuggestionStatus, SuggestionTransition
from ..models.cases import CASE_TRANSITIONS
from ..models.suggestions import SUGGESTION_TRANSITIONS

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
IMAGE_KINDS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}


def case_step_refused(case: Case, to: str) -> ValidationError:
    return ValidationError(_("案件当前为“%(from)s”，不能变为“%(to)s”。") % {
        "from": CaseStatus(case.status).label, "to": CaseStatus(to).label})


def suggestion_step_refused(suggestion: Suggestion, to: str) -> ValidationError:
    return ValidationError(_("建议当前为“%(from)s”，不能变为“%(to)s”。") % {
        "from": SuggestionStatus(suggestion.status).label, "to": SuggestionStatus(to).label})


def case_step(case: Case, to: str, *, actor=None, actor_label: str = "", reason: str = "", **fields) -> Case:
    """Move a (locked) case along its state machine; an illegal move is refused in Chinese."""
    if to not in CASE_TRANSITIONS[case.status]:
        raise case_step_refused(case, to)
    CaseTransition.objects.create(case=case, from_status=case.status, to_status=to,
                                  actor_id=getattr(actor, "pk", None), actor_label=actor_label, reason=reason)
    case.status = to
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=["status", "updated_at", *fields])
    return case


def suggestion_step(suggestion: Suggestion, to: str, *, actor=None, reason: str = "", **fields) -> Suggestion:
    if to not in SUGGESTION_TRANSITIONS[suggestion.status]:
        raise suggestion_step_refused(suggestion, to)
    SuggestionTransition.objects.create(suggestion=suggestion, from_status=suggestion.status, to_status=to,
                                        actor_id=getattr(actor, "pk", None), reason=reason)
    suggestion.status = to
    for name, value in fields.items():
        setattr(suggestion, name, value)
    suggestion.save(update_fields=["status", "updated_at", *fields])
    return suggestion


def check_attachment(upload) -> str:
    """Images (Pillow reads them for real: core.files.image_format) and PDFs only, at most 10 MB; returns the kind."""
    if upload.size is None or upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("附件不能超过10MB。")})
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "pdf"
    kind = image_format(upload)
    if kind not in IMAGE_KINDS:
        raise ValidationError({"file": _("附件须为图片（JPEG、PNG、WEBP）或PDF文件。")})
    return IMAGE_KINDS[kind]


def tell_constituents(case: Case, *, kind: str, body: str, step: str) -> int:
    """An SMS to each constituent of the case who left a number and agreed to feedback; the dedupe key
    names the case, the opinion and the step, so a step repeated sends nothing twice."""
    rows = Opinion.objects.filter(case=case, consent=True).exclude(constituent_mobile="")
    return messages_enqueue([
        Outgoing(dedupe_key=f"casework:{kind}:{case.pk}:{opinion.pk}:{step}", kind=f"casework.{kind}",
                 mobile=opinion.constituent_mobile,
                 body=body.replace("{code}", opinion.tracking_code))
        for opinion in rows
    ])


def answer_case(case: Case, *, answer: str, actor=None, actor_label: str = "") -> Case:
    """The answer reaches the case (from the township, a suggestion's unit or an upper level) and the
    constituent. Called inside the caller's transaction, on a locked case."""
    case_step(case, CaseStatus.ANSWERED, actor=actor, actor_label=actor_label, reason=answer[:500], answer=answer,
              answered_at=timezone.now(), feedback_sent_on=timezone.localdate())
    tell_constituents(case, kind="answered", step=f"answered{case.rounds}",
                      body=_("您反映的问题已有答复：%(text)s 可凭查询码 {code} 查看并评价。") % {"text": answer[:60]})
    return case
