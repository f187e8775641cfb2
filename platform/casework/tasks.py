from celery import shared_task

from casework.services import deadline_scan as scan


@shared_task(name="casework.tasks.deadline_scan", ignore_result=True)
def deadline_scan() -> int:
    """Daily, per county (beat -> tenants.tasks.fan_out): deadline reminders; idempotent by dedupe key."""
    return scan()
