"""Staff and deputies' case pages: the list (filters, pages, .xlsx), a case with its timeline and the
forms that route, answer, merge and close it, and recording an opinion."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.scope import Actor
from casework import services
from casework.actions import case_actions, may_publish, publishable_now
from casework.models import Case, CaseStatus, Channel, Jurisdiction, Opinion, OpinionAttachment, OpinionCategory
from casework.publication import is_published
from casework.selectors import (
    case_detail,
    case_list_page,
    cases_filtered,
    cases_handled_by,
    cases_visible_to,
    constituents_disclosed,
    escalation_of,
    reads_cases,
    with_escalation_status,
)
from core.files import mask_mobile
from frontend.forms import errors_onto
from frontend.pages import PAGE_SIZE, Page, member_required, query_without_page, xlsx_download
from organisation.models import Township, Village
from people.models import Deputy
from tenants.models import Escalation
from workdays.selectors import is_provisional


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("事由"), required=False, max_length=50)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False)
    category = forms.TypedChoiceField(label=gettext_lazy("类别"), required=False, coerce=int, empty_value=None)
    township = forms.TypedChoiceField(label=gettext_lazy("乡镇"), required=False, coerce=int, empty_value=None)
    # A village's cases include those about the villages merged into it or renamed to it (撤并村).
    village = forms.TypedChoiceField(label=gettext_lazy("村（社区）"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=gettext_lazy("只看反馈逾期"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), ("open", _("未办结")), *CaseStatus.choices]
        self.fields["category"].choices = [("", _("全部类别")), *OpinionCategory.objects.values_list("pk", "name")]
        self.fields["township"].choices = [("", _("全部乡镇")), *Township.objects.current().values_list("pk", "name")]
        villages = Village.objects.current().select_related("township").order_by(
            "township__division_code", "township__name", "division_code", "name")
        self.fields["village"].choices = [("", _("全部村（社区）")),
                                          *((v.pk, f"{v.township.name} · {v.name}") for v in villages)]


@member_required
def case_list(request, actor: Actor):
    if not reads_cases(actor):
        raise PermissionDenied
    form = CaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = cases_filtered(cases_visible_to(actor), status=data.get("status") or "", category=data.get("category"),
                        township=data.get("township"), village=data.get("village"), q=data.get("q") or "",
                        overdue_on=timezone.localdate() if data.get("overdue") else None)
    if request.GET.get("export") == "xlsx":
        return _export(actor, qs)
    page = _page(with_escalation_status(qs), request)
    labels = {value: str(label) for value, label in CaseStatus.choices}  # get_status_display casts every label
    upstairs = {value: str(label) for value, label in Escalation.Status.choices}
    for case in page.rows:
        case.status_label = labels[case.status]
        case.upstairs = upstairs.get(case.escalation_status, "")
    return render(request, "frontend/casework/case_list.html", {
        "form": form, "page": page, "query": query_without_page(request), "actor": actor,
        "today": timezone.localdate()})


def _export(actor: Actor, cases):
    """One row per opinion; the constituent's columns only for the rows the actor may see them on."""
    headers = [_("案件编号"), _("事由"), _("类别"), _("乡镇"), _("状态"), _("收到日期"), _("渠道"), _("反映人"),
               _("手机号码")]
    opinions = (Opinion.objects.filter(case__in=cases.values("pk"))
                .select_related("case__category", "case__township").order_by("-case__received_on", "case_id", "pk"))

    opinions = list(opinions)
    shown = constituents_disclosed(actor, opinions, action="constituent.export")

    def rows():
        for o in opinions:
            sees = o.pk in shown
            yield [o.case_id, o.content, o.case.category.name if o.case.category else "",
                   o.case.township.name if o.case.township else "", o.case.get_status_display(), o.received_on,
                   o.get_channel_display(), o.constituent_name if sees else "", o.constituent_mobile if sees else ""]
    return xlsx_download(headers, rows(), filename="cases.xlsx", title=_("案件"))


def _page(qs, request) -> Page:
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    rows, total = case_list_page(qs, start=(number - 1) * PAGE_SIZE, size=PAGE_SIZE)
    return Page(rows=rows, number=number, total=total)


class RouteForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=gettext_lazy("管辖范围"), choices=Jurisdiction.choices)
    reason = forms.CharField(label=gettext_lazy("说明（政策解释办结时必填）"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    lead_deputy = forms.ModelChoiceField(label=gettext_lazy("领衔代表（形成代表建议时）"), required=False,
                                         queryset=Deputy.objects.select_related("account").order_by("account__name"))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("答复内容"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("办结说明"), widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    published = forms.ChoiceField(label=gettext_lazy("在网上联络站公开答复"), required=False, choices=[
        ("", gettext_lazy("按类别设置")), ("yes", gettext_lazy("公开（隐去反映人信息）")),
        ("no", gettext_lazy("不公开"))])


class MergeForm(forms.Form):
    others = forms.CharField(label=gettext_lazy("并入的案件编号（逗号分隔）"), max_length=200)


def _case_or_404(actor: Actor, pk: int) -> Case:
    try:
        return case_detail(actor, pk)
    except Case.DoesNotExist:
        raise Http404 from None


@member_required
def case_page(request, actor: Actor, pk: int, forms_: dict | None = None):
    case = _case_or_404(actor, pk)
    opinions = list(case.opinions.all())
    shown = constituents_disclosed(actor, opinions)
    for o in opinions:
        sees = o.pk in shown
        o.shown_name = o.constituent_name if sees else ""
        o.shown_mobile = o.constituent_mobile if sees else mask_mobile(o.constituent_mobile)
    forms_ = forms_ or {}
    context = {
        "case": case, "opinions": opinions, "actions": case_actions(actor, case), "actor": actor,
        "escalation": escalation_of(case), "suggestion": getattr(case, "suggestion", None),
        "route_form": forms_.get("route") or RouteForm(initial={"lead_deputy": case.deputy_id}),
        "answer_form": forms_.get("answer") or AnswerForm(), "close_form": forms_.get("close") or CloseForm(),
        "merge_form": forms_.get("merge") or MergeForm(),
        "publish_form": forms_.get("publish") or PublishForm(initial={"published": _choice(case.published)}),
        "may_publish": may_publish(actor) and publishable_now(case), "is_published": is_published(case),
        "due_provisional": is_provisional(case.feedback_due_on),
    }
    return render(request, "frontend/casework/case_detail.html", context)


def _act(request, actor: Actor, pk: int, name: str, form_class, run):
    case = _case_or_404(actor, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(case, form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("frontend:case_detail", pk=case.pk)
    return case_page(request, pk=pk, forms_={name: form})


@require_POST
@member_required
def case_route_page(request, actor: Actor, pk: int):
    return _act(request, actor, pk, "route", RouteForm, lambda case, d: services.case_route(
        actor=actor, case=case, jurisdiction=d["jurisdiction"], reason=d["reason"], lead_deputy=d["lead_deputy"]))


@require_POST
@member_required
def case_answer_page(request, actor: Actor, pk: int):
    return _act(request, actor, pk, "answer", AnswerForm,
                lambda case, d: services.case_answer(actor=actor, case=case, answer=d["answer"]))


@require_POST
@member_required
def case_close_page(request, actor: Actor, pk: int):
    return _act(request, actor, pk, "close", CloseForm,
                lambda case, d: services.case_close(actor=actor, case=case, reason=d["reason"]))


def _merge(actor: Actor, case: Case, data: dict) -> None:
    ids = {int(x) for x in data["others"].replace("，", ",").split(",") if x.strip().isdigit()}
    others = list(cases_handled_by(actor).filter(pk__in=ids))
    if not ids or len(others) != len(ids):
        raise ValidationError({"others": _("请填写您可以办理的其他案件编号。")})
    services.case_merge(actor=actor, case=case, others=others)


@require_POST
@member_required
def case_merge_page(request, actor: Actor, pk: int):
    return _act(request, actor, pk, "merge", MergeForm, lambda case, d: _merge(actor, case, d))


def _choice(published: bool | None) -> str:
    return "" if published is None else ("yes" if published else "no")


@require_POST
@member_required
def case_publish_page(request, actor: Actor, pk: int):
    return _act(request, actor, pk, "publish", PublishForm, lambda case, d: services.case_publish(
        actor=actor, case=case, published={"": None, "yes": True, "no": False}[d["published"]]))


class OpinionForm(forms.Form):
    content = forms.CharField(label=gettext_lazy("反映内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    channel = forms.ChoiceField(label=gettext_lazy("渠道"), choices=[c for c in Channel.choices if c[0] != "online"])
    category = forms.ModelChoiceField(label=gettext_lazy("类别"), required=False,
                                      queryset=OpinionCategory.objects.filter(is_active=True))
    village = forms.ModelChoiceField(label=gettext_lazy("村（社区）"), required=False,
                                     queryset=Village.objects.current().select_related("township"))
    constituent_name = forms.CharField(label=gettext_lazy("反映人"), required=False, max_length=50)
    constituent_mobile = forms.CharField(label=gettext_lazy("反映人手机"), required=False, max_length=11)
    consent = forms.BooleanField(label=gettext_lazy("反映人同意接收办理情况短信"), required=False)
    attachment = forms.FileField(label=gettext_lazy("附件（图片或PDF，10MB以内）"), required=False)


@member_required
def opinion_new(request, actor: Actor):
    if not services.intake.may_receive(actor):
        raise PermissionDenied
    form = OpinionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["attachment"] = data.get("attachment") or None
        try:  # the opinion and its attachment are one step: a refused attachment records nothing
            opinion = services.opinion_receive(actor=actor, **data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已登记，查询码 %(code)s。") % {"code": opinion.tracking_code})
            if cases_visible_to(actor).filter(pk=opinion.case_id).exists():
                return redirect("frontend:case_detail", pk=opinion.case_id)
            return redirect("frontend:opinion_new")  # an opinion observer hands in the next one
    return render(request, "frontend/casework/opinion_form.html", {"form": form})


class OpinionBoxForm(forms.Form):
    received_on = forms.DateField(label=gettext_lazy("开箱日期"), widget=forms.DateInput(attrs={"type": "date"}))
    village = forms.ModelChoiceField(label=gettext_lazy("意见箱所在村（社区）"), required=False,
                                     queryset=Village.objects.current().select_related("township"))
    category = forms.ModelChoiceField(label=gettext_lazy("类别（可不选，分办时再定）"), required=False,
                                      queryset=OpinionCategory.objects.filter(is_active=True))
    contents = forms.CharField(label=gettext_lazy("意见（每条一行）"), widget=forms.Textarea(attrs={"rows": 10}))


@member_required
def opinion_box(request, actor: Actor):
    """意见箱登记: an opinion observer hands in a box's slips in one go; all are saved or none."""
    if not services.intake.may_receive(actor):
        raise PermissionDenied
    form = OpinionBoxForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinions = services.opinions_receive_batch(
                actor=actor, contents=data["contents"].splitlines(), received_on=data["received_on"],
                village=data["village"], category=data["category"])
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已登记 %(n)d 条意见，查询码 %(first)s 至 %(last)s。") % {
                "n": len(opinions), "first": opinions[0].tracking_code, "last": opinions[-1].tracking_code})
            return redirect("frontend:opinion_box")
    return render(request, "frontend/casework/opinion_form.html", {"form": form, "box": True})


@member_required
def case_attachment(request, actor: Actor, pk: int, attachment_pk: int):
    """An opinion's attachment, served only to those who read the case (no public /media/ on purpose)."""
    attachment = get_object_or_404(OpinionAttachment, pk=attachment_pk, opinion__case_id=pk,
                                   opinion__case__in=cases_visible_to(actor).values("pk"))
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "application/pdf" if attachment.kind == "pdf" else f"image/{attachment.kind}"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
