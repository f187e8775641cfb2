"""Registers ("three books and a card", 002) as printable pages and PDF: the activity register of a
station for a period, a deputy's contact card, and the station's attendance register (rows from the
reception context)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor
from duties.selectors.records import deputies_in_duty_scope
from duties.selectors.registers import Register, activity_register, contact_card, register_pdf
from frontend.views.people.common import DATE, member_required
from organisation.selectors import venues_managed_by
from reception.selectors import attendance_register


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("起始日期"), widget=DATE, required=False)
    end = forms.DateField(label=gettext_lazy("截止日期"), widget=DATE, required=False)


def _respond(request, register: Register, filename: str, context: dict):
    if request.GET.get("format") == "pdf":
        response = HttpResponse(register_pdf(register), content_type="application/pdf")
        response["Content-Disposition"] = f"inline; filename={filename}.pdf"
        return response
    return render(request, "frontend/duties/register.html", {"register": register, **context})


@member_required
def registers_index(request, actor: Actor):
    venues = venues_managed_by(actor).order_by("name") if actor.is_staff else []
    deputies = deputies_in_duty_scope(actor).prefetch_related(None).order_by("account__name").values_list(
        "pk", "account__name")
    return render(request, "frontend/duties/registers.html", {"venues": venues, "deputies": deputies,
                                                              "year": timezone.localdate().year})


@member_required
def activity_register_page(request, actor: Actor, venue_id: int):
    venue = get_object_or_404(venues_managed_by(actor), pk=venue_id)  # the station's own staff keep its books
    start, end, form = _period(request)
    register = activity_register(actor=actor, venue=venue, start=start, end=end)
    return _respond(request, register, f"activity-{venue.pk}-{start}-{end}",
                    {"form": form, "query": f"start={start}&end={end}"})


def _period(request) -> tuple[dt.date, dt.date, PeriodForm]:
    """?start=&end= (this year so far by default), and the form that shows them."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = dt.date(today.year, 1, 1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return start, end, PeriodForm(initial={"start": start, "end": end})


@member_required
def attendance_register_page(request, actor: Actor, venue_id: int):
    """代表出勤登记簿: every rostered deputy of every reception day at the station in the period."""
    venue = get_object_or_404(venues_managed_by(actor), pk=venue_id)
    start, end, form = _period(request)
    rows = attendance_register(venue_id=venue.pk, start=start, end=end)
    register = Register(
        title=_("%(venue)s 代表出勤登记簿") % {"venue": venue.name},
        subtitle=_("%(start)s 至 %(end)s") % {"start": start.isoformat(), "end": end.isoformat()},
        headers=[_("日期"), _("代表"), _("出勤"), _("签到"), _("签退"), _("方式")],
        rows=[[r.date.isoformat(), r.deputy, r.status, _clock(r.signed_in), _clock(r.signed_out), r.method]
              for r in rows])
    return _respond(request, register, f"attendance-{venue.pk}-{start}-{end}",
                    {"form": form, "query": f"start={start}&end={end}"})


def _clock(value) -> str:
    return timezone.localtime(value).strftime("%H:%M") if value else ""


@member_required
def contact_card_page(request, actor: Actor, deputy_id: int):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    register = contact_card(actor=actor, deputy_id=deputy_id, year=year)
    return _respond(request, register, f"contact-card-{deputy_id}", {"query": f"year={year}"})
