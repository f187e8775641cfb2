"""Reception's periodic work, fanned out per county by beat (see config/celery.py). Each task is
idempotent: reminders and notices carry dedupe keys, publishing skips sessions already there."""

from celery import shared_task
from django.utils import timezone

from reception.services.notices import notice_job_run, notice_job_yearly
from reception.services.reminders import reminders_send_due
from reception.services.schedule import sessions_publish_all, sessions_replan_provisional


@shared_task(name="reception.tasks.send_due_reminders", ignore_result=True)
def send_due_reminders() -> int:
    return reminders_send_due()


@shared_task(name="reception.tasks.publish_next_year", ignore_result=True)
def publish_next_year() -> int:
    return sessions_publish_all(year=timezone.localdate().year + 1)


@shared_task(name="reception.tasks.build_attendance_notices", ignore_result=True)
def build_attendance_notices(job_id: int) -> None:
    notice_job_run(job_id=job_id)


@shared_task(name="reception.tasks.yearly_attendance_notices", ignore_result=True)
def yearly_attendance_notices() -> None:
    """Each January: last year's notices for every deputy of the county (once a year, however often run)."""
    notice_job_yearly(year=timezone.localdate().year - 1)


@shared_task(name="reception.tasks.replan_provisional_sessions", ignore_result=True)
def replan_provisional_sessions(year: int) -> int:
    """Sent to every county when `year` becomes official (workdays.services.calendar_year_mark_official)."""
    return sessions_replan_provisional(year=year)
