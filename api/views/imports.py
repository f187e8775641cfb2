"""What the import endpoints share: a large file handed to a background job (202 with the job to follow),
and the job's state -- its progress while it runs, then its counts or its errors per row."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from access.scope import Actor
from api.views.base import ROW_ERRORS, refused, xlsx_upload
from organisation.models import ImportJob
from organisation.selectors import import_job_progress
from organisation.services import jobs


def job_serializer(name: str, counts: serializers.Serializer) -> serializers.Serializer:
    return inline_serializer(name, {
        "id": serializers.IntegerField(),
        "status": serializers.ChoiceField(choices=ImportJob.Status.choices),
        "progress": inline_serializer(f"{name}Progress", {
            "phase": serializers.ChoiceField(choices=["reading", "checking", "writing"]),
            "done": serializers.IntegerField(), "total": serializers.IntegerField()}, allow_null=True),
        "counts": counts,
        "errors": ROW_ERRORS.fields["errors"],
        "url": serializers.CharField(),
    })


def job_data(request, job: ImportJob, url_name: str) -> dict:
    return {"id": job.pk, "status": job.status, "progress": import_job_progress(job),
            "counts": job.result.get("counts"), "errors": job.result.get("errors", []),
            "url": request.build_absolute_uri(reverse(url_name, args=[job.pk]))}


def in_background(request, actor: Actor, kind: str, content: bytes, url_name: str) -> Response | None:
    """202 with the job when the file is large enough to import in the background, else None."""
    if len(content) < jobs.BACKGROUND_BYTES:
        return None
    job = jobs.import_job_start(actor=actor, kind=kind, content=content, filename=request.FILES["file"].name)
    return Response(job_data(request, job, url_name), status=status.HTTP_202_ACCEPTED)


def import_upload(request, actor: Actor, *, kind: str, url_name: str, run: Callable) -> Response:
    """An uploaded workbook: refused unread (400), handed to a background job when large (202), or imported now
    by `run(actor=, content=)`, answering its counts or its errors per row (nothing written)."""
    content = xlsx_upload(request)
    if isinstance(content, Response):
        return content
    background = in_background(request, actor, kind, content, url_name)
    if background is not None:
        return background
    result = run(actor=actor, content=content)
    return Response(result.counts()) if result.ok else refused(result.errors)
