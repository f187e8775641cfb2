"""The organisation import page (组织架构导入): download the template, upload a filled-in workbook and see
its errors per sheet and row or what was imported, export the county's organisation. A large workbook is
imported in the background; its page follows the job (htmx polls the progress) until the result is in."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor, require
from core.xlsx import xlsx_attachment
from frontend.forms import XlsxUploadForm
from frontend.pages import member_required
from frontend.views.imports import import_page, import_posted, job_page
from organisation.models import ImportJob
from organisation.selectors import import_job_for
from organisation.services.workbook import SHEETS, organisation_export, organisation_import, organisation_template


class WorkbookUploadForm(XlsxUploadForm):
    label = gettext_lazy("组织架构文件（.xlsx）")


def _counts_table(counts: dict) -> list[tuple[str, int, int]]:
    """(sheet title, created, updated) of an import's counts."""
    return [(str(s.title), counts.get(f"{s.key}_created", 0), counts.get(f"{s.key}_updated", 0)) for s in SHEETS]


@member_required
def workbook_page(request, actor: Actor):
    require(actor.is_admin)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    background, result = import_posted(request, actor, form, ImportJob.Kind.ORGANISATION, "frontend:org_import_job",
                                       organisation_import)
    if background is not None:
        return background
    if result is not None and result.ok:
        messages.success(request, _("导入成功：共 %(rows)d 行。") % {"rows": result.rows})
        request.session["org_import_last"] = result.counts()
        return redirect("frontend:org_import")
    last = request.session.get("org_import_last") if request.method == "GET" else None
    return import_page(request, "frontend/organisation/import.html", form, result, "org_import_last", {
        "errors": result.errors if result else [], "last_table": _counts_table(last) if last else None})


@member_required
def workbook_job(request, actor: Actor, pk: int):
    require(actor.is_admin)
    job = import_job_for(actor, pk, ImportJob.Kind.ORGANISATION)
    return job_page(request, actor, pk, ImportJob.Kind.ORGANISATION,
                    job_url=reverse("frontend:org_import_job", args=[pk]), back_url=reverse("frontend:org_import"),
                    counts_template="frontend/organisation/_import_counts.html",
                    counts={"last_table": _counts_table(job.result["counts"]) if "counts" in job.result else None})


@member_required
def workbook_template(request, actor: Actor):
    require(actor.is_admin)
    return xlsx_attachment(organisation_template(), filename=_("组织架构模板.xlsx"), ascii_fallback="organisation.xlsx")


@member_required
def workbook_export(request, actor: Actor):
    require(actor.is_admin)
    return xlsx_attachment(organisation_export(actor=actor), filename=_("组织架构.xlsx"),
                           ascii_fallback="organisation.xlsx")
