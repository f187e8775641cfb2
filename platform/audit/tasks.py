"""Beat work of the audit: archiving expired rows, per county (fan-out) and for the platform (public)."""

from celery import shared_task

from .archiving import audit_archive_expired


@shared_task(name="audit.tasks.archive_expired", ignore_result=True)
def archive_expired() -> int:
    """Idempotent: a second run finds nothing older than the retention period."""
    return audit_archive_expired()
