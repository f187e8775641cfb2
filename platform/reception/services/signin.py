"""Sign-in (签到, 004): the deputy scans the station's code with their phone while logged in, or the
station's staff mark attendance. Late arrival and early leave are recorded."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor
from audit.services import audit_record
from duties.models import DutyKind
from duties.services.records import duty_record_log
from people.models import Deputy
from reception.models import Attendance, ReceptionSchedule, ReceptionSession, RotaEntry

from .common import hours_label, reception_duty_source, require_venue
from .rota import stationed_on

GRACE = dt.timedelta(minutes=15)
OPENS_BEFORE = dt.timedelta(minutes=60)


def _flags(session: ReceptionSession, signed_in_at: dt.datetime, signed_out_at: dt.datetime | None) -> dict:
    return {"late": signed_in_at > session.starts_at + GRACE,
            "left_early": signed_out_at is not None and signed_out_at < session.ends_at - GRACE}


def session_for_code(token: str, day: dt.date) -> tuple[ReceptionSchedule, ReceptionSession | None]:
    schedule = ReceptionSchedule.objects.select_related("venue").filter(sign_in_token=token).first()
    if schedule is None:
        raise ValidationError(_("签到码无效，请扫描联络站张贴的最新签到码。"))
    session = ReceptionSession.objects.select_related("venue").filter(
        venue_id=schedule.venue_id, date=day, status=ReceptionSession.Status.SCHEDULED).first()
    return schedule, session


def _elsewhere(deputy_id: int, day: dt.date, venue_id: int) -> str | None:
    return (RotaEntry.objects.filter(deputy_id=deputy_id, session__date=day,
                                     session__status=ReceptionSession.Status.SCHEDULED)
            .exclude(session__venue_id=venue_id).values_list("session__venue__name", flat=True).first())


@transaction.atomic
def sign_in(*, actor: Actor, token: str, now: dt.datetime | None = None) -> Attendance:
    """A deputy signs themselves in at the station whose code they scanned. Signing in twice keeps the first."""
    now = now or timezone.now()
    if actor.deputy_id is None:
        raise ValidationError(_("只有代表本人可以扫码签到。"))
    schedule, session = session_for_code(token, timezone.localdate(now))
    venue = schedule.venue
    other = _elsewhere(actor.deputy_id, timezone.localdate(now), venue.pk)
    if session is None:
        if other:
            raise ValidationError(_("您今天的接待安排在%(venue)s，请到该站签到。") % {"venue": other})
        raise ValidationError(_("%(venue)s今天没有接待日安排。") % {"venue": venue.name})
    if not session.starts_at - OPENS_BEFORE <= now <= session.ends_at:
        raise ValidationError(_("现在不在签到时间内（%(hours)s，开始前1小时起可签到）。") % {
            "hours": hours_label(session.starts_at, session.ends_at)})
    rostered = session.rota.filter(deputy_id=actor.deputy_id).exists()
    if not rostered and not stationed_on(venue.pk, session.date).filter(pk=actor.deputy_id).exists():
        if other:
            raise ValidationError(_("您今天的接待安排在%(venue)s，请到该站签到。") % {"venue": other})
        raise ValidationError(_("您未驻%(venue)s，也不在今天的值班名单中。") % {"venue": venue.name})
    existing = Attendance.objects.filter(session=session, deputy_id=actor.deputy_id).first()
    if existing is not None:
        return existing
    attendance = Attendance.objects.create(session=session, deputy_id=actor.deputy_id, signed_in_at=now,
                                           method=Attendance.Method.QR, recorded_by=actor.account_id,
                                           **_flags(session, now, None))
    _log_duty(actor, attendance)
    audit_record(actor=actor, action="reception.sign_in", target=session, data={"late": attendance.late})
    return attendance


@transaction.atomic
def sign_out(*, actor: Actor, session: ReceptionSession, now: dt.datetime | None = None) -> Attendance:
    now = now or timezone.now()
    attendance = (Attendance.objects.select_for_update()
                  .filter(session=session, deputy_id=actor.deputy_id).first())  # type: ignore[misc]  # None: none
    if attendance is None:
        raise ValidationError(_("您还没有签到，不能签退。"))
    if attendance.signed_out_at is not None:
        raise ValidationError(_("您已签退。"))
    if now > session.ends_at + dt.timedelta(hours=6):
        raise ValidationError(_("接待日已结束，签退请联系站点工作人员登记。"))
    attendance.signed_out_at = now
    attendance.left_early = _flags(session, attendance.signed_in_at, now)["left_early"]
    attendance.save(update_fields=["signed_out_at", "left_early"])
    audit_record(actor=actor, action="reception.sign_out", target=session, data={"left_early": attendance.left_early})
    return attendance


@transaction.atomic
def attendance_mark(*, actor: Actor, session: ReceptionSession, deputy: Deputy, arrived_at: dt.datetime,
                    left_at: dt.datetime | None = None) -> Attendance:
    """Staff record a deputy's attendance (and, later, correct it)."""
    require_venue(actor, session.venue)
    if session.is_cancelled:
        raise ValidationError(_("该接待日已取消。"))
    if timezone.localdate(arrived_at) != session.date:
        raise ValidationError({"arrived_at": _("到达时间应在接待日当天。")})
    if left_at is not None and left_at <= arrived_at:
        raise ValidationError({"left_at": _("离开时间应晚于到达时间。")})
    if arrived_at > timezone.now():
        raise ValidationError({"arrived_at": _("不能登记将来的到达时间。")})
    if not (session.rota.filter(deputy=deputy).exists()
            or stationed_on(session.venue_id, session.date).filter(pk=deputy.pk).exists()):
        raise ValidationError({"deputy": _("%(name)s 未驻本站，也不在本次值班名单中。") % {
            "name": deputy.account.name}})
    fields = {"signed_in_at": arrived_at, "signed_out_at": left_at, "method": Attendance.Method.STAFF,
              "recorded_by": actor.account_id, **_flags(session, arrived_at, left_at)}
    try:
        with transaction.atomic():
            attendance, _created = Attendance.objects.update_or_create(session=session, deputy=deputy, defaults=fields)
            _log_duty(actor, attendance)
    except IntegrityError:  # a sign-in landed at the same moment: correct that row
        attendance = Attendance.objects.get(session=session, deputy=deputy)
        for name, value in fields.items():
            setattr(attendance, name, value)
        attendance.save()
    audit_record(actor=actor, action="reception.attendance_mark", target=session, data={"deputy": deputy.pk})
    return attendance



def _log_duty(actor: Actor, attendance: Attendance) -> None:
    """A reception attended is the deputy's duty record (the duties context), once per session and deputy."""
    session = attendance.session
    duty_record_log(actor=actor, deputy=attendance.deputy, kind=DutyKind.RECEPTION, occurred_on=session.date,
                    title=_("%(venue)s接待日接待选民") % {"venue": session.venue.name}, venue=session.venue,
                    source=reception_duty_source(session.pk, attendance.deputy_id), from_register=True)
