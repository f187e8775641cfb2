"""What the import pages share: a large file handed to a background job (organisation.services.jobs), and
the job's page, which htmx polls for its progress until the result -- counts or errors per row -- is in."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from access.scope import Actor
from organisation.models import ImportJob
from organisation.selectors import import_job_for, import_job_progress
from organisation.services import jobs

PHASES = {"reading": gettext_lazy("正在读取文件"), "checking": gettext_lazy("正在逐行校验"),
          "writing": gettext_lazy("正在写入")}


def in_background(actor: Actor, kind: str, upload, content: bytes, job_page: str):
    """A redirect to the job's page when the file is large enough to import in the background, else None."""
    if len(content) < jobs.BACKGROUND_BYTES:
        return None
    job = jobs.import_job_start(actor=actor, kind=kind, content=content, filename=upload.name)
    return redirect(job_page, pk=job.pk)


def import_posted(request, actor: Actor, form, kind: str, job_page: str, importer):
    """What an import page does with its upload form: (a redirect to the background job, None) for a large
    file, (None, importer(actor=, content=)'s result) for one imported here, (None, None) when nothing valid
    was posted."""
    if request.method != "POST" or not form.is_valid():
        return None, None
    upload = form.cleaned_data["file"]
    content = upload.read()
    background = in_background(actor, kind, upload, content, job_page)
    if background is not None:
        return background, None
    return None, importer(actor=actor, content=content)


def import_page(request, template: str, form, result, session_key: str, context: dict):
    """The import page after an upload: the last import's counts once (after its redirect), the form, and a
    400 when the file was refused."""
    last = request.session.pop(session_key, None) if request.method == "GET" else None
    refused = form.errors or (result is not None and not result.ok)
    return render(request, template, {"form": form, "last": last, **context}, status=400 if refused else 200)


def job_page(request, actor: Actor, pk: int, kind: str, *, job_url: str, back_url: str, counts_template: str,
             counts: dict | None = None):
    """The job's page, or (asked by htmx) its fragment alone. `counts` adds to the finished job's context."""
    job = import_job_for(actor, pk, kind)
    progress = import_job_progress(job)
    context = {
        "job": job, "progress": progress, "phase": PHASES.get(progress["phase"]) if progress else None,
        "percent": (100 * progress["done"] // progress["total"]) if progress and progress["total"] else 0,
        "errors": job.result.get("errors", []), "last": job.result.get("counts"), **(counts or {}),
        "job_url": job_url, "back_url": back_url, "counts_template": counts_template,
        "sheets": kind == ImportJob.Kind.ORGANISATION,
    }
    if request.headers.get("HX-Request"):
        return render(request, "frontend/imports/_job.html", context)
    return render(request, "frontend/imports/job.html", context)
