"""Registers ("three books and a card", 002) as printable pages and PDF: the activity register of a
station for a period, and a deputy's contact card. The attendance register and the constituent-issue
form are added by the reception and casework apps (duties.selectors.registers.register_add)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from access.scope import Actor
from duties.selectors.records import deputies_in_duty_scope
from duties.selectors.registers import Register, activity_register, contact_card, register_pdf
from frontend.views.people.common import DATE, member_required
from organisation.selectors import venues_managed_by


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
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = dt.date(today.year, 1, 1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    register = activity_register(actor=actor, venue=venue, start=start, end=end)
    return _respond(request, register, f"activity-{venue.pk}-{start}-{end}",
                    {"form": PeriodForm(initial={"start": start, "end": end}), "query": f"start={start}&end={end}"})


@member_required
def contact_card_page(request, actor: Actor, deputy_id: int):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    register = contact_card(actor=actor, deputy_id=deputy_id, year=year)
    return _respond(request, register, f"contact-card-{deputy_id}", {"query": f"year={year}"})
