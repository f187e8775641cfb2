"""Routing by jurisdiction (004 篇三) and the township's handling of a case; stations supervise only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from people.models import Deputy
from tenants.selectors import current_county
from tenants.services.escalations import escalation_new_round, escalation_open, escalation_withdraw
from workdays.selectors import add_working_days

from ..actions import CaseAction, case_actions_by_role, case_actions_by_status, may_handle
from ..models import Case, CaseStatus, CaseworkRule, Jurisdiction, Opinion, Rating, Route, RoutingRule
from ..models.cases import ROUTE_STATUS
from .common import answer_case, case_step, case_step_refused, tell_constituents
from .escalation import upstairs_notice
from .suggestions import _suggestion_from_case


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_route(*, actor: Actor, case: Case, jurisdiction: str, reason: str = "",
               lead_deputy: Deputy | None = None) -> Case:
    """Send a case where its jurisdiction says (the county's RoutingRule)."""
    require(CaseAction.ROUTE in case_actions_by_role(actor, case))
    case = _locked(case)
    if CaseAction.ROUTE not in case_actions_by_status(case):
        raise ValidationError(_("案件当前为“%(status)s”，只有新登记的案件可以分办。") % {
            "status": case.get_status_display()})
    if jurisdiction not in Jurisdiction.values:
        raise ValidationError({"jurisdiction": _("请选择管辖范围。")})
    rule = RoutingRule.objects.filter(jurisdiction=jurisdiction).first()
    if rule is None:
        raise ValidationError({"jurisdiction": _("本县尚未设定该管辖范围的分办规则。")})
    route = rule.route
    target = ROUTE_STATUS[route]
    if target not in {CaseStatus.TOWNSHIP_HANDLING, CaseStatus.SUGGESTION, CaseStatus.ESCALATED, CaseStatus.CLOSED}:
        raise ValidationError({"jurisdiction": _("分办规则无效。")})
    today = timezone.localdate()
    feedback_due = add_working_days(today, CaseworkRule.current().feedback_working_days)
    fields: dict[str, Any] = {"jurisdiction": jurisdiction, "routed_on": today}
    if route == Route.TOWNSHIP:
        if case.township_id is None:
            raise ValidationError({"jurisdiction": _("该案件未确定所属乡镇，不能交乡镇办理。")})
        case_step(case, target, actor=actor, reason=reason, feedback_due_on=feedback_due, **fields)
        tell_constituents(case, kind="routed", step=f"routed{case.rounds}",
                          body=_("您反映的问题已转交乡镇（街道）有关部门办理，人大代表联络站将督促办理。查询码：{code}"))
    elif route == Route.SUGGESTION:
        deputy = lead_deputy or case.deputy
        if deputy is None:
            raise ValidationError({"lead_deputy": _("请选择领衔提出建议的代表。")})
        case_step(case, target, actor=actor, reason=reason, feedback_due_on=feedback_due, **fields)
        _suggestion_from_case(actor=actor, case=case, deputy=deputy)
        tell_constituents(case, kind="routed", step="suggestion",
                          body=_("您反映的问题已形成代表建议，送县人大常委会交有关单位办理。查询码：{code}"))
    elif route == Route.ESCALATE:
        if jurisdiction not in (Jurisdiction.PREFECTURE, Jurisdiction.PROVINCE):
            raise ValidationError({"jurisdiction": _("只有州（市）级、省级事项可以逐级上报。")})
        escalation = escalation_open(county=current_county(), case_id=case.pk, level=jurisdiction, actor=actor,
                                     summary="\n".join(case.opinions.values_list("content", flat=True)),
                                     routing_note=reason.strip())
        upstairs_notice(escalation, kind="new", step=escalation.step_key)
        case_step(case, target, actor=actor, reason=reason, escalation_id=escalation.pk,
                  feedback_due_on=feedback_due, **fields)
        tell_constituents(case, kind="routed", step="escalated",
                          body=_("您反映的问题属上级人大职权范围，已逐级上报。查询码：{code}"))
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("办结须填写政策解释。")})
        case_step(case, target, actor=actor, reason=reason, answer=reason, answered_at=timezone.now(),
                  feedback_sent_on=today, **fields)
        tell_constituents(case, kind="answered", step=f"closed{case.rounds}",
                          body=_("您反映的问题已作答复：%(text)s 查询码：{code}") % {"text": reason[:60]})
    audit_record(actor=actor, action="case.route", target=case, data={"jurisdiction": jurisdiction, "route": route})
    return case



@transaction.atomic
def case_answer(*, actor: Actor, case: Case, answer: str) -> Case:
    require(CaseAction.ANSWER in case_actions_by_role(actor, case))
    case = _locked(case)
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复内容。")})
    if CaseAction.ANSWER not in case_actions_by_status(case):
        raise ValidationError({"answer": _("只有交乡镇办理中的案件可以在此答复。")})
    answer_case(case, answer=answer.strip(), actor=actor)
    audit_record(actor=actor, action="case.answer", target=case)
    return case


@transaction.atomic
def case_close(*, actor: Actor, case: Case, reason: str) -> Case:
    case = _locked(case)  # the status is read under the lock: a rating may have reopened it meanwhile
    require(CaseAction.CLOSE in case_actions_by_role(actor, case))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写办结说明。")})
    if CaseAction.CLOSE not in case_actions_by_status(case):
        raise case_step_refused(case, CaseStatus.CLOSED)
    case_step(case, CaseStatus.CLOSED, actor=actor, reason=reason)
    if case.escalation_id is not None:
        escalation_withdraw(county=current_county(), case_id=case.pk, reason=reason.strip(), actor=actor)
    audit_record(actor=actor, action="case.close", target=case)
    return case


@transaction.atomic
def case_rate_by_constituent(*, tracking_code: str, rating: str, comment: str = "") -> Case:
    """Only the constituent, holding the opinion's tracking code, rates a case's answer. Unsatisfied sends a
    township case back to the township, an escalated one back upstairs as a new round there (rounds counted
    on both sides); satisfied closes it."""
    opinion = Opinion.objects.filter(tracking_code=(tracking_code or "").strip().upper()).first()
    if opinion is None:
        raise ValidationError({"code": _("查询码不正确。")})
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择满意、基本满意或不满意。")})
    case = _locked(opinion.case)
    if case.status != CaseStatus.ANSWERED:
        raise ValidationError({"rating": _("该问题尚未答复，或已经办结，暂不能评价。")})
    case.constituent_rating = rating
    case.save(update_fields=["constituent_rating"])
    label = _("选民")
    if rating == Rating.UNSATISFIED and case.jurisdiction in (Jurisdiction.VILLAGE, Jurisdiction.TOWNSHIP):
        case.rounds += 1
        case_step(case, CaseStatus.TOWNSHIP_HANDLING, actor_label=label, reason=comment or _("选民不满意，重新办理"),
                  rounds=case.rounds, feedback_sent_on=None,
                  feedback_due_on=add_working_days(timezone.localdate(), CaseworkRule.current().feedback_working_days))
    elif rating == Rating.UNSATISFIED and case.escalation_id is not None \
            and case.jurisdiction in (Jurisdiction.PREFECTURE, Jurisdiction.PROVINCE):
        case.rounds += 1
        reason = comment or _("选民不满意，重新办理")
        case_step(case, CaseStatus.ESCALATED, actor_label=label, reason=reason, rounds=case.rounds,
                  feedback_sent_on=None)
        escalation = escalation_new_round(county=current_county(), case_id=case.pk, reason=reason, actor_label=label)
        if escalation is not None:
            upstairs_notice(escalation, kind="reopened", step=escalation.step_key)
    elif rating != Rating.UNSATISFIED:
        case_step(case, CaseStatus.CLOSED, actor_label=label, reason=comment or str(Rating(rating).label))
    else:
        case.transitions.create(from_status=case.status, to_status=case.status, actor_label=label,
                                reason=comment or str(Rating(rating).label))
    audit_record(actor=None, action="case.rate", target=case, data={"rating": rating})
    return case


@transaction.atomic
def routing_rule_save(*, actor: Actor, jurisdiction: str, route: str, note: str = "") -> RoutingRule:
    require(actor.is_admin)
    if jurisdiction not in Jurisdiction.values:
        raise ValidationError({"jurisdiction": _("请选择管辖范围。")})
    if route not in Route.values:
        raise ValidationError({"route": _("请选择去向。")})
    if route == Route.ESCALATE and jurisdiction not in (Jurisdiction.PREFECTURE, Jurisdiction.PROVINCE):
        raise ValidationError({"route": _("只有州（市）级、省级事项可以逐级上报。")})
    if route == Route.TOWNSHIP and jurisdiction in (Jurisdiction.PREFECTURE, Jurisdiction.PROVINCE):
        raise ValidationError({"route": _("上级事项不能交乡镇办理。")})
    rule, _created = RoutingRule.objects.update_or_create(jurisdiction=jurisdiction,
                                                          defaults={"route": route, "note": note})
    audit_record(actor=actor, action="routing_rule.save", target=rule, data={"route": route})
    return rule


RULE_FIELDS = ("answer_months", "feedback_working_days", "return_working_days", "due_soon_working_days")


@transaction.atomic
def casework_rule_update(*, actor: Actor, **values: int) -> CaseworkRule:
    require(actor.is_admin)
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    errors = {k: _("须为1到60之间的整数。") for k, v in values.items()
              if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 60}
    if errors:
        raise ValidationError(errors)
    CaseworkRule.current()
    rule = CaseworkRule.objects.select_for_update().get(pk=1)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    audit_record(actor=actor, action="casework_rule.update", target=rule, data=dict(values))
    return rule


__all__ = ["case_answer", "case_close", "case_rate_by_constituent", "case_route",
           "casework_rule_update", "may_handle", "routing_rule_save"]
