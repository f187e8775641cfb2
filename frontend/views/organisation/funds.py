"""Construction funds per township and year, and source 004 篇一's build-progress report (page and .xlsx)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required, xlsx_download
from organisation.models import ConstructionFunding, Township
from organisation.selectors import ProgressRow, build_progress
from organisation.services.standards import funding_set

from .common import progress_township_ids
from .forms import FundingForm

PROGRESS_HEADERS = ["乡镇（街道）", "代表之家（中心联络站）", "村级联络站（规划）", "村级联络站（已建成）",
                    "预算（万元）", "财政已拨付（万元）", "未拨付（万元）", "已使用（万元）", "使用率（%）"]


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return dt.date.today().year
    return year if 2000 <= year <= 2100 else dt.date.today().year


def _staff_only(me: Actor) -> None:
    if not me.is_staff:
        raise PermissionDenied


def progress_for(me: Actor, year: int) -> tuple[list[ProgressRow], ProgressRow]:
    """The build-progress rows the actor may read, and their totals."""
    scope = progress_township_ids(me)
    rows = [row for row in build_progress(year) if scope is None or row.township.pk in scope]
    totals = ProgressRow(
        township=None, central_status="", village_planned=sum(r.village_planned for r in rows),
        village_open=sum(r.village_open for r in rows), budget=sum((r.budget for r in rows), Decimal(0)),
        disbursed=sum((r.disbursed for r in rows), Decimal(0)), spent=sum((r.spent for r in rows), Decimal(0)),
    )
    return rows, totals


@member_required
def build_progress_page(request, me: Actor):
    _staff_only(me)
    year = _year(request)
    rows, totals = progress_for(me, year)
    return render(request, "frontend/organisation/progress.html", {
        "year": year, "rows": rows, "totals": totals, "years": range(dt.date.today().year + 1, 2017, -1),
        "can_edit_funds": me.is_admin or bool(me.township_ids), "managed": me.township_ids,
        "managed_all": me.is_admin,
    })


@member_required
def build_progress_export(request, me: Actor):
    _staff_only(me)
    year = _year(request)
    rows, totals = progress_for(me, year)
    body = [[r.township.name, r.central_status, r.village_planned, r.village_open, r.budget, r.disbursed,
             r.undisbursed, r.spent, r.spent_percent] for r in rows]
    body.append([_("合计"), "", totals.village_planned, totals.village_open, totals.budget, totals.disbursed,
                 totals.undisbursed, totals.spent, totals.spent_percent])
    return xlsx_download(PROGRESS_HEADERS, body, filename=f"build-progress-{year}.xlsx",
                         title=_("%(year)d年建设进度") % {"year": year})


@member_required
def funding_edit(request, me: Actor, township_pk: int, year: int):
    _staff_only(me)
    township = get_object_or_404(Township.objects.current(), pk=township_pk)
    if not me.can_manage_township(township.pk):
        raise PermissionDenied
    if not 2000 <= year <= 2100:
        raise Http404
    current = ConstructionFunding.objects.filter(township=township, year=year).first()
    initial = ({"budget": current.budget, "disbursed": current.disbursed, "spent": current.spent, "note": current.note}
               if current else {"budget": 0, "disbursed": 0, "spent": 0})
    form = FundingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            funding_set(actor=me, township=township, year=year, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已保存%(township)s %(year)d年建设经费。") % {"township": township.name,
                                                                                  "year": year})
            return redirect(f"{reverse('frontend:org_progress')}?year={year}")
    return render(request, "frontend/organisation/funding_form.html",
                  {"form": form, "township": township, "year": year})

