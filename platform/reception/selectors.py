"""Reads of the reception context, scoped by the actor (see access.scope)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor
from organisation.models import Venue
from reception.models import AbsenceStep, Attendance, AttendanceNotice, AttendanceNoticeJob, ReceptionSession, RotaEntry


def sessions_visible_to(actor: Actor) -> QuerySet[ReceptionSession]:
    """Staff read their stations' sessions; a deputy those of the stations they are stationed at or
    rostered for; other roles none."""
    qs = ReceptionSession.objects.select_related("venue", "venue__township").order_by("date", "venue__name", "pk")
    if actor.is_admin:
        return qs
    scope = Q(pk__in=[])
    if actor.township_ids:
        scope |= Q(venue__township_id__in=actor.township_ids)
    if actor.venue_ids:
        scope |= Q(venue_id__in=actor.venue_ids)
    if actor.deputy_id:
        scope |= Q(venue__stationings__deputy_id=actor.deputy_id, venue__stationings__ended_on__isnull=True)
        scope |= Q(pk__in=RotaEntry.objects.filter(deputy_id=actor.deputy_id).values("session_id"))
    if scope == Q(pk__in=[]):
        return qs.none()
    return qs.filter(pk__in=ReceptionSession.objects.filter(scope).values("pk"))


def with_counts(qs: QuerySet[ReceptionSession]) -> QuerySet[ReceptionSession]:
    """Rota size, signed-in count and visitors on each row, in the same query."""
    return qs.annotate(rota_count=Count("rota", distinct=True), present_count=Count("attendances", distinct=True))


def my_sessions(actor: Actor, *, since: dt.date | None = None) -> QuerySet[ReceptionSession]:
    """The sessions the deputy is rostered for or signed in at, from `since` on, with their own attendance."""
    if actor.deputy_id is None:
        return ReceptionSession.objects.none()
    mine = Attendance.objects.filter(session=OuterRef("pk"), deputy_id=actor.deputy_id)
    theirs = Q(pk__in=RotaEntry.objects.filter(deputy_id=actor.deputy_id).values("session_id")) | Q(Exists(mine))
    return (ReceptionSession.objects.filter(theirs, date__gte=since or timezone.localdate())
            .select_related("venue").annotate(signed_in=Exists(mine)).order_by("date", "pk"))


@dataclass
class Tally:
    sessions: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0
    late: int = 0
    left_early: int = 0

    def add(self, other: Tally) -> None:
        for name in ("sessions", "present", "excused", "absent", "late", "left_early"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rate(self) -> int:
        expected = self.sessions - self.excused
        return round(100 * self.present / expected) if expected else 100


@dataclass
class YearAttendance:
    by_deputy: dict[int, Tally] = field(default_factory=dict)
    by_venue: dict[int, dict[int, Tally]] = field(default_factory=dict)  # venue -> deputy -> tally
    venues_of: dict[int, set[int]] = field(default_factory=dict)  # deputy -> venues


def year_attendance(year: int, *, venue_id: int | None = None, now: dt.datetime | None = None) -> YearAttendance:
    """Attendance of every rostered deputy in `year`, per station: one query. Only sessions that have
    ended count; a cancelled session counts for nobody."""
    now = now or timezone.now()
    attended = Attendance.objects.filter(session=OuterRef("session_id"), deputy=OuterRef("deputy_id"))
    qs = RotaEntry.objects.filter(session__date__year=year, session__status=ReceptionSession.Status.SCHEDULED,
                                  session__ends_at__lt=now)
    if venue_id:
        qs = qs.filter(session__venue_id=venue_id)
    rows = (qs.annotate(was_present=Exists(attended), was_late=Exists(attended.filter(late=True)),
                        went_early=Exists(attended.filter(left_early=True)))
            .values("session__venue_id", "deputy_id")
            .annotate(sessions=Count("pk"),
                      present=Count("pk", filter=Q(was_present=True)),
                      excused=Count("pk", filter=Q(excused=True, was_present=False)),
                      late=Count("pk", filter=Q(was_late=True)),
                      left_early=Count("pk", filter=Q(went_early=True))))
    result = YearAttendance()
    by_venue: dict[int, dict[int, Tally]] = defaultdict(dict)
    venues_of: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        tally = Tally(sessions=row["sessions"], present=row["present"], excused=row["excused"],
                      absent=row["sessions"] - row["present"] - row["excused"], late=row["late"],
                      left_early=row["left_early"])
        venue, deputy = row["session__venue_id"], row["deputy_id"]
        by_venue[venue][deputy] = tally
        venues_of[deputy].add(venue)
        result.by_deputy.setdefault(deputy, Tally()).add(tally)
    result.by_venue, result.venues_of = dict(by_venue), dict(venues_of)
    return result


def notice_jobs_visible_to(actor: Actor) -> QuerySet[AttendanceNoticeJob]:
    if actor.is_admin:
        return AttendanceNoticeJob.objects.select_related("venue")
    if actor.venue_ids or actor.township_ids:
        return AttendanceNoticeJob.objects.select_related("venue").filter(
            Q(venue_id__in=actor.venue_ids) | Q(venue__township_id__in=actor.township_ids))
    return AttendanceNoticeJob.objects.none()


def notices_visible_to(actor: Actor) -> QuerySet[AttendanceNotice]:
    """A deputy reads their own notices; the staff who may run a job read its notices."""
    qs = AttendanceNotice.objects.select_related("deputy__account", "job")
    scope = Q(deputy_id=actor.deputy_id) if actor.deputy_id else Q(pk__in=[])
    scope |= Q(job__in=notice_jobs_visible_to(actor))
    return qs.filter(scope) if actor.is_member else qs.none()


def absence_steps_visible_to(actor: Actor) -> QuerySet[AbsenceStep]:
    """The talk and the resignation request are the county's (and the presidium's) business."""
    qs = AbsenceStep.objects.select_related("deputy__account")
    if actor.is_admin:
        return qs
    if actor.township_ids:
        return qs.filter(Q(deputy__mandates__township_id__in=actor.township_ids)
                         | Q(deputy__stationings__venue__township_id__in=actor.township_ids)).distinct()
    return qs.none()


@dataclass
class RegisterRow:
    date: dt.date
    venue: str
    deputy: str
    status: str
    signed_in: dt.datetime | None
    signed_out: dt.datetime | None
    method: str

    def cells(self, *, with_venue: bool = False) -> list[str]:
        """The row as the register prints it: ISO date, times of day in local time (ATTENDANCE_HEADERS)."""
        return [self.date.isoformat(), *([self.venue] if with_venue else []), self.deputy, self.status,
                _clock(self.signed_in), _clock(self.signed_out), self.method]


def attendance_headers(*, with_venue: bool = False) -> list[str]:
    return [_("日期"), *([_("站点")] if with_venue else []), _("代表"), _("出勤"), _("签到"), _("签退"), _("方式")]


def _clock(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M") if value else ""


def attendance_register(*, venue_id: int, start: dt.date, end: dt.date) -> list[RegisterRow]:
    """The station's attendance register (代表出勤登记簿, one of "three books and a card", 002): every
    rostered deputy of every session in the period, and anyone who signed in without being rostered."""
    return attendance_rows(ReceptionSession.objects.filter(venue_id=venue_id, date__gte=start, date__lte=end))


def attendance_rows(sessions: QuerySet[ReceptionSession]) -> list[RegisterRow]:
    """The attendance register's rows for `sessions` (one station's period, or a list's sessions across
    stations), by date, station and deputy. Two queries whatever their number; names only, no mobiles."""
    attended = {(a.session_id, a.deputy_id): a for a in Attendance.objects.filter(session__in=sessions)
                .select_related("deputy__account", "session__venue")}
    rows: list[RegisterRow] = []
    seen = set()
    rota = (RotaEntry.objects.filter(session__in=sessions).select_related("session__venue", "deputy__account")
            .order_by("session__date", "deputy__account__name"))
    for entry in rota:
        session, key = entry.session, (entry.session_id, entry.deputy_id)
        seen.add(key)
        a = attended.get(key)
        if session.is_cancelled:
            status = _("接待日取消")
        elif a is not None:
            status = "、".join([_("出席")] + ([_("迟到")] if a.late else []) + ([_("早退")] if a.left_early else []))
        elif entry.excused:
            status = _("请假：%(why)s") % {"why": entry.excuse}
        elif session.ends_at > timezone.now():
            status = _("未开始")
        else:
            status = _("缺席")
        rows.append(RegisterRow(session.date, session.venue.name, entry.deputy.account.name, status,
                                a.signed_in_at if a else None, a.signed_out_at if a else None,
                                a.get_method_display() if a else ""))
    for key, a in attended.items():
        if key not in seen:
            rows.append(RegisterRow(a.session.date, a.session.venue.name, a.deputy.account.name, _("出席（未排班）"),
                                    a.signed_in_at, a.signed_out_at, a.get_method_display()))
    return sorted(rows, key=lambda r: (r.date, r.venue, r.deputy))


def public_calendar(*, days: int = 62) -> QuerySet[ReceptionSession]:
    """What the public sees (online station, kiosk): the coming reception days of open stations, with
    their addresses and hours; nothing about who is on the rota."""
    today = timezone.localdate()
    return public_sessions_between(today, today + dt.timedelta(days=days + 1))


def public_sessions_between(start: dt.date, end: dt.date) -> QuerySet[ReceptionSession]:
    """The public calendar's month view: reception days of open stations from `start` up to `end` (excluded)."""
    return (ReceptionSession.objects.filter(date__gte=start, date__lt=end, venue__status=Venue.Status.OPEN)
            .select_related("venue", "venue__township").order_by("date", "venue__name"))


def on_duty_today(venue_id: int, *, on: dt.date | None = None) -> list[int]:
    """The deputies on the rota of a station's reception day today (not excused): the kiosk's "今日值班代表"."""
    on = on or timezone.localdate()
    return list(RotaEntry.objects.filter(session__venue_id=venue_id, session__date=on, excused=False,
                                         session__status=ReceptionSession.Status.SCHEDULED)
                .values_list("deputy_id", flat=True).distinct())
