"""接待日: the staff's list and the session page (rota, attendance, record, move, cancel)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.scope import Actor
from frontend.month import month_grid, month_of
from frontend.pages import member_required, paginate, query_without_page, xlsx_download
from organisation.selectors import venues_managed_by
from people.models import Deputy
from reception.models import ReceptionSession
from reception.selectors import attendance_headers, attendance_rows, my_sessions, sessions_visible_to, with_counts
from reception.services.common import may_manage_venue
from reception.services.records import IssueInput, reception_record_save
from reception.services.rota import composition, rota_proposal, rota_set, stationed_on
from reception.services.schedule import session_cancel, session_move
from reception.services.signin import attendance_mark, sign_out

from .forms import AttendanceForm, CancelForm, MoveForm, RecordForm, RotaForm
from .public import WEEKDAYS

SESSION_HEADERS = [gettext_lazy("日期"), gettext_lazy("站点"), gettext_lazy("状态"), gettext_lazy("值班代表"),
                   gettext_lazy("已签到"), gettext_lazy("已调整"), gettext_lazy("暂定")]


@member_required
def session_list(request, actor: Actor):
    if not actor.is_staff:
        return redirect("frontend:my_reception")
    qs = sessions_visible_to(actor)
    venue, month = request.GET.get("venue", ""), request.GET.get("month", "")
    if venue.isdigit():
        qs = qs.filter(venue_id=venue)
    try:
        first = dt.datetime.strptime(month, "%Y-%m").date()
        qs = qs.filter(date__gte=first, date__lt=(first.replace(day=28) + dt.timedelta(days=4)).replace(day=1))
    except ValueError:
        qs = qs.filter(date__gte=timezone.localdate())
    if request.GET.get("export") == "xlsx":  # the list's rows, every page of them (counts, no one's details)
        rows = ([s.date.isoformat(), s.venue.name, s.get_status_display(), s.rota_count, s.present_count,
                 _("是") if s.date != s.planned_on else "", _("是") if s.provisional else ""]
                for s in with_counts(qs))
        return xlsx_download([str(h) for h in SESSION_HEADERS], rows, filename="reception-days.xlsx",
                             title=_("接待日"))
    if request.GET.get("export") == "attendance":  # the same days' attendance register: names, no mobiles
        rows = (r.cells(with_venue=True) for r in attendance_rows(qs))
        return xlsx_download(attendance_headers(with_venue=True), rows, filename="reception-attendance.xlsx",
                             title=_("代表出勤"))
    first = month_of(month)
    in_month = sessions_visible_to(actor).filter(date__gte=first, date__lt=month_grid(first, []).end)
    if venue.isdigit():
        in_month = in_month.filter(venue_id=venue)
    return render(request, "frontend/reception/session_list.html", {
        "page": paginate(with_counts(qs), request), "query": query_without_page(request),
        "venues": venues_managed_by(actor).order_by("name"), "venue": venue, "month": month,
        "calendar": month_grid(first, in_month.select_related("venue")[:500]), "weekdays": WEEKDAYS,
        "month_query": f"venue={venue}&" if venue.isdigit() else ""})


def _session(actor: Actor, pk: int) -> ReceptionSession:
    return get_object_or_404(sessions_visible_to(actor).prefetch_related(
        "rota__deputy__account", "attendances__deputy__account", "record__issues__opinion"), pk=pk)


@member_required
def session_detail(request, actor: Actor, pk: int):
    session = _session(actor, pk)
    manage = may_manage_venue(actor, session.venue)
    rota = list(session.rota.all())
    context = {"session": session, "manage": manage, "rota": rota, "attendances": list(session.attendances.all()),
               "record": getattr(session, "record", None), "ended": session.ends_at < timezone.now(),
               "composition": composition(session, [e.deputy for e in rota]) if manage else None,
               "mine": actor.deputy_id and any(a.deputy_id == actor.deputy_id for a in session.attendances.all())}
    if manage:
        pool = list(stationed_on(session.venue_id, session.date).select_related("account").order_by("account__name"))
        choices = [(d.pk, d.account.name) for d in pool]
        proposed = [d.pk for d in rota_proposal(session)] if request.GET.get("propose") else None
        context.update(
            rota_form=_rota_form(choices, initial=proposed or [e.deputy_id for e in rota]), proposed=proposed,
            attendance_form=_attendance_form(choices, session),
            record_form=RecordForm(initial=_record_initial(session)),
            move_form=MoveForm(), cancel_form=CancelForm())
    return render(request, "frontend/reception/session_detail.html", context)


def _rota_form(choices, data=None, initial=None) -> RotaForm:
    form = RotaForm(data, initial={"deputies": initial or []})
    form.fields["deputies"].choices = choices
    return form


def _attendance_form(choices, session, data=None) -> AttendanceForm:
    start = timezone.localtime(session.starts_at)
    form = AttendanceForm(data, initial={"arrived_at": start.strftime("%Y-%m-%dT%H:%M")})
    form.fields["deputy"].choices = choices
    return form


def _record_initial(session) -> dict:
    record = getattr(session, "record", None)
    if record is None:
        return {}
    return {"visitors_count": record.visitors_count, "summary": record.summary,
            "visitor_names": record.visitor_names, "names_consented": record.names_consented}


def _act(request, session, form, action, done: str):
    """Run a service from a posted form; its Chinese error comes back as a message, nothing saved."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("frontend:reception_session", pk=session.pk)
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("frontend:reception_session", pk=session.pk)
    messages.success(request, done)
    return redirect("frontend:reception_session", pk=session.pk)


@require_POST
@member_required
def session_rota(request, actor: Actor, pk: int):
    session = _session(actor, pk)
    pool = stationed_on(session.venue_id, session.date)
    form = _rota_form([(d.pk, "") for d in pool] + [(int(v), "") for v in request.POST.getlist("deputies")
                                                   if v.isdigit()], request.POST)

    def run(data):
        deputies = list(Deputy.objects.filter(pk__in=data["deputies"]).select_related("account"))
        rota_set(actor=actor, session=session, deputies=deputies)  # shortfalls show on the session page

    return _act(request, session, form, run, _("已保存值班安排，新排入的代表将收到短信通知。"))


@require_POST
@member_required
def session_attendance(request, actor: Actor, pk: int):
    session = _session(actor, pk)
    form = _attendance_form([(int(request.POST.get("deputy", 0) or 0), "")], session, request.POST)

    def run(data):
        deputy = get_object_or_404(Deputy.objects.select_related("account"), pk=data["deputy"])
        attendance_mark(actor=actor, session=session, deputy=deputy, arrived_at=data["arrived_at"],
                        left_at=data["left_at"])

    return _act(request, session, form, run, _("已登记出勤。"))


@require_POST
@member_required
def session_record(request, actor: Actor, pk: int):
    session = _session(actor, pk)

    def run(data):
        issues = [IssueInput(content=line.strip()) for line in data["issues"].splitlines() if line.strip()]
        reception_record_save(actor=actor, session=session, visitors_count=data["visitors_count"],
                              summary=data["summary"], visitor_names=data["visitor_names"],
                              names_consented=data["names_consented"], issues=issues)

    return _act(request, session, RecordForm(request.POST), run, _("已保存接待记录。"))


@require_POST
@member_required
def session_move_page(request, actor: Actor, pk: int):
    session = _session(actor, pk)
    return _act(request, session, MoveForm(request.POST),
                lambda d: session_move(actor=actor, session=session, date=d["date"], reason=d["reason"]),
                _("已调整接待日，值班代表将收到更正短信。"))


@require_POST
@member_required
def session_cancel_page(request, actor: Actor, pk: int):
    session = _session(actor, pk)
    return _act(request, session, CancelForm(request.POST),
                lambda d: session_cancel(actor=actor, session=session, reason=d["reason"]),
                _("已取消接待日，值班代表将收到通知。"))


@require_POST
@member_required
def session_sign_out(request, actor: Actor, pk: int):
    session = _session(actor, pk)
    try:
        attendance = sign_out(actor=actor, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        at = timezone.localtime(attendance.signed_out_at).strftime("%H:%M")
        messages.success(request, _("已签退（%(t)s）。") % {"t": at}
                         + (_("早于结束时间，记为早退。") if attendance.left_early else ""))
    return redirect("frontend:my_reception")


@member_required
def my_reception(request, actor: Actor):
    """The deputy's phone page: the sessions they are on the rota for, from today."""
    return render(request, "frontend/reception/mine.html", {
        "sessions": list(my_sessions(actor)), "is_deputy": actor.deputy_id is not None})
