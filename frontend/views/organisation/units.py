"""Handling units (government departments, court, procuratorate): kept by the county administrator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page, xlsx_download
from organisation.models import HandlingUnit
from organisation.services.places import handling_unit_save
from people.actors import actor_of

from .forms import HandlingUnitForm

UNIT_HEADERS = ["名称", "类型", "联系人", "联系电话", "状态"]


def _admin_only(me: Actor) -> None:
    if not me.is_admin:
        raise PermissionDenied


@member_required
def unit_list(request, me: Actor):
    _admin_only(me)
    qs = HandlingUnit.objects.order_by("kind", "name")
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(contact_name__icontains=q))
    if (kind := request.GET.get("kind")) in HandlingUnit.Kind.values:
        qs = qs.filter(kind=kind)
    if request.GET.get("export") == "xlsx":
        rows = ([u.name, u.get_kind_display(), u.contact_name, u.contact_phone, _("有效") if u.is_active else _("停用")]
                for u in qs)
        return xlsx_download(UNIT_HEADERS, rows, filename="handling-units.xlsx", title=_("承办单位"))
    page, query = paginate(qs, request), query_without_page(request)
    return render(request, "frontend/organisation/unit_list.html",
                  {"page": page, "query": query, "kinds": HandlingUnit.Kind.choices})


def _save_unit(request, unit: HandlingUnit | None):
    me = actor_of(request)
    instance = HandlingUnit.objects.get(pk=unit.pk) if unit else HandlingUnit()
    form = HandlingUnitForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            unit = handling_unit_save(actor=me, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已保存：%(name)s") % {"name": unit.name})
            return redirect("frontend:org_unit_list")
    return render(request, "frontend/organisation/unit_form.html", {"form": form, "unit": unit})


@member_required
def unit_create(request, me: Actor):
    _admin_only(me)
    return _save_unit(request, None)


@member_required
def unit_edit(request, me: Actor, pk: int):
    _admin_only(me)
    return _save_unit(request, get_object_or_404(HandlingUnit, pk=pk))
