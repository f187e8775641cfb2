"""Large workbooks imported in the background: the web request keeps the file and answers at once, a
worker runs the import, and the page and the API show its progress and then its result.

The apps that import workbooks register a runner per kind (IMPORT_RUNNERS, from their AppConfig.ready():
building the acting person needs people, above this app). A runner gets the job and a progress callback
and returns the import's result (.ok, .errors, .counts()).

Retried tasks do not import twice: the job is locked, and its result and status are written in the
import's own transaction, so a finished job is never run again and an interrupted one left nothing.
Progress goes to the cache (the import's transaction hides its own writes until commit); with the cache
down the page shows the job as waiting until it is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from access.scope import Actor, require
from audit.services import audit_record
from core.tasks import enqueue_on_commit
from organisation.models import ImportJob
from organisation.selectors import PROGRESS_SECONDS, progress_key

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (phase, rows done, rows in all)
IMPORT_RUNNERS: dict[str, Callable[[ImportJob, Progress], Any]] = {}
# Who may start a job of a kind (as the import of that kind itself checks again when it runs).
IMPORT_ALLOWED: dict[str, Callable[[Actor], bool]] = {ImportJob.Kind.ORGANISATION: lambda actor: actor.is_admin}
BACKGROUND_BYTES = 256 * 1024  # files from this size import in the background (a county's organisation: ~40 KB)


@transaction.atomic
def import_job_start(*, actor: Actor, kind: str, content: bytes, filename: str = "") -> ImportJob:
    require(actor.account_id is not None and IMPORT_ALLOWED.get(kind, lambda _actor: False)(actor))
    job = ImportJob.objects.create(kind=kind, content=content, filename=filename[:200],
                                   created_by_id=actor.account_id or 0)
    audit_record(actor=actor, action="import_job.start", target=job,
                 data={"kind": kind, "filename": job.filename, "bytes": len(content)})
    enqueue_on_commit("organisation.tasks.import_job_run", job.pk)
    return job


def import_job_run(*, job_id: int) -> None:
    """Run a queued job (the task's body); a finished or unknown job is left alone."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return
        runner = IMPORT_RUNNERS[job.kind]

        def progress(phase: str, done: int, total: int) -> None:
            cache.set(progress_key(job_id), {"phase": phase, "done": done, "total": total}, PROGRESS_SECONDS)

        progress("reading", 0, 0)
        result = runner(job, progress)
        job.status = ImportJob.Status.DONE if result.ok else ImportJob.Status.REFUSED
        job.result = ({"counts": result.counts()} if result.ok
                      else {"errors": [error.as_dict() for error in result.errors]})
        job.content = b""
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "result", "content", "finished_at"])
    cache.delete(progress_key(job_id))
