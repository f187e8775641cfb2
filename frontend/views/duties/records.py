"""履职登记 pages: my duties and the quick log form (phone first), the staff list with filters and
Excel export, a record's detail with photos, the deputy's confirmation or dispute, the author's edit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.scope import Actor
from casework.models import Channel
from casework.selectors import cases_visible_to
from casework.services.intake import opinion_receive
from duties.actions import DutyRecordAction, duty_record_actions, may_publish_activity
from duties.models import DutyKind, DutyPhoto, DutyRecord
from duties.selectors.compliance import voter_contacts
from duties.selectors.records import (
    deputies_in_duty_scope,
    duty_records_awaiting,
    duty_records_filtered,
    duty_records_visible_to,
    with_details,
)
from duties.services.records import (
    duty_photo_add,
    duty_record_confirm,
    duty_record_dispute,
    duty_record_log,
    duty_record_publish,
    duty_record_update,
)
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page, stored_file, xlsx_download
from frontend.views.people.common import DATE, PhotoField
from organisation.models import Venue
from organisation.selectors import venues_visible_to
from people.models import Deputy, PairingRule
from tenants.models import Account


class DeputyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, deputy: Deputy) -> str:
        return deputy.account.name


class DeputiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, deputy: Deputy) -> str:
        return deputy.account.name


class DutyForm(forms.Form):
    """Kind, date (today), title, content and an optional photo are all a deputy needs; the rest waits
    under 更多信息."""

    deputy = DeputyChoiceField(label=gettext_lazy("代表"), queryset=Deputy.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("履职类别"), choices=DutyKind.choices)
    occurred_on = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：走访东村困难户")}))
    content = forms.CharField(label=gettext_lazy("内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photo = PhotoField(label=gettext_lazy("照片（可选）"), required=False,
                       help_text=gettext_lazy("JPEG、PNG或WEBP格式，不超过5MB。"))
    venue = forms.ModelChoiceField(label=gettext_lazy("站点"), queryset=Venue.objects.none(), required=False)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)
    participants = DeputiesField(label=gettext_lazy("参加代表"), queryset=Deputy.objects.none(), required=False,
                                 widget=forms.SelectMultiple(attrs={"size": 4}))
    other_participants = forms.CharField(label=gettext_lazy("其他参加人员"), max_length=500, required=False)
    constituents_count = forms.IntegerField(label=gettext_lazy("接待（走访）群众人次"), min_value=0,
                                            max_value=100000, required=False,
                                            help_text=gettext_lazy("“联系选民”须填写联系的选民人数。"))

    MORE = ("venue", "place", "participants", "other_participants", "constituents_count")

    def __init__(self, *args, actor: Actor, record: DutyRecord | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues_visible_to(actor).exclude(status=Venue.Status.CLOSED)
        everyone = Deputy.objects.select_related("account").order_by("account__name")
        self.fields["participants"].queryset = everyone
        if record is not None or not actor.is_staff:  # a deputy logs their own; an edit keeps its deputy
            del self.fields["deputy"]
        else:
            reach = deputies_in_duty_scope(actor).prefetch_related(None).select_related("account")
            self.fields["deputy"].queryset = reach.order_by("account__name")
            if actor.deputy_id:
                self.fields["deputy"].initial = actor.deputy_id
        if record is not None:
            del self.fields["photo"]

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.MORE]

    def more_fields(self):
        return [self[name] for name in self.fields if name in self.MORE]


def _decorate(record: DutyRecord, actor: Actor) -> DutyRecord:
    record.actions = duty_record_actions(actor, record)
    return record


@member_required
def my_duties(request, actor: Actor):
    """A deputy's own records, the ones awaiting their confirmation first."""
    if not actor.deputy_id:
        raise Http404
    qs = duty_records_visible_to(actor).filter(deputy_id=actor.deputy_id).order_by("-occurred_on", "-pk")
    awaiting = list(duty_records_awaiting(actor).order_by("-occurred_on", "-pk"))
    page = paginate(qs, request)
    year = timezone.localdate().year
    voters = voter_contacts(year=year, deputy_ids=[actor.deputy_id]).get(actor.deputy_id, 0)
    return render(request, "frontend/duties/mine.html", {
        "page": page, "awaiting": awaiting, "query": query_without_page(request), "year": year,
        "voters": voters, "voters_required": PairingRule.current().voter_contacts_per_deputy})


class RecordFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("标题或代表"), required=False, max_length=50)
    kind = forms.ChoiceField(label=gettext_lazy("类别"), required=False)
    deputy = forms.TypedChoiceField(label=gettext_lazy("代表"), required=False, coerce=int, empty_value=None)
    venue = forms.TypedChoiceField(label=gettext_lazy("站点"), required=False, coerce=int, empty_value=None)
    month = forms.CharField(label=gettext_lazy("月份"), required=False,
                            widget=forms.DateInput(attrs={"type": "month"}))
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False)

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部类别")), *DutyKind.choices]
        self.fields["status"].choices = [("", _("全部状态")), *DutyRecord.Status.choices]
        deputies = deputies_in_duty_scope(actor).prefetch_related(None).order_by("account__name")
        self.fields["deputy"].choices = [("", _("全部代表")), *deputies.values_list("pk", "account__name")]
        self.fields["venue"].choices = [("", _("全部站点")), *venues_visible_to(actor).values_list("pk", "name")]

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        return duty_records_filtered(qs, kind=data["kind"], deputy=data["deputy"], venue=data["venue"],
                                     month=data["month"], status=data["status"], q=data["q"])


@member_required
def record_list(request, actor: Actor):
    """Staff read the records of the deputies they manage, filtered by kind, deputy, venue and month."""
    if not actor.is_staff:
        raise PermissionDenied
    form = RecordFilterForm(request.GET or None, actor=actor)
    qs = form.filter(duty_records_visible_to(actor)).order_by("-occurred_on", "-pk")
    if request.GET.get("export") == "xlsx":
        headers = [_("日期"), _("代表"), _("类别"), _("标题"), _("站点"), _("地点"), _("群众人次"), _("状态"),
                   _("内容")]
        rows = ([r.occurred_on, r.deputy.account.name, r.get_kind_display(), r.title,
                 r.venue.name if r.venue else "", r.place, r.constituents_count, r.get_status_display(), r.content]
                for r in qs.iterator(chunk_size=500))
        return xlsx_download(headers, rows, filename="duty-records.xlsx", title=_("履职登记"))
    return render(request, "frontend/duties/records.html", {
        "form": form, "page": paginate(qs, request), "query": query_without_page(request)})


def _record_for(actor: Actor, pk: int) -> DutyRecord:
    return _decorate(get_object_or_404(with_details(duty_records_visible_to(actor)), pk=pk), actor)


class PhotoForm(forms.Form):
    photo = PhotoField(label=gettext_lazy("添加照片"), help_text=gettext_lazy("JPEG、PNG或WEBP格式，不超过5MB。"))


class HeardForm(forms.Form):
    content = forms.CharField(label=gettext_lazy("群众反映的问题"), widget=forms.Textarea(attrs={"rows": 3}))
    constituent_mobile = forms.CharField(label=gettext_lazy("反映人手机（选填，用于反馈办理情况）"), required=False,
                                         max_length=11)
    consent = forms.BooleanField(label=gettext_lazy("反映人同意接收办理情况短信"), required=False)


class DisputeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("异议理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


@member_required
def record_detail(request, actor: Actor, pk: int):
    return _detail(request, actor, pk)


def _detail(request, actor: Actor, pk: int, photo_form: PhotoForm | None = None,
            dispute_form: DisputeForm | None = None, heard_form: HeardForm | None = None):
    record = _record_for(actor, pk)
    visible_cases = set(cases_visible_to(actor).filter(opinions__duty_record=record).values_list("pk", flat=True))
    transitions = list(record.transitions.all())
    names = dict(Account.objects.filter(pk__in={t.actor_id for t in transitions}).values_list("pk", "name"))
    for transition in transitions:  # who made each change
        transition.actor_name = names.get(transition.actor_id, "")
    return render(request, "frontend/duties/detail.html", {
        "record": record, "actions": record.actions, "transitions": transitions,
        "photo_form": photo_form or PhotoForm(), "dispute_form": dispute_form or DisputeForm(),
        "heard_form": heard_form or HeardForm(),
        "opinions": [(o, o.case_id in visible_cases) for o in record.opinions.order_by("pk")],
        "may_add_heard": actor.deputy_id == record.deputy_id or actor.is_staff,
        "may_publish": may_publish_activity(actor, record),
    }, status=400 if any(f is not None and f.errors for f in (photo_form, dispute_form, heard_form)) else 200)


@require_POST
@member_required
def record_heard_add(request, actor: Actor, pk: int):
    """An opinion heard during this duty (a visit, a reception, a forum): it opens a case in casework,
    linked to the duty record (the duty's "linked cases")."""
    record = _record_for(actor, pk)
    form = HeardForm(request.POST)
    if form.is_valid():
        channel = Channel.RECEPTION if record.kind == DutyKind.RECEPTION else Channel.VISIT
        try:
            opinion = opinion_receive(actor=actor, channel=channel, duty_record=record, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已登记群众意见，查询码 %(code)s。") % {"code": opinion.tracking_code})
            return redirect("frontend:duty_detail", pk=record.pk)
    return _detail(request, actor, pk, heard_form=form)


@member_required
def record_log(request, actor: Actor):
    if not actor.deputy_id and not actor.is_staff:
        raise PermissionDenied
    form = DutyForm(request.POST or None, request.FILES or None, actor=actor,
                    initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["photo"] = data.get("photo") or None
        deputy = data.pop("deputy", None)
        if deputy is None:
            deputy = Deputy.objects.get(pk=actor.deputy_id)
        data["participants"] = list(data.get("participants") or [])
        try:  # the record and its photo are one step: a refused photo logs nothing
            record = duty_record_log(actor=actor, deputy=deputy, **data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已登记：%(title)s") % {"title": record.title})
            return redirect("frontend:duty_mine" if deputy.pk == actor.deputy_id else "frontend:duty_records")
    return render(request, "frontend/duties/form.html", {"form": form, "editing": False},
                  status=400 if form.errors else 200)


@member_required
def record_edit(request, actor: Actor, pk: int):
    record = _record_for(actor, pk)
    if DutyRecordAction.EDIT not in record.actions:
        raise PermissionDenied
    initial = {name: getattr(record, name) for name in DutyForm.base_fields if hasattr(record, name)}
    initial["participants"] = [p.pk for p in record.participants.all()]
    form = DutyForm(request.POST or None, actor=actor, record=record, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["participants"] = list(data.get("participants") or [])
        try:
            duty_record_update(actor=actor, record=record, **data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已保存修改，等待代表确认。"))
            return redirect("frontend:duty_detail", pk=record.pk)
    return render(request, "frontend/duties/form.html", {"form": form, "editing": True, "record": record},
                  status=400 if form.errors else 200)


@member_required
@require_POST
def record_publish(request, actor: Actor, pk: int):
    """Show the activity on its station's public page, or take it off."""
    record = _record_for(actor, pk)
    try:
        duty_record_publish(actor=actor, record=record, published=request.POST.get("published") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已在站点页面公开该活动。") if record.published else _("已不再公开该活动。"))
    return redirect("frontend:duty_detail", pk=record.pk)


@member_required
@require_POST
def record_confirm(request, actor: Actor, pk: int):
    record = _record_for(actor, pk)
    try:
        duty_record_confirm(actor=actor, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已确认该履职登记。"))
    after = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(after, allowed_hosts={request.get_host()}):
        after = "frontend:duty_mine"  # never off this county's host
    return redirect(after)


@member_required
@require_POST
def record_dispute(request, actor: Actor, pk: int):
    record = _record_for(actor, pk)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            duty_record_dispute(actor=actor, record=record, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已提出异议，登记人将核实更正。"))
            return redirect("frontend:duty_detail", pk=pk)
    return _detail(request, actor, pk, dispute_form=form)


@member_required
@require_POST
def record_photo_add(request, actor: Actor, pk: int):
    record = _record_for(actor, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            duty_photo_add(actor=actor, record=record, upload=form.cleaned_data["photo"])
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已添加照片。"))
            return redirect("frontend:duty_detail", pk=pk)
    return _detail(request, actor, pk, photo_form=form)


@member_required
def record_photo(request, actor: Actor, pk: int, photo_pk: int):
    """A duty photo (or, with ?size=thumb, its thumbnail), served only to those who read the record."""
    photo = get_object_or_404(DutyPhoto, pk=photo_pk, record_id=pk,
                              record__in=duty_records_visible_to(actor).values("pk"))
    field = photo.thumbnail if request.GET.get("size") == "thumb" and photo.thumbnail else photo.image
    return stored_file(field)

