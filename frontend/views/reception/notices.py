"""出勤通报: the county starts a yearly statement job and watches its progress; deputies read their own
notice; the absence steps (talk, resignation request) are recorded here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required
from reception.models import AbsenceRule, AttendanceNoticeJob
from reception.selectors import absence_steps_visible_to, notice_jobs_visible_to, notices_visible_to
from reception.services.notices import RULE_FIELDS, absence_rule_update, absence_step_done, notice_job_start

from .forms import AbsenceRuleForm, NoteForm, NoticeJobForm


@member_required
def notices_page(request, actor: Actor):
    job_form = NoticeJobForm(initial={"year": timezone.localdate().year - 1})
    rule_form = AbsenceRuleForm(instance=AbsenceRule.current()) if actor.is_admin else None
    if request.method == "POST" and actor.is_admin and "rule" in request.POST:
        rule_form = AbsenceRuleForm(request.POST, instance=AbsenceRule.current())
        if rule_form.is_valid():
            try:
                absence_rule_update(actor=actor, **{k: rule_form.cleaned_data[k] for k in RULE_FIELDS})
            except ValidationError as exc:
                errors_onto(rule_form, exc)
            else:
                messages.success(request, _("已保存缺席处理规则。"))
                return redirect("frontend:reception_notices")
    elif request.method == "POST":
        job_form = NoticeJobForm(request.POST)
        if job_form.is_valid():
            try:
                job = notice_job_start(actor=actor, year=job_form.cleaned_data["year"])
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                errors_onto(job_form, exc)
            else:
                messages.success(request, _("已开始生成%(y)d年度出勤通报。") % {"y": job.year})
                return redirect("frontend:reception_notices")
    jobs = list(notice_jobs_visible_to(actor)[:10])
    running = any(j.status in (AttendanceNoticeJob.Status.QUEUED, AttendanceNoticeJob.Status.RUNNING) for j in jobs)
    return render(request, "frontend/reception/notices.html", {
        "jobs": jobs, "running": running, "job_form": job_form if actor.is_admin else None, "rule_form": rule_form,
        "mine": list(notices_visible_to(actor).filter(deputy_id=actor.deputy_id)) if actor.deputy_id else [],
        "steps": list(absence_steps_visible_to(actor)[:200]), "note_form": NoteForm()})


@member_required
def notice_pdf(request, actor: Actor, pk: int):
    notice = get_object_or_404(notices_visible_to(actor), pk=pk)
    return FileResponse(notice.pdf.open("rb"), content_type="application/pdf",
                        filename=f"attendance-{notice.year}-{notice.deputy_id}.pdf")


@require_POST
@member_required
def absence_step_page(request, actor: Actor, pk: int):
    step = get_object_or_404(absence_steps_visible_to(actor), pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            absence_step_done(actor=actor, step=step, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已记录处理情况。"))
    else:
        messages.error(request, _("请填写处理情况。"))
    return redirect("frontend:reception_notices")
