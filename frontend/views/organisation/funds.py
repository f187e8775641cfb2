"""Construction funds per township and year, and source 004 篇一's build-progress report (page and .xlsx)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required, xlsx_download, year_asked
from organisation.models import ConstructionFunding, Township
from organisation.selectors import build_progress_for
from organisation.services.standards import funding_set

from .forms import FundingForm


def _staff_only(me: Actor) -> None:
    if not me.is_staff:
        raise PermissionDenied


@member_required
def build_progress_page(request, me: Actor):
    _staff_only(me)
    year = year_asked(request)
    report = build_progress_for(me, year)
    return render(request, "frontend/organisation/progress.html", {
        "year": year, "rows": report.rows, "totals": report.totals,
        "years": range(timezone.localdate().year + 1, 2017, -1),
        "can_edit_funds": me.is_admin or bool(me.township_ids), "managed": me.township_ids,
        "managed_all": me.is_admin,
    })


@member_required
def build_progress_export(request, me: Actor):
    _staff_only(me)
    year = year_asked(request)
    report = build_progress_for(me, year)
    return xlsx_download(report.headers, report.table(), filename=f"build-progress-{year}.xlsx", title=report.title)


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

