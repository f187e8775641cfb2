"""Reception services: the yearly calendar from the rule (holidays moved), rota, reminders exactly once with
corrections, sign-in rules, records with consent, attendance notices and absence steps."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from notifications.models import Message
from notifications.services import messages_deliver
from organisation.models import Venue
from people.models import Deputy
from reception.models import AbsenceStep, Attendance, ReceptionSession, RotaEntry
from reception.selectors import sessions_visible_to, year_attendance
from reception.services.notices import absence_rule_update, absence_step_done, notice_job_run, notice_job_start
from reception.services.records import IssueInput, reception_record_save
from reception.services.reminders import reminders_send_due
from reception.services.rota import rota_proposal, rota_set
from reception.services.schedule import (
    first_days,
    reception_days,
    schedule_for,
    schedule_update,
    session_cancel,
    session_move,
    sessions_publish,
    sessions_replan_provisional,
)
from reception.services.signin import attendance_mark, sign_in, sign_out
from tests.reception.conftest import make_session, make_session_now
from workdays.models import CalendarDay, CalendarYear
from workdays.services import calendar_year_mark_official

pytestmark = pytest.mark.django_db
D = dt.date


def _v(world, key="v1") -> Venue:
    return Venue.objects.get(pk=world.ids[key])


def _d(world, key="deputy") -> Deputy:
    return Deputy.objects.select_related("account").get(pk=world.ids[key])


# the calendar ---------------------------------------------------------------------------------


def test_default_rule_is_the_first_monday_and_the_day_after(world, alpha):
    with alpha():
        schedule = schedule_for(_v(world))
        assert first_days(schedule.rrule, 2026)[:3] == [D(2026, 1, 5), D(2026, 2, 2), D(2026, 3, 2)]
        assert reception_days(schedule, D(2026, 3, 2)) == [(D(2026, 3, 2), D(2026, 3, 2)),
                                                           (D(2026, 3, 3), D(2026, 3, 3))]
        # September 2026 starts on a Tuesday: the first Monday is the 7th, the day after it the 8th.
        assert first_days(schedule.rrule, 2026)[8] == D(2026, 9, 7)


def test_a_reception_on_national_day_moves_to_the_next_working_days(world, alpha):
    with alpha():
        days = reception_days(schedule_for(_v(world)), D(2026, 10, 5))
        assert days == [(D(2026, 10, 5), D(2026, 10, 8)), (D(2026, 10, 6), D(2026, 10, 9))]


def test_publishing_next_year_is_idempotent_and_skips_nothing(world, alpha, actors, today):
    with alpha():
        added = sessions_publish(actor=actors["admin_a"], venue=_v(world), year=today.year + 1)
        assert added == 24  # twelve months, two days each
        assert sessions_publish(actor=actors["admin_a"], venue=_v(world), year=today.year + 1) == 0
        with pytest.raises(PermissionDenied):  # station staff of v2 do not manage v1
            sessions_publish(actor=actors["station_staff_a"], venue=_v(world), year=today.year + 1)


def test_any_rfc5545_rule_and_a_clear_error_for_a_bad_one(world, alpha, actors):
    with alpha():
        schedule = schedule_update(actor=actors["admin_a"], venue=_v(world), rrule="FREQ=WEEKLY;BYDAY=WE;INTERVAL=2",
                                   days_per_reception=1)
        assert len(first_days(schedule.rrule, 2026)) in (26, 27)
        with pytest.raises(ValidationError) as bad:
            schedule_update(actor=actors["admin_a"], venue=_v(world), rrule="每月第一个周一")
        assert "重复规则格式不正确" in str(bad.value)
        with pytest.raises(ValidationError) as daily:
            schedule_update(actor=actors["admin_a"], venue=_v(world), rrule="FREQ=DAILY")
        assert "超过上限" in str(daily.value)
        assert schedule_for(_v(world)).rrule == "FREQ=WEEKLY;BYDAY=WE;INTERVAL=2"


# rota and reminders ---------------------------------------------------------------------------


def test_a_rota_with_a_deputy_not_stationed_there_is_refused_and_nothing_saved(world, alpha, actors, today):
    with alpha():
        session = make_session(world.ids["v1"], today + dt.timedelta(days=3))
        with pytest.raises(ValidationError) as refused:
            rota_set(actor=actors["admin_a"], session=session, deputies=[_d(world), _d(world, "west_deputy")])
        assert "未在" in str(refused.value) and "不能排入值班" in str(refused.value)
        assert not RotaEntry.objects.filter(session=session).exists()
        result = rota_set(actor=actors["admin_a"], session=session, deputies=[_d(world)])
        assert result.counts == {"county": 1}
        assert any("县级代表 1 名，少于规定的 5 名" in s for s in result.shortfalls)
        assert rota_proposal(session) == [_d(world)]


def test_reminders_three_days_and_one_day_before_each_exactly_once(world, alpha, actors, today):
    with alpha():
        session = make_session(world.ids["v1"], today + dt.timedelta(days=3))
        rota_set(actor=actors["admin_a"], session=session, deputies=[_d(world)])
        now = timezone.now()
        reminders_send_due(now)
        reminders_send_due(now)  # beat restarted, or the scan ran twice
        keys = set(Message.objects.filter(kind__startswith="reception.").values_list("dedupe_key", flat=True))
        prefix = f"reception:{session.pk}:v1:{world.ids['deputy']}"
        assert keys == {f"{prefix}:rostered", f"{prefix}:3d"}
        reminders_send_due(now + dt.timedelta(days=2))
        reminders_send_due(now + dt.timedelta(days=2))
        three = Message.objects.get(dedupe_key=f"{prefix}:3d")
        one = Message.objects.get(dedupe_key=f"{prefix}:1d")
        assert "请准时到站扫码签到" in three.body and "提醒您明天" in one.body
        assert three.mobile == world.deputy_a.mobile and three.account_id == world.deputy_a.pk
        messages_deliver()
        assert Message.objects.filter(dedupe_key__startswith=prefix, status="sent").count() == 3


def test_a_moved_session_sends_a_correction_and_reminds_again_for_the_new_day(world, alpha, actors, today):
    with alpha():
        session = make_session(world.ids["v1"], today + dt.timedelta(days=3))
        rota_set(actor=actors["admin_a"], session=session, deputies=[_d(world)])
        reminders_send_due()
        with pytest.raises(ValidationError):
            session_move(actor=actors["admin_a"], session=session, date=today + dt.timedelta(days=10), reason=" ")
        moved = session_move(actor=actors["admin_a"], session=session, date=today + dt.timedelta(days=10),
                             reason="村委会换届选举")
        assert (moved.version, moved.date) == (2, today + dt.timedelta(days=10))
        correction = Message.objects.get(dedupe_key=f"reception:{session.pk}:v2:{world.ids['deputy']}:changed")
        assert "调整为" in correction.body and "村委会换届选举" in correction.body
        reminders_send_due()
        assert not Message.objects.filter(dedupe_key__contains=f"{session.pk}:v2:{world.ids['deputy']}:3d").exists()
        cancelled = session_cancel(actor=actors["admin_a"], session=moved, reason="暴雨红色预警")
        assert cancelled.version == 3
        assert Message.objects.filter(dedupe_key=f"reception:{session.pk}:v3:{world.ids['deputy']}:cancelled").exists()
        with pytest.raises(ValidationError) as again:
            session_move(actor=actors["admin_a"], session=cancelled, date=today + dt.timedelta(days=12), reason="x")
        assert "已取消" in str(again.value)


def test_excused_deputies_get_no_reminder(world, alpha, actors, today):
    from reception.services.rota import rota_excuse

    with alpha():
        session = make_session(world.ids["v1"], today + dt.timedelta(days=1))
        rota_set(actor=actors["admin_a"], session=session, deputies=[_d(world)])
        rota_excuse(actor=actors["admin_a"], session=session, deputy=_d(world), excuse="出差")
        reminders_send_due()
        assert not Message.objects.filter(dedupe_key__endswith=":1d",
                                          dedupe_key__startswith=f"reception:{session.pk}:").exists()


# sign-in --------------------------------------------------------------------------------------


def _today_session(world, today, start=None, end=None):
    if start is None and end is None:
        return make_session_now(world.ids["v1"])
    return make_session(world.ids["v1"], today, start, end)


def test_a_deputy_signs_in_by_the_stations_code_once(world, alpha, actors, today):
    with alpha():
        session = _today_session(world, today)
        token = schedule_for(_v(world)).sign_in_token
        attendance = sign_in(actor=actors["deputy_a"], token=token)
        again = sign_in(actor=actors["deputy_a"], token=token)
        assert attendance.pk == again.pk and attendance.method == Attendance.Method.QR
        with pytest.raises(ValidationError) as not_a_deputy:
            sign_in(actor=actors["admin_a"], token=token)
        assert "只有代表本人" in str(not_a_deputy.value)
        out = sign_out(actor=actors["deputy_a"], session=session)
        assert out.signed_out_at is not None


def test_sign_in_outside_the_window_or_at_another_station_is_refused(world, alpha, actors, today):
    with alpha():
        session = make_session(world.ids["v1"], today, 9, 10)
        rota_set_direct = RotaEntry.objects.create(session=session, deputy_id=world.ids["deputy"])
        assert rota_set_direct
        token = schedule_for(_v(world)).sign_in_token
        late_evening = timezone.make_aware(dt.datetime.combine(today, dt.time(20, 0)))
        with pytest.raises(ValidationError) as outside:
            sign_in(actor=actors["deputy_a"], token=token, now=late_evening)
        assert "不在签到时间内" in str(outside.value)
        other = schedule_for(_v(world, "v2")).sign_in_token
        with pytest.raises(ValidationError) as elsewhere:
            sign_in(actor=actors["deputy_a"], token=other, now=late_evening)
        assert "请到该站签到" in str(elsewhere.value) and "东村联络站" in str(elsewhere.value)
        with pytest.raises(ValidationError) as bogus:
            sign_in(actor=actors["deputy_a"], token="nope", now=late_evening)
        assert "签到码无效" in str(bogus.value)
        assert not Attendance.objects.exists()


def test_late_arrival_and_early_leave_are_recorded(world, alpha, actors, today):
    with alpha():
        session = make_session(world.ids["v1"], today - dt.timedelta(days=1), 9, 17)
        day = session.date
        arrived = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 40)))
        left = timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0)))
        attendance = attendance_mark(actor=actors["admin_a"], session=session, deputy=_d(world), arrived_at=arrived,
                                     left_at=left)
        assert (attendance.late, attendance.left_early) == (True, True)
        on_time = attendance_mark(actor=actors["admin_a"], session=session, deputy=_d(world),
                                  arrived_at=arrived.replace(hour=9, minute=5), left_at=left.replace(hour=17))
        assert (on_time.pk, on_time.late, on_time.left_early) == (attendance.pk, False, False)
        with pytest.raises(ValidationError):
            attendance_mark(actor=actors["admin_a"], session=session, deputy=_d(world, "west_deputy"),
                            arrived_at=arrived)
        with pytest.raises(PermissionDenied):
            attendance_mark(actor=actors["station_staff_a"], session=session, deputy=_d(world), arrived_at=arrived)


# records --------------------------------------------------------------------------------------


def test_a_record_keeps_names_only_with_consent(world, alpha, actors, today):
    with alpha():
        session = make_session(world.ids["v1"], today - dt.timedelta(days=2))
        with pytest.raises(ValidationError) as no_consent:
            reception_record_save(actor=actors["admin_a"], session=session, visitors_count=25, visitor_names="李四")
        assert "须经本人同意" in str(no_consent.value)
        with pytest.raises(ValidationError) as bad_mobile:
            reception_record_save(actor=actors["admin_a"], session=session, visitors_count=25, issues=[
                IssueInput(content="村道破损"), IssueInput(content="饮水", constituent_mobile="123")])
        assert "第2个问题" in str(bad_mobile.value)
        assert not hasattr(session, "record") or not session.__class__.objects.get(pk=session.pk).__dict__.get("record")
        with pytest.raises(ValidationError) as no_name_consent:
            reception_record_save(actor=actors["admin_a"], session=session, visitors_count=25, issues=[
                IssueInput(content="饮水", constituent_name="王五")])
        assert "第1个问题：登记群众姓名须经本人同意" in str(no_name_consent.value)
        record = reception_record_save(actor=actors["admin_a"], session=session, visitors_count=25,
                                       summary="首个接待日", issues=[IssueInput(
                                           content="村道破损，雨天难行", constituent_name="王五", consent=True,
                                           constituent_mobile="13912340000", received_by=_d(world))])
        assert record.issues.count() == 1 and record.visitors_count == 25
        opinion = record.issues.get().opinion  # the issue became an opinion, with its case, for casework
        assert (opinion.channel, opinion.content, opinion.deputy_id, opinion.venue_id, opinion.received_on) == (
            "reception", "村道破损，雨天难行", world.ids["deputy"], world.ids["v1"], session.date)
        assert opinion.case_id is not None and opinion.constituent_mobile == "13912340000"


# notices --------------------------------------------------------------------------------------


def test_attendance_notice_job_builds_pdfs_and_flags_absences(world, alpha, actors, today, media):
    with alpha():
        year = today.year
        absence_rule_update(actor=actors["admin_a"], talk_after_absences=2, resignation_after_absences=3)
        for n in range(3):
            day = D(year, 1 + n, 10)
            session = make_session(world.ids["v1"], day)
            RotaEntry.objects.create(session=session, deputy_id=world.ids["deputy"])
        attendance_mark(actor=actors["admin_a"], session=session, deputy=_d(world),
                        arrived_at=session.starts_at, left_at=session.ends_at)
        summary = year_attendance(year).by_deputy[world.ids["deputy"]]
        assert (summary.sessions, summary.present, summary.absent) == (3, 1, 2)
        job = notice_job_start(actor=actors["admin_a"], year=year)
        job = notice_job_run(job_id=job.pk)
        assert (job.status, job.total, job.done, job.percent) == ("done", 1, 1, 100)
        notice = job.notices.get()
        text = PdfReader(io.BytesIO(notice.pdf.read())).pages[0].extract_text()
        assert "出席 1 次" in text and "缺席 2 次" in text and "东村联络站代表出勤情况" in text
        assert Message.objects.filter(dedupe_key__startswith=f"notice:{job.pk}:").count() == 2
        assert notice_job_run(job_id=job.pk).done == 1  # a re-run does nothing twice
        steps = AbsenceStep.objects.filter(deputy_id=world.ids["deputy"], year=year)
        assert set(steps.values_list("kind", flat=True)) == {"talk"}
        with pytest.raises(ValidationError):
            absence_step_done(actor=actors["admin_a"], step=steps.get(), note=" ")
        absence_step_done(actor=actors["admin_a"], step=steps.get(), note="已约谈，代表表示今后按时参加")
        with pytest.raises(PermissionDenied):
            notice_job_start(actor=actors["deputy_a"], year=year)
        with pytest.raises(ValidationError):
            notice_job_start(actor=actors["admin_a"], year=year + 1)


# who sees what ---------------------------------------------------------------------------------


def test_sessions_visible_by_role_and_scope(world, alpha, actors, today):
    with alpha():
        s1 = make_session(world.ids["v1"], today + dt.timedelta(days=5))
        s2 = make_session(world.ids["v2"], today + dt.timedelta(days=5))
        seen = {name: set(sessions_visible_to(a).filter(pk__in=[s1.pk, s2.pk]).values_list("pk", flat=True))
                for name, a in actors.items()}
        assert seen == {"admin_a": {s1.pk, s2.pk}, "township_staff_a": {s1.pk}, "station_staff_a": {s2.pk},
                        "deputy_a": {s1.pk}, "unit_a": set(), "township_deputy_a": set()}
        assert ReceptionSession.objects.count() >= 2


def test_attending_a_reception_logs_the_deputys_duty_once(world, alpha, actors, today):
    from duties.models import DutyRecord

    with alpha():
        session = _today_session(world, today)
        token = schedule_for(_v(world)).sign_in_token
        sign_in(actor=actors["deputy_a"], token=token)
        sign_in(actor=actors["deputy_a"], token=token)
        attendance_mark(actor=actors["admin_a"], session=session, deputy=_d(world),
                        arrived_at=session.starts_at)  # staff correct the time: still one duty
        records = DutyRecord.objects.filter(source=f"reception:{session.pk}:{world.ids['deputy']}")
        assert records.count() == 1
        record = records.get()
        assert (record.kind, record.status, record.venue_id) == ("reception", "confirmed", world.ids["v1"])
        # what the deputy received that day belongs to that duty: the duty's linked cases
        saved = reception_record_save(actor=actors["admin_a"], session=session, visitors_count=2,
                                      issues=[IssueInput(content="集市占道经营", received_by=_d(world))])
        assert saved.issues.get().opinion.duty_record_id == record.pk


# provisional years ----------------------------------------------------------------------------


def test_a_year_not_official_publishes_provisional_days_that_move_once_when_it_becomes_official(world, alpha, actors,
                                                                                                today):
    year = today.year + 1
    CalendarYear.objects.filter(year=year).delete()
    CalendarDay.objects.filter(date__year=year).delete()
    with alpha():
        sessions_publish(actor=actors["admin_a"], venue=_v(world), year=year)
        sessions = ReceptionSession.objects.filter(venue_id=world.ids["v1"], planned_on__year=year)
        assert sessions.count() == 24 and all(s.provisional for s in sessions)
        october = first_days(schedule_for(_v(world)).rrule, year)[9]
        first = sessions.get(planned_on=october)
        rota_set(actor=actors["admin_a"], session=first, deputies=[_d(world)])
        # The State Council's notice arrives: the two reception days are now holidays.
        CalendarDay.objects.bulk_create([CalendarDay(date=october + dt.timedelta(days=i), kind="holiday", name="国庆节")
                                         for i in range(2)])
        calendar_year_mark_official(year=year, source="测试")
        assert sessions_replan_provisional(year=year) == 2
        assert sessions_replan_provisional(year=year) == 0  # a re-run moves nothing twice
        moved = sessions.get(planned_on=october)
        assert (moved.date, moved.version, moved.provisional) == (october + dt.timedelta(days=2), 2, False)
        assert sessions.get(planned_on=october + dt.timedelta(days=1)).date == october + dt.timedelta(days=3)
        assert not sessions.filter(provisional=True).exists()
        assert sessions.filter(version=1).count() == 22  # the rest are confirmed where they are
        corrections = Message.objects.filter(dedupe_key__startswith=f"reception:{moved.pk}:", kind="reception.changed")
        assert corrections.count() == 1 and "因节假日调整为" in corrections.get().body
