"""The deputy list and its export, a deputy's card, record and photo, and the staff's deputy forms."""

from __future__ import annotations

import mimetypes

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page, xlsx_download
from people.actors import actor_of
from people.models import Deputy, Pairing
from people.selectors import (
    deputies_visible_to,
    deputy_records_disclosed,
    with_managed_flag,
    with_region_levels,
)
from people.services.deputies import deputy_create, deputy_update, may_add_mandates
from tenants.models.validators import mobile_validator

from .common import DATE, DeputyFilterForm, PhotoField, _changed, _deputy_for, decorate
from .directory import public_directory


@member_required
def deputy_list_page(request, actor: Actor):
    form = DeputyFilterForm(request.GET or None, actor=actor)
    qs = form.filter(with_managed_flag(with_region_levels(deputies_visible_to(actor)), actor), actor)
    if request.GET.get("export") == "xlsx":
        return _export_deputies(qs, actor)
    page = paginate(qs, request)
    for deputy in page.rows:
        decorate(deputy)
    return render(request, "frontend/people/deputy_list.html", {
        "form": form, "page": page, "query": query_without_page(request), "actor": actor,
    })


def _export_deputies(qs: QuerySet[Deputy], actor: Actor) -> HttpResponse:
    """Every filtered row; the mobile number, ID number and birth date only of the deputies the actor
    manages, and their columns only for staff (who manage some deputies)."""
    headers = [_("姓名"), _("性别"), _("层级"), _("工作单位及职务"), _("驻站站点"), _("公开联系电话")]
    personal = actor.is_staff
    if personal:
        headers += [_("手机号码"), _("身份证号码"), _("出生日期")]

    deputies = list(qs)
    if personal:
        deputy_records_disclosed(actor, deputies, action="deputy.export")

    def rows():
        for deputy in deputies:
            decorate(deputy)
            row = [deputy.account.name, deputy.get_gender_display(), "、".join(label for _v, label in deputy.levels),
                   deputy.employer, "、".join(v.name for v in deputy.stations), deputy.public_phone]
            if personal:
                if deputy.is_managed:
                    row += [deputy.account.mobile, deputy.id_number, deputy.birth_date]
                else:
                    row += [deputy.masked_mobile, "", None]
            yield row

    return xlsx_download(headers, rows(), filename="deputies.xlsx", title=_("代表名册"))


@member_required
def deputy_detail(request, actor: Actor, pk: int):
    deputy = _deputy_for(actor, pk)
    deputy_records_disclosed(actor, [deputy])
    context = {"deputy": deputy, "actor": actor, "full": deputy.is_managed,
               "own": actor.deputy_id == deputy.pk,
               "staff_edit": actor.is_staff and deputy.is_managed,
               "can_add_mandate": may_add_mandates(actor, deputy),
               "groups": list(deputy.group_memberships.select_related("group__venue").order_by("group__name"))}
    if deputy.is_managed:
        stationings = list(deputy.stationings.select_related("venue").order_by("ended_on", "-started_on"))
        for stationing in stationings:
            stationing.can_end = stationing.ended_on is None and actor.can_manage_venue(
                stationing.venue_id, stationing.venue.township_id)
        context.update(
            stationings=stationings,
            can_station=actor.is_staff,
            pairings=list(Pairing.objects.filter(Q(county_deputy=deputy) | Q(township_deputy=deputy),
                                                 ended_on__isnull=True)
                          .select_related("county_deputy__account", "township_deputy__account")),
        )
    return render(request, "frontend/people/deputy_detail.html", context)


def deputy_photo(request, pk: int):
    """A deputy's photo: part of the public card, so served to anyone on the county's host (for the
    deputies of the public directory; members see every deputy's, as they see every card)."""
    if request.tenant.is_public:
        raise Http404
    actor = actor_of(request)
    deputy = get_object_or_404(deputies_visible_to(actor) if actor.is_member else public_directory(), pk=pk)
    if not deputy.photo:
        raise Http404
    content_type = mimetypes.guess_type(deputy.photo.name)[0] or "application/octet-stream"
    try:
        handle = deputy.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    return response


class DeputyForm(forms.Form):
    mobile = forms.CharField(label=gettext_lazy("手机号码"), max_length=11, validators=[mobile_validator],
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    gender = forms.ChoiceField(label=gettext_lazy("性别"), required=False,
                               choices=[("", "—"), *Deputy.Gender.choices])
    ethnicity = forms.CharField(label=gettext_lazy("民族"), max_length=20, required=False)
    birth_date = forms.DateField(label=gettext_lazy("出生日期"), required=False, widget=DATE)
    id_number = forms.CharField(label=gettext_lazy("身份证号码"), max_length=18, required=False)
    employer = forms.CharField(label=gettext_lazy("工作单位及职务"), max_length=200, required=False)
    public_phone = forms.CharField(label=gettext_lazy("公开联系电话"), max_length=30, required=False)
    bio = forms.CharField(label=gettext_lazy("简介"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photo = PhotoField(label=gettext_lazy("照片"), required=False,
                       help_text=gettext_lazy("JPEG、PNG或WEBP格式，不超过5MB。"))

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper()


class DeputyEditForm(DeputyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["mobile"]


@member_required
def deputy_create_page(request, actor: Actor):
    if not actor.is_staff:
        raise PermissionDenied
    form = DeputyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("mobile", "name")}
        if not fields.get("photo"):
            fields.pop("photo")
        try:
            deputy = deputy_create(actor=actor, mobile=form.cleaned_data["mobile"], name=form.cleaned_data["name"],
                                   **fields)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已新增代表%(name)s。") % {"name": deputy.account.name})
            return redirect("frontend:deputy_detail", pk=deputy.pk)
    return render(request, "frontend/people/deputy_form.html",
                  {"form": form, "title": _("新增代表")}, status=400 if form.errors else 200)


@member_required
def deputy_edit_page(request, actor: Actor, pk: int):
    deputy = _deputy_for(actor, pk)
    if not (actor.is_staff and deputy.is_managed):
        raise PermissionDenied
    initial = {"name": deputy.account.name, **{f: getattr(deputy, f) for f in (
        "gender", "ethnicity", "birth_date", "id_number", "employer", "public_phone", "bio", "photo")}}
    form = DeputyEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = _changed(form)
        name = fields.pop("name", None)
        try:
            deputy_update(actor=actor, deputy=deputy, name=name, **fields)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("frontend:deputy_detail", pk=deputy.pk)
    return render(request, "frontend/people/deputy_form.html",
                  {"form": form, "deputy": deputy, "title": _("编辑代表资料")}, status=400 if form.errors else 200)
