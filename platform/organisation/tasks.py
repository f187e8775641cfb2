from celery import shared_task

from organisation.services.jobs import import_job_run as run
from organisation.services.scheduled_redivision import apply_due


@shared_task(name="organisation.tasks.import_job_run", ignore_result=True)
def import_job_run(job_id: int) -> None:
    """A workbook imported in the background (organisation.services.jobs); safe to run again."""
    run(job_id=job_id)


@shared_task(name="organisation.tasks.apply_scheduled_redivisions", ignore_result=True)
def apply_scheduled_redivisions() -> int:
    """Daily, per county (beat -> tenants.tasks.fan_out): the re-divisions due by the county's date take effect;
    a rerun acts on nothing twice (each row is decided under its lock)."""
    return apply_due()
