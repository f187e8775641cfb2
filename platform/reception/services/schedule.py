"""The reception rule of a station, the yearly calendar it publishes, and moving or cancelling a session.

Source 000: the first Monday of every month and the day after it; a session on a public holiday moves
to the next working days (the official calendar in `workdays`). Any RFC 5545 recurrence is allowed.
"""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor
from audit.services import audit_record
from notifications.services import Outgoing, messages_enqueue
from organisation.models import Venue
from reception.models import ReceptionSchedule, ReceptionSession
from reception.models.sessions import new_token
from workdays.selectors import is_official_year, is_working_day, next_working_days

from .common import at, county_name, day_label, hours_label, require_venue

SCHEDULE_FIELDS = ("rrule", "days_per_reception", "starts_at", "ends_at", "move_off_holidays",
                   "prefecture_deputies_min", "prefecture_deputies_max", "county_deputies_min")
MAX_SESSIONS_A_YEAR = 120


def schedule_for(venue: Venue) -> ReceptionSchedule:
    schedule, _created = ReceptionSchedule.objects.get_or_create(venue=venue)
    return schedule


def first_days(rule: str, year: int) -> list[dt.date]:
    """The first day of each reception in `year` under an RFC 5545 rule (a Chinese error if it is not one)."""
    try:
        recurrence = rrulestr(rule.strip(), dtstart=dt.datetime(year, 1, 1))
        days = sorted({d.date() for d in recurrence.between(dt.datetime(year, 1, 1),
                                                             dt.datetime(year, 12, 31, 23, 59), inc=True)})
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError({"rrule": _("重复规则格式不正确（应为 RFC 5545 格式，如 FREQ=MONTHLY;BYDAY=1MO）。")}) \
            from exc
    return days


def reception_days(schedule: ReceptionSchedule, first: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(planned_on, date) of each day of the reception that starts on `first`."""
    planned = [first + dt.timedelta(days=i) for i in range(schedule.days_per_reception)]
    if not schedule.move_off_holidays:
        return list(zip(planned, planned, strict=True))
    return list(zip(planned, next_working_days(first, schedule.days_per_reception), strict=True))


@transaction.atomic
def schedule_update(*, actor: Actor, venue: Venue, **fields) -> ReceptionSchedule:
    require_venue(actor, venue)
    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    schedule = ReceptionSchedule.objects.select_for_update().get(pk=schedule_for(venue).pk)
    for name, value in fields.items():
        setattr(schedule, name, value)
    if schedule.ends_at <= schedule.starts_at:
        raise ValidationError({"ends_at": _("结束时间应晚于开始时间。")})
    if not 1 <= schedule.days_per_reception <= 7:
        raise ValidationError({"days_per_reception": _("每次接待天数应在1到7天之间。")})
    if schedule.prefecture_deputies_max < schedule.prefecture_deputies_min:
        raise ValidationError({"prefecture_deputies_max": _("州（市）级代表最多人数不能少于最少人数。")})
    count = len(first_days(schedule.rrule, timezone.localdate().year)) * schedule.days_per_reception
    if count > MAX_SESSIONS_A_YEAR:
        raise ValidationError({"rrule": _("该规则一年产生 %(n)d 个接待日，超过上限 %(max)d 个。") % {
            "n": count, "max": MAX_SESSIONS_A_YEAR}})
    schedule.save()
    audit_record(actor=actor, action="reception.schedule_update", target=schedule,
                 data={k: str(v) for k, v in fields.items()})
    return schedule


@transaction.atomic
def sign_in_code_rotate(*, actor: Actor, venue: Venue) -> ReceptionSchedule:
    """A new sign-in code for the station (the old printed one stops working): when a photo of the code
    has been passed around, or on a schedule the station keeps."""
    require_venue(actor, venue)
    schedule = ReceptionSchedule.objects.select_for_update().get(pk=schedule_for(venue).pk)
    schedule.sign_in_token = new_token()
    schedule.save(update_fields=["sign_in_token"])
    audit_record(actor=actor, action="reception.sign_in_code_rotate", target=schedule)
    return schedule


def _publish(schedule: ReceptionSchedule, year: int, today: dt.date) -> int:
    official = {y for y in (year, year + 1) if is_official_year(y)}  # a December reception may spill over
    township_id = schedule.venue.township_id  # the days are ahead: the venue's township now is theirs
    sessions = [
        ReceptionSession(venue_id=schedule.venue_id, township_id=township_id, planned_on=planned, date=held,
                         starts_at=at(held, schedule.starts_at), ends_at=at(held, schedule.ends_at),
                         provisional=held.year not in official)
        for first in first_days(schedule.rrule, year)
        for planned, held in reception_days(schedule, first)
        if held >= today
    ]
    before = ReceptionSession.objects.filter(venue_id=schedule.venue_id, planned_on__year=year).count()
    ReceptionSession.objects.bulk_create(sessions, ignore_conflicts=True)
    return ReceptionSession.objects.filter(venue_id=schedule.venue_id, planned_on__year=year).count() - before


@transaction.atomic
def sessions_publish(*, actor: Actor | None, venue: Venue, year: int) -> int:
    """Publish a station's calendar for `year` (from today on); sessions already there are kept as they
    are, so publishing again adds only what is missing. Returns the sessions added."""
    if actor is not None:
        require_venue(actor, venue)
    if not timezone.localdate().year <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("只能发布今年或明年的接待日安排。")})
    if venue.status == Venue.Status.CLOSED:
        raise ValidationError({"venue": _("该站点已关闭，不能安排接待日。")})
    added = _publish(schedule_for(venue), year, timezone.localdate())
    audit_record(actor=actor, action="reception.publish", target=venue, data={"year": year, "added": added})
    return added


def sessions_publish_all(*, year: int) -> int:
    """Beat, each December: every open station's calendar for the next year (idempotent)."""
    added = 0
    for venue in Venue.objects.exclude(status=Venue.Status.CLOSED):
        with transaction.atomic():
            added += _publish(schedule_for(venue), year, timezone.localdate())
    return added


def _notify_rota(session: ReceptionSession, text: str, kind: str) -> None:
    messages_enqueue(
        Outgoing(dedupe_key=f"reception:{session.pk}:v{session.version}:{deputy_id}:{kind}", kind=f"reception.{kind}",
                 body=text.replace("{name}", name), account_id=account_id, mobile=mobile)
        for deputy_id, account_id, mobile, name in session.rota.filter(excused=False).values_list(
            "deputy_id", "deputy__account_id", "deputy__account__mobile", "deputy__account__name")
    )


def _locked(session: ReceptionSession) -> ReceptionSession:
    locked = ReceptionSession.objects.select_for_update().select_related("venue").get(pk=session.pk)
    if locked.is_cancelled:
        raise ValidationError(_("该接待日已取消，不能再调整。"))
    return locked


@transaction.atomic
def session_move(*, actor: Actor, session: ReceptionSession, date: dt.date, reason: str) -> ReceptionSession:
    """Move a session to another day (same hours); everyone on its rota is told, once per change."""
    require_venue(actor, session.venue)
    session = _locked(session)
    if date < timezone.localdate():
        raise ValidationError({"date": _("不能调整到已过去的日期。")})
    if date == session.date:
        raise ValidationError({"date": _("新日期与原日期相同。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写调整原因。")})
    old = session.date
    start, end = timezone.localtime(session.starts_at).time(), timezone.localtime(session.ends_at).time()
    ReceptionSession.objects.filter(pk=session.pk).update(
        date=date, starts_at=at(date, start), ends_at=at(date, end), version=F("version") + 1,
        change_reason=reason.strip())
    session.refresh_from_db()
    _notify_rota(session, _("【%(county)s人大】{name}代表：%(venue)s原定%(old)s的接待日调整为%(new)s %(hours)s。"
                            "原因：%(reason)s") % {
        "county": county_name(), "venue": session.venue.name, "old": day_label(old), "new": day_label(date),
        "hours": hours_label(session.starts_at, session.ends_at), "reason": session.change_reason}, "changed")
    audit_record(actor=actor, action="reception.move", target=session,
                 data={"from": old.isoformat(), "to": date.isoformat(), "reason": session.change_reason})
    return session


@transaction.atomic
def session_cancel(*, actor: Actor, session: ReceptionSession, reason: str) -> ReceptionSession:
    require_venue(actor, session.venue)
    session = _locked(session)
    if session.ends_at < timezone.now():
        raise ValidationError(_("该接待日已结束，不能取消。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写取消原因。")})
    ReceptionSession.objects.filter(pk=session.pk).update(
        status=ReceptionSession.Status.CANCELLED, version=F("version") + 1, change_reason=reason.strip())
    session.refresh_from_db()
    _notify_rota(session, _("【%(county)s人大】{name}代表：%(venue)s %(day)s的接待日已取消。原因：%(reason)s") % {
        "county": county_name(), "venue": session.venue.name, "day": day_label(session.date),
        "reason": session.change_reason}, "cancelled")
    audit_record(actor=actor, action="reception.cancel", target=session, data={"reason": session.change_reason})
    return session


def sessions_replan_provisional(*, year: int) -> int:
    """When `year` has become official: each provisional session of the county in that year is confirmed,
    and one that now falls on a holiday moves to the next working day its station has free (a two-day
    reception over a new holiday moves to the next two working days); its rota is told once. The flag is
    cleared in the same conditional update, so a re-run, or a second worker, moves nothing twice.
    Returns the sessions moved."""
    today = timezone.localdate()
    moved = 0
    venues = (ReceptionSession.objects.filter(provisional=True, date__year=year)
              .values_list("venue_id", flat=True).distinct())
    for venue_id in list(venues):
        with transaction.atomic():
            sessions = list(ReceptionSession.objects.select_for_update().select_related("venue")
                            .filter(venue_id=venue_id, provisional=True, date__year=year).order_by("date", "pk"))
            taken = set(ReceptionSession.objects.filter(venue_id=venue_id, date__year__in=[year, year + 1])
                        .exclude(status=ReceptionSession.Status.CANCELLED).values_list("date", flat=True))
            for session in sessions:
                moved += _replan_one(session, taken, today)
    return moved


def _replan_one(session: ReceptionSession, taken: set[dt.date], today: dt.date) -> int:
    confirm = ReceptionSession.objects.filter(pk=session.pk, provisional=True)
    if session.is_cancelled or session.date < today or is_working_day(session.date):
        confirm.update(provisional=False)
        return 0
    new = session.date
    while new in taken or not is_working_day(new):
        new = next_working_days(new + dt.timedelta(days=1), 1)[0]
    old = session.date
    start, end = timezone.localtime(session.starts_at).time(), timezone.localtime(session.ends_at).time()
    reason = _("%(year)d年节假日安排公布，原定日期为法定节假日") % {"year": old.year}
    if not confirm.update(date=new, starts_at=at(new, start), ends_at=at(new, end), version=F("version") + 1,
                          change_reason=reason, provisional=False):
        return 0
    taken.discard(old)
    taken.add(new)
    session.refresh_from_db()
    _notify_rota(session, _("【%(county)s人大】{name}代表：%(venue)s原定%(old)s的接待日"
                            "因节假日调整为%(new)s %(hours)s。") % {
        "county": county_name(), "venue": session.venue.name, "old": day_label(old), "new": day_label(new),
        "hours": hours_label(session.starts_at, session.ends_at)}, "changed")
    audit_record(actor=None, action="reception.replan", target=session,
                 data={"from": old.isoformat(), "to": new.isoformat(), "reason": reason})
    return 1
