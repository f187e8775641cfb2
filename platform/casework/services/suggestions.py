"""Suggestions (代表建议、批评和意见): register or refuse, assign to units (guardian grants), return within 7
working days, supervision cards, answers with an outcome, the deputy's two ratings, re-handling rounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from access.models import Membership, Role
from access.scope import Actor, require
from audit.services import audit_record
from notifications.models import Channel as MessageChannel
from notifications.services import Outgoing, messages_enqueue
from organisation.models import HandlingUnit
from people.models import Deputy
from workdays.selectors import add_working_days

from ..actions import SuggestionAction, suggestion_actions_by_role, suggestion_actions_by_status
from ..models import (
    Case,
    CaseStatus,
    CaseworkRule,
    ExtensionRequest,
    Outcome,
    Rating,
    Suggestion,
    SuggestionAnswer,
    SuggestionAssignment,
    SuggestionRating,
    SuggestionStatus,
    SupervisionCard,
)
from ..models.suggestions import FINISHED_STATUSES, HANDLING_STATUSES, Period
from ..selectors import unit_group_name
from .common import answer_case, case_step, suggestion_step, suggestion_step_refused

HANDLE = "handle_suggestion"


def unit_group(unit_id: int) -> Group:
    return Group.objects.get_or_create(name=unit_group_name(unit_id))[0]


def _ensure_permission() -> None:
    content_type = ContentType.objects.get_for_model(Suggestion)
    Permission.objects.get_or_create(content_type=content_type, codename=HANDLE,
                                     defaults={"name": "Can handle suggestion"})


def _locked(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _notify_unit(unit_id: int, *, key: str, body: str) -> None:
    accounts = Membership.objects.filter(role=Role.HANDLING_UNIT, handling_unit_id=unit_id, is_active=True
                                         ).values_list("account_id", flat=True)
    messages_enqueue([Outgoing(dedupe_key=f"{key}:{account}", kind="casework.unit", body=body, account_id=account,
                               channel=MessageChannel.IN_APP) for account in accounts])


def _notify_deputy(suggestion: Suggestion, *, key: str, body: str) -> None:
    account = Deputy.objects.filter(pk=suggestion.lead_deputy_id).values_list("account_id", flat=True).first()
    if account:
        messages_enqueue([Outgoing(dedupe_key=f"{key}:{account}", kind="casework.deputy", body=body,
                                   account_id=account, channel=MessageChannel.IN_APP)])


def _require_office(actor: Actor, suggestion: Suggestion, action: str) -> None:
    require(action in suggestion_actions_by_role(actor, suggestion, mine=()))


def _check_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def suggestion_submit(*, actor: Actor, title: str, content: str, lead_deputy: Deputy,
                      cosigners: Sequence[Deputy] = (), period: str = Period.IN_RECESS, category=None,
                      submitted_on: dt.date | None = None) -> Suggestion:
    """A deputy files their own suggestion; the county office may enter one on a deputy's behalf."""
    require(actor.is_admin or actor.deputy_id == lead_deputy.pk)
    title = _check_text(title, "title", _("请填写标题。"))
    content = _check_text(content, "content", _("请填写建议内容。"))
    if period not in Period.values:
        raise ValidationError({"period": _("请选择大会期间或闭会期间。")})
    if any(d.pk == lead_deputy.pk for d in cosigners):
        raise ValidationError({"cosigners": _("领衔代表不必再附议。")})
    suggestion = Suggestion.objects.create(title=title[:200], content=content, lead_deputy=lead_deputy, period=period,
                                           category=category, submitted_on=submitted_on or timezone.localdate())
    suggestion.cosigners.set(cosigners)
    suggestion.transitions.create(from_status="", to_status=SuggestionStatus.SUBMITTED, actor_id=actor.pk)
    audit_record(actor=actor, action="suggestion.submit", target=suggestion)
    return suggestion


def _suggestion_from_case(*, actor: Actor, case: Case, deputy: Deputy) -> Suggestion:
    content = "\n".join(case.opinions.values_list("content", flat=True))
    suggestion = Suggestion.objects.create(title=case.summary[:200], content=content, lead_deputy=deputy,
                                           category=case.category, case=case, submitted_on=timezone.localdate())
    suggestion.transitions.create(from_status="", to_status=SuggestionStatus.SUBMITTED, actor_id=actor.pk,
                                  reason=_("由案件 %(pk)d 转为代表建议") % {"pk": case.pk})
    return suggestion


@transaction.atomic
def suggestion_register(*, actor: Actor, suggestion: Suggestion, reason: str = "") -> Suggestion:
    _require_office(actor, suggestion, SuggestionAction.REGISTER)
    suggestion = _locked(suggestion)
    if SuggestionAction.REGISTER not in suggestion_actions_by_status(suggestion):
        raise suggestion_step_refused(suggestion, SuggestionStatus.REGISTERED)
    suggestion_step(suggestion, SuggestionStatus.REGISTERED, actor=actor, reason=reason)
    audit_record(actor=actor, action="suggestion.register", target=suggestion)
    return suggestion


@transaction.atomic
def suggestion_refuse(*, actor: Actor, suggestion: Suggestion, reason: str) -> Suggestion:
    """Not accepted as a suggestion (不予立案), with the reason the deputy reads."""
    _require_office(actor, suggestion, SuggestionAction.REFUSE)
    reason = _check_text(reason, "reason", _("不予立案须说明理由。"))
    suggestion = _locked(suggestion)
    if SuggestionAction.REFUSE not in suggestion_actions_by_status(suggestion):
        raise suggestion_step_refused(suggestion, SuggestionStatus.NOT_ACCEPTED)
    suggestion_step(suggestion, SuggestionStatus.NOT_ACCEPTED, actor=actor, reason=reason, not_accepted_reason=reason)
    if suggestion.case_id:
        case = Case.objects.select_for_update().get(pk=suggestion.case_id)
        if case.status == CaseStatus.SUGGESTION:  # a case the county has closed meanwhile stays closed
            answer_case(case, answer=_("未作为代表建议立案：%(r)s") % {"r": reason}, actor=actor)
    _notify_deputy(suggestion, key=f"casework:sug:{suggestion.pk}:refused",
                   body=_("您的建议“%(t)s”未予立案：%(r)s") % {"t": suggestion.title, "r": reason})
    audit_record(actor=actor, action="suggestion.refuse", target=suggestion)
    return suggestion


@transaction.atomic
def suggestion_assign(*, actor: Actor, suggestion: Suggestion, lead_unit: HandlingUnit,
                      co_units: Sequence[HandlingUnit] = (), assigned_on: dt.date | None = None) -> Suggestion:
    """Assignment (交办): a lead unit and co-handling units, each granted the suggestion through guardian."""
    _require_office(actor, suggestion, SuggestionAction.ASSIGN)
    suggestion = _locked(suggestion)
    units = [lead_unit, *[u for u in co_units if u.pk != lead_unit.pk]]
    if any(not u.is_active for u in units):
        raise ValidationError({"lead_unit": _("所选承办单位已停用。")})
    if SuggestionAction.ASSIGN not in suggestion_actions_by_status(suggestion):
        raise suggestion_step_refused(suggestion, SuggestionStatus.ASSIGNED)
    assigned_on = assigned_on or timezone.localdate()
    rule = CaseworkRule.current()
    suggestion_step(suggestion, SuggestionStatus.ASSIGNED, actor=actor, lead_unit=lead_unit, assigned_on=assigned_on,
                    due_on=assigned_on + relativedelta(months=rule.answer_months),
                    reason=_("主办：%(u)s") % {"u": lead_unit.name})
    return_by = add_working_days(assigned_on, rule.return_working_days)
    made = SuggestionAssignment.objects.bulk_create([
        SuggestionAssignment(suggestion=suggestion, unit=u, is_lead=(i == 0), assigned_on=assigned_on,
                             return_by=return_by) for i, u in enumerate(units)])
    _ensure_permission()
    for unit, assignment in zip(units, made, strict=True):
        assign_perm(HANDLE, unit_group(unit.pk), suggestion)
        # keyed by the assignment: a unit assigned again after a return is told again
        _notify_unit(unit.pk, key=f"casework:sug:{suggestion.pk}:assigned:{assignment.pk}",
                     body=_("新交办代表建议“%(t)s”，请于%(d)s前答复。") % {"t": suggestion.title,
                                                                       "d": suggestion.due_on})
    audit_record(actor=actor, action="suggestion.assign", target=suggestion,
                 data={"lead": lead_unit.pk, "co": [u.pk for u in units[1:]]})
    return suggestion


def _mine(actor: Actor, suggestion: Suggestion) -> list[SuggestionAssignment]:
    """The actor's units' active assignments on a locked suggestion, lead first, locked too."""
    return list(SuggestionAssignment.objects.select_for_update()
                .filter(suggestion=suggestion, unit_id__in=actor.handling_unit_ids, is_active=True)
                .order_by("-is_lead", "pk"))


def _require_unit(actor: Actor, suggestion: Suggestion, action: str, mine: list[SuggestionAssignment],
                  not_lead: str = "") -> None:
    if action not in suggestion_actions_by_role(actor, suggestion, mine=mine):
        raise PermissionDenied(not_lead if mine else _("该建议没有交由您的单位办理。"))


@transaction.atomic
def suggestion_return(*, actor: Actor, suggestion: Suggestion, reason: str) -> Suggestion:
    """A unit returns a misassigned item within the county's working days (7 by default)."""
    suggestion = _locked(suggestion)
    mine = _mine(actor, suggestion)
    _require_unit(actor, suggestion, SuggestionAction.RETURN, mine)
    assignment = mine[0]
    reason = _check_text(reason, "reason", _("退回须说明理由。"))
    if SuggestionAction.RETURN not in suggestion_actions_by_status(suggestion, mine=mine):
        if suggestion.status != SuggestionStatus.ASSIGNED:
            raise ValidationError({"reason": _("只有刚交办的建议可以退回。")})
        raise ValidationError({"reason": _("已超过退回期限（%(d)s），不能退回，请按期办理。") % {
            "d": assignment.return_by}})
    ending = [assignment]
    if assignment.is_lead:  # the lead's return sends the whole item back to be assigned again
        ending = list(SuggestionAssignment.objects.select_for_update().filter(suggestion=suggestion, is_active=True))
        suggestion_step(suggestion, SuggestionStatus.REGISTERED, actor=actor, reason=reason, lead_unit=None,
                        assigned_on=None, due_on=None)
        _lapse_extensions(suggestion)
    now = timezone.now()
    for row in ending:
        row.is_active = False
        row.returned_at = now
        row.return_reason = reason if row.pk == assignment.pk else _("主办单位退回")
        row.save(update_fields=["is_active", "returned_at", "return_reason"])
        remove_perm(HANDLE, unit_group(row.unit_id), suggestion)
    audit_record(actor=actor, action="suggestion.return", target=suggestion, data={"unit": assignment.unit_id})
    return suggestion


@transaction.atomic
def supervision_card_set(*, actor: Actor, suggestion: Suggestion, leader_name: str, responsible_unit: HandlingUnit,
                         deadline: dt.date, leader_account=None, note: str = "") -> SupervisionCard:
    """A key suggestion's supervision card (督办卡)."""
    _require_office(actor, suggestion, SuggestionAction.SUPERVISE)
    suggestion = _locked(suggestion)
    leader_name = _check_text(leader_name, "leader_name", _("请填写督办领导。"))
    if SuggestionAction.SUPERVISE not in suggestion_actions_by_status(suggestion):
        raise ValidationError(_("已办结的建议不能再督办。"))
    card, _created = SupervisionCard.objects.update_or_create(
        suggestion=suggestion, defaults={"leader_name": leader_name, "responsible_unit": responsible_unit,
                                         "deadline": deadline, "leader_account": leader_account, "note": note})
    if not suggestion.is_key:
        suggestion.is_key = True
        suggestion.save(update_fields=["is_key"])
    audit_record(actor=actor, action="suggestion.supervise", target=suggestion)
    return card


@transaction.atomic
def suggestion_answer(*, actor: Actor, suggestion: Suggestion, outcome: str, content: str,
                      reason: str = "") -> SuggestionAnswer:
    """The lead unit answers with an outcome; "cannot be solved now" needs its reason."""
    suggestion = _locked(suggestion)
    open_now = suggestion_actions_by_status(suggestion)
    if SuggestionAction.ANSWER not in open_now:  # a finished or answered item says so before who may answer
        if suggestion.status in FINISHED_STATUSES:
            raise ValidationError(_("该建议已办结，不能再答复。"))
        if suggestion.status == SuggestionStatus.ANSWERED:  # a second click, another tab, a retried request
            raise ValidationError(_("本轮已经答复，请等待代表评价。"))
    mine = _mine(actor, suggestion)
    _require_unit(actor, suggestion, SuggestionAction.ANSWER, mine,
                  _("由主办单位答复代表；协办单位请向主办单位提供意见。"))
    if SuggestionAction.ANSWER not in open_now:
        raise suggestion_step_refused(suggestion, SuggestionStatus.ANSWERED)
    assignment = mine[0]
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择办理结果。")})
    content = _check_text(content, "content", _("请填写答复内容。"))
    if outcome == Outcome.CANNOT_NOW and not reason.strip():
        raise ValidationError({"reason": _("暂时不能解决的，须说明原因。")})
    today = timezone.localdate()
    answer = SuggestionAnswer.objects.create(suggestion=suggestion, round=suggestion.rounds, unit=assignment.unit,
                                             outcome=outcome, reason=reason.strip(), content=content,
                                             on_time=suggestion.due_on is None or today <= suggestion.due_on,
                                             answered_by_id=actor.pk)
    suggestion_step(suggestion, SuggestionStatus.ANSWERED, actor=actor, reason=str(Outcome(outcome).label))
    _lapse_extensions(suggestion)
    if suggestion.case_id:
        case = Case.objects.select_for_update().get(pk=suggestion.case_id)
        if case.status == CaseStatus.SUGGESTION:
            answer_case(case, answer=content, actor=actor)
    _notify_deputy(suggestion, key=f"casework:sug:{suggestion.pk}:answered:{suggestion.rounds}",
                   body=_("您的建议“%(t)s”已答复，请评价。") % {"t": suggestion.title})
    audit_record(actor=actor, action="suggestion.answer", target=suggestion, data={"outcome": outcome})
    return answer


@transaction.atomic
def suggestion_rate(*, actor: Actor, suggestion: Suggestion, process: str, result: str,
                    comment: str = "") -> SuggestionRating:
    """Only the lead deputy rates, process and result apart; unsatisfied sends it back for another round."""
    if SuggestionAction.RATE not in suggestion_actions_by_role(actor, suggestion, mine=()):
        raise PermissionDenied(_("只有领衔代表可以评价办理情况。"))
    suggestion = _locked(suggestion)
    if SuggestionAction.RATE not in suggestion_actions_by_status(suggestion):
        raise ValidationError(_("该建议尚未答复或已办结，暂不能评价。"))
    if process not in Rating.values or result not in Rating.values:
        raise ValidationError({"result": _("请分别评价办理过程和办理结果。")})
    rating = SuggestionRating.objects.create(suggestion=suggestion, round=suggestion.rounds, process=process,
                                             result=result, comment=comment.strip())
    if Rating.UNSATISFIED in (process, result):
        rule = CaseworkRule.current()
        suggestion_step(suggestion, SuggestionStatus.REHANDLING, actor=actor, reason=comment or _("代表不满意"),
                        rounds=suggestion.rounds + 1,
                        due_on=timezone.localdate() + relativedelta(months=rule.answer_months))
        if suggestion.lead_unit_id:
            _notify_unit(suggestion.lead_unit_id, key=f"casework:sug:{suggestion.pk}:rehandle:{suggestion.rounds}",
                         body=_("代表对建议“%(t)s”的办理不满意，请重新办理。") % {"t": suggestion.title})
    else:
        suggestion_step(suggestion, SuggestionStatus.SATISFIED, actor=actor, reason=str(Rating(result).label))
        _close_case(suggestion, actor, str(Rating(result).label))
    audit_record(actor=actor, action="suggestion.rate", target=suggestion, data={"process": process, "result": result})
    return rating


def _close_case(suggestion: Suggestion, actor, reason: str) -> None:
    if suggestion.case_id:
        case = Case.objects.select_for_update().get(pk=suggestion.case_id)
        if case.status in (CaseStatus.ANSWERED, CaseStatus.SUGGESTION):
            case_step(case, CaseStatus.CLOSED, actor=actor, reason=reason)


@transaction.atomic
def suggestion_close(*, actor: Actor, suggestion: Suggestion, reason: str) -> Suggestion:
    """The standing committee closes an item (e.g. after rounds of re-handling)."""
    _require_office(actor, suggestion, SuggestionAction.CLOSE)
    reason = _check_text(reason, "reason", _("请填写办结说明。"))
    suggestion = _locked(suggestion)
    if SuggestionAction.CLOSE not in suggestion_actions_by_status(suggestion):
        raise suggestion_step_refused(suggestion, SuggestionStatus.CLOSED)
    suggestion_step(suggestion, SuggestionStatus.CLOSED, actor=actor, reason=reason)
    _close_case(suggestion, actor, reason)
    audit_record(actor=actor, action="suggestion.close", target=suggestion)
    return suggestion


@transaction.atomic
def extension_request(*, actor: Actor, suggestion: Suggestion, requested_until: dt.date,
                      reason: str) -> ExtensionRequest:
    suggestion = _locked(suggestion)
    mine = _mine(actor, suggestion)
    _require_unit(actor, suggestion, SuggestionAction.EXTENSION, mine, _("延期由主办单位申请。"))
    assignment = mine[0]
    pending = ExtensionRequest.objects.filter(suggestion=suggestion, status=ExtensionRequest.Status.PENDING).exists()
    if SuggestionAction.EXTENSION not in suggestion_actions_by_status(suggestion, pending=pending):
        if suggestion.status not in HANDLING_STATUSES:
            raise ValidationError(_("只有办理中的建议可以申请延期。"))
        raise ValidationError(_("已有待审批的延期申请。"))
    reason = _check_text(reason, "reason", _("请说明延期理由。"))
    if suggestion.due_on and requested_until <= suggestion.due_on:
        raise ValidationError({"requested_until": _("延期日期须晚于原答复期限（%(d)s）。") % {"d": suggestion.due_on}})
    extension = ExtensionRequest.objects.create(suggestion=suggestion, unit=assignment.unit,
                                                requested_until=requested_until, reason=reason)
    audit_record(actor=actor, action="suggestion.extension_request", target=extension)
    return extension


def _lapse_extensions(suggestion: Suggestion) -> None:
    """A pending extension lapses when the round it asked for ends (answered, or returned): an approval
    later would move the next round's deadline back."""
    ExtensionRequest.objects.filter(suggestion=suggestion, status=ExtensionRequest.Status.PENDING).update(
        status=ExtensionRequest.Status.REFUSED, decided_at=timezone.now())


@transaction.atomic
def extension_decide(*, actor: Actor, extension: ExtensionRequest, grant: bool) -> ExtensionRequest:
    suggestion = _locked(extension.suggestion)
    _require_office(actor, suggestion, SuggestionAction.DECIDE)
    if grant and suggestion.status not in HANDLING_STATUSES:
        raise ValidationError(_("该建议当前不在办理中，不能批准延期。"))
    updated = ExtensionRequest.objects.filter(pk=extension.pk, status=ExtensionRequest.Status.PENDING).update(
        status=ExtensionRequest.Status.GRANTED if grant else ExtensionRequest.Status.REFUSED,
        decided_at=timezone.now())
    if not updated:
        raise ValidationError(_("该延期申请已经处理。"))
    extension.refresh_from_db()
    if grant and (suggestion.due_on is None or extension.requested_until > suggestion.due_on):
        Suggestion.objects.filter(pk=suggestion.pk).update(due_on=extension.requested_until)
    _notify_unit(extension.unit_id, key=f"casework:ext:{extension.pk}",
                 body=_("延期申请已%(s)s。") % {"s": extension.get_status_display()})
    audit_record(actor=actor, action="suggestion.extension_decide", target=extension, data={"grant": grant})
    return extension
