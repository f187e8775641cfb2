from celery import shared_task

from casework.services import constituents_pseudonymise
from casework.services import deadline_scan as scan


@shared_task(name="casework.tasks.deadline_scan", ignore_result=True)
def deadline_scan() -> int:
    """Daily, per county (beat -> tenants.tasks.fan_out): deadline reminders; idempotent by dedupe key."""
    return scan()


@shared_task(name="casework.tasks.pseudonymise_constituents", ignore_result=True)
def pseudonymise_constituents() -> int:
    """Daily, per county (fan-out): constituents' names and mobiles removed N days after their case closed."""
    return constituents_pseudonymise()
