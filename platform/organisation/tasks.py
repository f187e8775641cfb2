from celery import shared_task

from organisation.services.jobs import import_job_run as run


@shared_task(name="organisation.tasks.import_job_run", ignore_result=True)
def import_job_run(job_id: int) -> None:
    """A workbook imported in the background (organisation.services.jobs); safe to run again."""
    run(job_id=job_id)
