"""Registers ("three books and a card", 002) as printable pages, PDF and Excel: the activity register of a
station for a period, a deputy's contact card, and the station's attendance register (rows from the
reception context)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor
from casework.models import Case
from casework.selectors import case_detail, constituents_disclosed
from core.files import mask_mobile
from core.xlsx import xlsx_attachment
from duties.selectors.records import deputies_in_duty_scope
from duties.selectors.registers import Register, activity_register, contact_card, register_pdf, register_xlsx
from frontend.pages import member_required, year_asked
from frontend.views.people.common import DATE
from organisation.selectors import venues_managed_by
from reception.selectors import attendance_headers, attendance_register


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("起始日期"), widget=DATE, required=False)
    end = forms.DateField(label=gettext_lazy("截止日期"), widget=DATE, required=False)


def _respond(request, register: Register, filename: str, context: dict):
    """The page, or `?format=pdf` / `?format=xlsx`: the same Register, so what it masked stays masked."""
    if request.GET.get("format") == "pdf":
        response = HttpResponse(register_pdf(register), content_type="application/pdf")
        response["Content-Disposition"] = f"inline; filename={filename}.pdf"
        return response
    if request.GET.get("format") == "xlsx":
        return xlsx_attachment(register_xlsx(register), filename=f"{filename}.xlsx")
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
        headers=attendance_headers(), rows=[r.cells() for r in rows])
    return _respond(request, register, f"attendance-{venue.pk}-{start}-{end}",
                    {"form": form, "query": f"start={start}&end={end}"})


@member_required
def issue_form_page(request, actor: Actor, case_id: int):
    """选民反映问题处理单: one case from what was raised to the answer and the constituent's rating, for
    the file. The constituent's name and mobile only for those who may read them (casework's rule)."""
    try:
        case = case_detail(actor, case_id)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    opinions = list(case.opinions.all())
    exported = request.GET.get("format") in ("pdf", "xlsx")  # a file leaves the platform; the page is a view
    shown = constituents_disclosed(actor, opinions, action="constituent.export" if exported else "constituent.view")
    people = "、".join(filter(None, (_constituent(o, o.pk in shown) for o in opinions)))
    first = opinions[0] if opinions else None
    register = Register(
        title=_("选民反映问题处理单"),
        subtitle=_("编号 %(pk)d · 收到日期 %(on)s") % {"pk": case.pk, "on": case.received_on.isoformat()},
        facts=[
            (_("事由"), case.summary),
            (_("类别"), case.category.name if case.category else ""),
            (_("反映渠道"), first.get_channel_display() if first else ""),
            (_("所在村（社区）"), first.village.name if first and first.village else ""),
            (_("接待代表"), first.deputy.account.name if first and first.deputy else ""),
            (_("反映人"), people),
            (_("反映内容"), "；".join(o.content for o in opinions)),
            (_("管辖"), case.get_jurisdiction_display()),
            (_("办理状态"), case.get_status_display()),
            (_("反馈期限"), case.feedback_due_on.isoformat() if case.feedback_due_on else ""),
            (_("答复"), case.answer),
            (_("选民评价"), case.get_constituent_rating_display()),
        ],
        sections=[(_("办理经过"), [_("时间"), _("操作方"), _("状态"), _("说明")], [
            [timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M"), t.actor_label,
             t.get_to_status_display(), t.reason] for t in case.transitions.all()])],
    )
    return _respond(request, register, f"issue-form-{case.pk}", {"query": ""})


def _constituent(opinion, seen: bool) -> str:
    mobile = opinion.constituent_mobile if seen else mask_mobile(opinion.constituent_mobile)
    return " ".join(filter(None, [opinion.constituent_name if seen else "", mobile]))


@member_required
def contact_card_page(request, actor: Actor, deputy_id: int):
    year = year_asked(request)
    register = contact_card(actor=actor, deputy_id=deputy_id, year=year)
    return _respond(request, register, f"contact-card-{deputy_id}", {"query": f"year={year}"})
