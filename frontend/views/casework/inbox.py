"""上级人大收件箱 on the platform host: escalated county cases for that level's staff and the units they assign
them to — the whole item (the county's routing note, dates, history both ways) and one form per step the
account may take now (tenants.actions); every step is a tenants.orchestration.escalations service."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from audit.labels import action_label
from frontend.forms import errors_onto, text_validators
from frontend.pages import paginate, query_without_page
from tenants.actions import EscalationAction, escalation_actions, escalations_actions
from tenants.models import Escalation, RegionUnit
from tenants.orchestration import escalations as steps
from tenants.orchestration.escalation_context import escalation_attachment_open, escalation_case_context
from tenants.orchestration.upstairs_deadlines import escalation_due_on
from tenants.selectors import escalation_history, escalations_visible_to


def _text(label: str, rows: int = 2) -> forms.CharField:
    return forms.CharField(label=label, validators=text_validators(), widget=forms.Textarea(attrs={"rows": rows}))


class UpdateForm(forms.Form):
    text = _text(gettext_lazy("办理进展"))


class AnswerForm(forms.Form):
    answer = _text(gettext_lazy("答复"), 3)


class ReasonForm(forms.Form):
    reason = _text(gettext_lazy("理由"))


class DraftForm(forms.Form):
    text = _text(gettext_lazy("答复草稿"), 4)


class NoFieldsForm(forms.Form):
    pass


class AssignForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=gettext_lazy("承办单位"), queryset=RegionUnit.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, escalation: Escalation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = RegionUnit.objects.filter(province_id=escalation.province_id,
                                                                  prefecture_id=escalation.prefecture_id)


# action -> (form, service, its keyword for the form's data, the message on success)
STEPS = {
    EscalationAction.ACCEPT: (NoFieldsForm, steps.escalation_accept, gettext_lazy("已受理。")),
    EscalationAction.PROGRESS: (UpdateForm, steps.escalation_update, gettext_lazy("进展已发送给县人大。")),
    EscalationAction.FORWARD: (ReasonForm, steps.escalation_forward, gettext_lazy("已转送。")),
    EscalationAction.RETURN: (ReasonForm, steps.escalation_return, gettext_lazy("已退回县人大。")),
    EscalationAction.ASSIGN: (AssignForm, steps.escalation_assign, gettext_lazy("已交办。")),
    EscalationAction.DRAFT: (DraftForm, steps.escalation_draft, gettext_lazy("答复草稿已提交审核。")),
    EscalationAction.APPROVE: (NoFieldsForm, steps.escalation_approve, gettext_lazy("答复已发送给县人大。")),
    EscalationAction.REJECT: (ReasonForm, steps.escalation_reject, gettext_lazy("草稿已退回修改。")),
    EscalationAction.ANSWER: (AnswerForm, steps.escalation_answer, gettext_lazy("答复已发送给县人大。")),
}


def _platform(request) -> None:
    if not request.tenant.is_public:
        raise Http404


def _form(action: str, escalation: Escalation, data=None) -> forms.Form:
    form_class = STEPS[action][0]
    kwargs = {"escalation": escalation} if form_class is AssignForm else {}
    return form_class(data, prefix=action, **kwargs)


@login_required
def inbox(request):
    """Every item the account reaches, newest first, 50 a page (the count comes with the page: one query)."""
    _platform(request)
    qs = escalations_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Escalation.Status.values:
        qs = qs.filter(status=status)
    page = paginate(qs.order_by("-created_at", "-pk"), request)
    return render(request, "frontend/casework/inbox.html", {
        "page": page, "rows": page.rows, "query": query_without_page(request), "status": status,
        "statuses": Escalation.Status.choices, "actions": escalations_actions(request.user, page.rows)})


@login_required
def inbox_item(request, pk: int):
    _platform(request)
    escalation = escalations_visible_to(request.user).prefetch_related("updates").filter(pk=pk).first()
    if escalation is None:
        raise Http404
    allowed = escalation_actions(request.user, escalation)
    forms_by_action = {action: _form(action, escalation) for action in STEPS if action in allowed}
    action = request.POST.get("do", "")
    if request.method == "POST" and action in STEPS:
        form = forms_by_action[action] = _form(action, escalation, request.POST)
        service, done = STEPS[action][1], STEPS[action][2]
        if form.is_valid():
            try:
                service(account=request.user, escalation=escalation, **form.cleaned_data)
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, str(done))
                if escalations_visible_to(request.user).filter(pk=pk).exists():
                    return redirect("frontend:inbox_item", pk=pk)
                return redirect("frontend:inbox")
    return render(request, "frontend/casework/inbox_item.html", {
        "e": escalation, "actions": allowed, "forms": [(a, EscalationAction(a).label, f)
                                                       for a, f in forms_by_action.items()],
        "history": [(t, action_label(t.action)) for t in escalation_history(escalation)],
        "units": escalation.assignments.filter(is_active=True).select_related("unit"),
        "due_on": escalation_due_on(escalation), "case": escalation_case_context(escalation)})


@login_required
def inbox_attachment(request, pk: int, attachment_pk: int):
    """An attachment of the item's case, only to those who reach the item (no public /media/ on purpose)."""
    _platform(request)
    escalation = escalations_visible_to(request.user).filter(pk=pk).first()
    if escalation is None:
        raise Http404
    handle, content_type = escalation_attachment_open(escalation, attachment_pk)
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


__all__ = ["inbox", "inbox_attachment", "inbox_item"]
