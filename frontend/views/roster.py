"""The roster page (名册导入): download the template, upload a filled-in file and see its errors per row
or what was imported, export the roster. For the county administrator and township staff."""

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
from people.selectors import deputies_managed_by
from people.services.roster import roster_export, roster_import, roster_template


class RosterUploadForm(XlsxUploadForm):
    label = gettext_lazy("名册文件（.xlsx）")


def _roster_staff(actor: Actor) -> None:
    require(actor.is_admin or actor.is_township_staff)


@member_required
def roster_page(request, actor: Actor):
    _roster_staff(actor)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    background, result = import_posted(request, actor, form, ImportJob.Kind.ROSTER, "frontend:roster-job",
                                       roster_import)
    if background is not None:
        return background
    if result is not None and result.ok:
        messages.success(request, _("导入成功：新增代表 %(created)d 名，更新 %(updated)d 名。") % {
            "created": result.created, "updated": result.updated})
        request.session["roster_last"] = result.counts()
        return redirect("frontend:roster")
    return import_page(request, "frontend/roster/import.html", form, result, "roster_last",
                       {"result": result, "is_admin": actor.is_admin})


@member_required
def roster_job(request, actor: Actor, pk: int):
    _roster_staff(actor)
    return job_page(request, actor, pk, ImportJob.Kind.ROSTER, job_url=reverse("frontend:roster-job", args=[pk]),
                    back_url=reverse("frontend:roster"), counts_template="frontend/roster/_counts.html")


@member_required
def roster_template_download(request, actor: Actor):
    _roster_staff(actor)
    return xlsx_attachment(roster_template(), filename=_("代表名册模板.xlsx"), ascii_fallback="roster.xlsx")


@member_required
def roster_export_download(request, actor: Actor):
    _roster_staff(actor)
    return xlsx_attachment(roster_export(actor=actor, deputies=deputies_managed_by(actor)), filename=_("代表名册.xlsx"),
                     ascii_fallback="roster.xlsx")
