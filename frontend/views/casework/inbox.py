"""上级人大收件箱 on the platform host: escalated county cases for that level's staff, with their updates
and answer (which flow back to the county case and the constituent)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontend.forms import errors_onto
from tenants.orchestration.escalations import escalation_answer, escalation_update
from tenants.selectors import escalation_actions, escalations_visible_to


class UpdateForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("办理进展"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("答复"), widget=forms.Textarea(attrs={"rows": 3}))


def _platform(request) -> None:
    if not request.tenant.is_public:
        raise Http404


@login_required
def inbox(request):
    _platform(request)
    rows = list(escalations_visible_to(request.user).order_by("status", "-created_at")[:200])
    return render(request, "frontend/casework/inbox.html", {"rows": rows})


@login_required
def inbox_item(request, pk: int):
    _platform(request)
    escalation = escalations_visible_to(request.user).prefetch_related("updates").filter(pk=pk).first()
    if escalation is None:
        raise Http404
    update_form, answer_form = UpdateForm(prefix="u"), AnswerForm(prefix="a")
    if request.method == "POST":
        try:
            if "u-text" in request.POST:
                update_form = UpdateForm(request.POST, prefix="u")
                if update_form.is_valid():
                    escalation_update(account=request.user, escalation=escalation, **update_form.cleaned_data)
                    messages.success(request, _("进展已发送给县人大。"))
                    return redirect("frontend:inbox_item", pk=pk)
            else:
                answer_form = AnswerForm(request.POST, prefix="a")
                if answer_form.is_valid():
                    escalation_answer(account=request.user, escalation=escalation, **answer_form.cleaned_data)
                    messages.success(request, _("答复已发送给县人大。"))
                    return redirect("frontend:inbox_item", pk=pk)
        except ValidationError as error:
            errors_onto(update_form if "u-text" in request.POST else answer_form, error)
    return render(request, "frontend/casework/inbox_item.html", {
        "e": escalation, "actions": escalation_actions(request.user, escalation), "update_form": update_form,
        "answer_form": answer_form})
