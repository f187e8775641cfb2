"""Suggestion pages: the list, one suggestion with its workflow forms for whoever may act (the county
office registers, assigns, supervises and closes; the handling unit answers, returns, asks for more
time; the lead deputy rates), and a deputy filing a suggestion."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.scope import Actor
from casework import services
from casework.actions import SuggestionAction, suggestion_actions
from casework.models import ExtensionRequest, OpinionCategory, Outcome, Rating, Suggestion, SuggestionStatus
from casework.models.suggestions import Period
from casework.selectors import suggestion_detail, suggestions_visible_to, unit_scorecards
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page, xlsx_download
from frontend.views.people.common import DATE
from organisation.models import HandlingUnit
from people.models import Deputy


def _units():
    return HandlingUnit.objects.filter(is_active=True).order_by("kind", "name")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequiredReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=gettext_lazy("主办单位"), queryset=HandlingUnit.objects.none())
    co_units = forms.ModelMultipleChoiceField(label=gettext_lazy("协办单位"), required=False,
                                              queryset=HandlingUnit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = self.fields["co_units"].queryset = _units()


class SupervisionForm(forms.Form):
    leader_name = forms.CharField(label=gettext_lazy("督办领导"), max_length=50)
    responsible_unit = forms.ModelChoiceField(label=gettext_lazy("责任单位"), queryset=HandlingUnit.objects.none())
    deadline = forms.DateField(label=gettext_lazy("办结时限"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("督办意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = _units()


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("办理结果"), choices=Outcome.choices)
    content = forms.CharField(label=gettext_lazy("答复内容"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=gettext_lazy("暂时不能解决的原因"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RateForm(forms.Form):
    process = forms.ChoiceField(label=gettext_lazy("对办理过程"), choices=Rating.choices, widget=forms.RadioSelect)
    result = forms.ChoiceField(label=gettext_lazy("对办理结果"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=gettext_lazy("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    requested_until = forms.DateField(label=gettext_lazy("申请延期至"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    grant = forms.TypedChoiceField(label=gettext_lazy("审批"), coerce=lambda v: v == "1",
                                   choices=[("1", gettext_lazy("同意延期")), ("0", gettext_lazy("不同意"))])


def _decide(actor, suggestion, grant):
    extension = ExtensionRequest.objects.filter(suggestion=suggestion, status=ExtensionRequest.Status.PENDING).first()
    if extension is None:
        raise ValidationError(_("没有待审批的延期申请。"))
    services.extension_decide(actor=actor, extension=extension, grant=grant)


# action code (casework.actions.SuggestionAction) -> (form, service call); suggestion_actions says who sees it
ACTIONS = {
    "register": (ReasonForm, lambda a, s, d: services.suggestion_register(actor=a, suggestion=s, **d)),
    "refuse": (RequiredReasonForm, lambda a, s, d: services.suggestion_refuse(actor=a, suggestion=s, **d)),
    "assign": (AssignForm, lambda a, s, d: services.suggestion_assign(
        actor=a, suggestion=s, lead_unit=d["lead_unit"], co_units=list(d["co_units"]))),
    "supervise": (SupervisionForm, lambda a, s, d: services.supervision_card_set(actor=a, suggestion=s, **d)),
    "close": (RequiredReasonForm, lambda a, s, d: services.suggestion_close(actor=a, suggestion=s, **d)),
    "decide": (DecisionForm, lambda a, s, d: _decide(a, s, d["grant"])),
    "answer": (AnswerForm, lambda a, s, d: services.suggestion_answer(actor=a, suggestion=s, **d)),
    "return": (RequiredReasonForm, lambda a, s, d: services.suggestion_return(actor=a, suggestion=s, **d)),
    "extension": (ExtensionForm, lambda a, s, d: services.extension_request(actor=a, suggestion=s, **d)),
    "rate": (RateForm, lambda a, s, d: services.suggestion_rate(actor=a, suggestion=s, **d)),
}


SUGGESTION_HEADERS = [gettext_lazy("标题"), gettext_lazy("领衔代表"), gettext_lazy("主办单位"), gettext_lazy("状态"),
                      gettext_lazy("重点建议"), gettext_lazy("提出日期"), gettext_lazy("答复期限")]


@member_required
def suggestion_list(request, actor: Actor):
    qs = suggestions_visible_to(actor).order_by("-submitted_on", "-pk")
    status = request.GET.get("status", "")
    if status in SuggestionStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("export") == "xlsx":  # the same rows as the list, every page of them
        rows = ([s.title, s.lead_deputy.account.name, s.lead_unit.name if s.lead_unit else "", s.get_status_display(),
                 _("是") if s.is_key else "", s.submitted_on.isoformat(), s.due_on.isoformat() if s.due_on else ""]
                for s in qs)
        return xlsx_download([str(h) for h in SUGGESTION_HEADERS], rows, filename="suggestions.xlsx",
                             title=_("代表建议"))
    page = paginate(qs, request)
    scorecards = unit_scorecards(units=HandlingUnit.objects.filter(pk__in=actor.handling_unit_ids).order_by("name"),
                                 year=timezone.localdate().year) if actor.handling_unit_ids else []
    return render(request, "frontend/casework/suggestion_list.html", {
        "page": page, "query": query_without_page(request), "status": status, "statuses": SuggestionStatus.choices,
        "actor": actor, "scorecards": scorecards, "may_file": actor.is_admin or actor.deputy_id is not None,
        "today": timezone.localdate()})


@member_required
def suggestion_page(request, actor: Actor, pk: int, bound: dict | None = None):
    try:
        s = suggestion_detail(actor, pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    bound = bound or {}
    actions = suggestion_actions(actor, s)
    panels = [(name, label, bound.get(name) or ACTIONS[name][0](prefix=name))
              for name, label in SuggestionAction.choices if name in actions]
    return render(request, "frontend/casework/suggestion_detail.html", {"s": s, "panels": panels, "actions": actions,
                                                                   "actor": actor})


@require_POST
@member_required
def suggestion_act(request, actor: Actor, pk: int, name: str):
    if name not in ACTIONS:
        raise Http404
    try:
        s = suggestion_detail(actor, pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    form_class, run = ACTIONS[name]
    form = form_class(request.POST, prefix=name)
    if form.is_valid():
        try:
            run(actor, s, form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已保存。"))
            if suggestions_visible_to(actor).filter(pk=pk).exists():
                return redirect("frontend:suggestion_detail", pk=pk)
            return redirect("frontend:suggestion_list")
    return suggestion_page(request, pk=pk, bound={name: form})


class SuggestionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    content = forms.CharField(label=gettext_lazy("建议内容"), widget=forms.Textarea(attrs={"rows": 6}))
    period = forms.ChoiceField(label=gettext_lazy("提出时间"), choices=Period.choices, initial=Period.IN_RECESS)
    category = forms.ModelChoiceField(label=gettext_lazy("类别"), required=False,
                                      queryset=OpinionCategory.objects.filter(is_active=True))
    cosigners = forms.ModelMultipleChoiceField(label=gettext_lazy("附议代表"), required=False,
                                               queryset=Deputy.objects.select_related("account")
                                               .order_by("account__name"))


@member_required
def suggestion_new(request, actor: Actor):
    if actor.deputy_id is None:
        raise PermissionDenied
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s = services.suggestion_submit(actor=actor, lead_deputy=Deputy.objects.get(pk=actor.deputy_id),
                                           **{k: (list(v) if k == "cosigners" else v)
                                              for k, v in form.cleaned_data.items()})
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("建议已提交。"))
            return redirect("frontend:suggestion_detail", pk=s.pk)
    return render(request, "frontend/casework/suggestion_form.html", {"form": form})
