"""Attendance notices (004): a yearly statement to each deputy of their own attendance and that of the
others at their station, as a PDF, built by a Celery job whose progress the requester sees; then the
county's absence steps (a talk, then a resignation request) flagged for the deputies past its thresholds."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from core.pdf import pdf_document
from core.tasks import enqueue_on_commit
from notifications.models import Channel
from notifications.services import Outgoing, messages_enqueue
from organisation.models import Venue
from people.models import Deputy
from reception.models import AbsenceRule, AbsenceStep, AttendanceNotice, AttendanceNoticeJob
from reception.selectors import Tally, YearAttendance, year_attendance

from .common import county_name, may_manage_venue

RULE_FIELDS = ("talk_after_absences", "resignation_after_absences", "notify_employer")


@transaction.atomic
def absence_rule_update(*, actor: Actor, **fields) -> AbsenceRule:
    require(actor.is_admin)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    rule = AbsenceRule.current()
    rule = AbsenceRule.objects.select_for_update().get(pk=rule.pk)
    for name, value in fields.items():
        setattr(rule, name, value)
    if rule.talk_after_absences and rule.resignation_after_absences \
            and rule.resignation_after_absences <= rule.talk_after_absences:
        raise ValidationError({"resignation_after_absences": _("劝辞的缺席次数应多于约谈的缺席次数。")})
    rule.save()
    audit_record(actor=actor, action="reception.absence_rule", target=rule, data={k: str(v) for k, v in fields.items()})
    return rule


@transaction.atomic
def notice_job_start(*, actor: Actor, year: int, venue: Venue | None = None) -> AttendanceNoticeJob:
    """On demand: the county for everyone, a station's managers for their station."""
    require(actor.is_admin if venue is None else may_manage_venue(actor, venue))
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("年度不正确：只能为今年或以前的年度生成出勤通报。")})
    job = AttendanceNoticeJob.objects.create(year=year, venue=venue, requested_by=actor.account_id)
    enqueue_on_commit("reception.tasks.build_attendance_notices", job.pk)
    audit_record(actor=actor, action="reception.notice_job", target=job, data={"year": year})
    return job


def notice_job_yearly(*, year: int) -> AttendanceNoticeJob | None:
    """The yearly job, made once per year however often beat asks; run here, in the beat's task."""
    try:
        with transaction.atomic():
            job = AttendanceNoticeJob.objects.create(year=year, scheduled=True)
    except IntegrityError:
        job = AttendanceNoticeJob.objects.get(year=year, scheduled=True)
        if job.status == AttendanceNoticeJob.Status.DONE:
            return job
    notice_job_run(job_id=job.pk)
    return job


def _statement(deputy: Deputy, year: int, data: YearAttendance, names: dict[int, str],
               venue_names: dict[int, str], rule: AbsenceRule) -> bytes:
    own = data.by_deputy[deputy.pk]
    county = county_name()
    venues = sorted(data.venues_of.get(deputy.pk, ()), key=lambda v: venue_names.get(v, ""))
    blocks: list = [
        ("p", _("%(name)s代表：") % {"name": deputy.account.name}),
        ("p", _("%(year)d年，您被安排在%(venues)s值班接待选民 %(sessions)d 次，"
                "出席 %(present)d 次（其中迟到 %(late)d 次、早退 %(early)d 次），"
                "请假 %(excused)d 次，缺席 %(absent)d 次，出勤率 %(rate)d%%。") % {
            "year": year, "venues": "、".join(venue_names[v] for v in venues), "sessions": own.sessions,
            "present": own.present, "late": own.late, "early": own.left_early, "excused": own.excused,
            "absent": own.absent, "rate": own.rate}),
    ]
    header = [_("代表"), _("应出席"), _("出席"), _("请假"), _("缺席"), _("迟到"), _("早退"), _("出勤率")]
    for venue in venues:
        blocks.append(("h", _("%(venue)s代表出勤情况") % {"venue": venue_names[venue]}))
        tallies = sorted(data.by_venue[venue].items(), key=lambda item: names.get(item[0], ""))
        blocks.append(("table", [header] + [
            [names.get(d, ""), t.sessions, t.present, t.excused, t.absent, t.late, t.left_early, f"{t.rate}%"]
            for d, t in tallies]))
    blocks.append(("p", _("%(county)s人民代表大会常务委员会　%(day)s") % {
        "county": county, "day": timezone.localdate().strftime("%Y年%m月%d日")}))
    if rule.notify_employer and deputy.employer:
        blocks += [("pagebreak", None), ("p", _("%(employer)s：") % {"employer": deputy.employer}),
                   ("p", _("现将贵单位%(name)s同志%(year)d年度履行人大代表接待选民职责的出勤情况通报如下："
                           "应出席 %(s)d 次，出席 %(p)d 次，请假 %(e)d 次，缺席 %(a)d 次。请支持代表依法履职。") % {
                       "name": deputy.account.name, "year": year, "s": own.sessions, "p": own.present,
                       "e": own.excused, "a": own.absent}),
                   ("p", _("%(county)s人民代表大会常务委员会") % {"county": county})]
    return pdf_document(title=_("%(county)s人大代表%(year)d年度接待日出勤通报") % {"county": county, "year": year},
                        blocks=blocks, author=county)


def notice_job_run(*, job_id: int) -> AttendanceNoticeJob:
    """Build the job's notices, one committed deputy at a time so the progress shows and a retried run
    (a worker killed mid-job) carries on where it stopped: a deputy with a notice in this job is skipped."""
    claimed = AttendanceNoticeJob.objects.filter(
        pk=job_id, status__in=[AttendanceNoticeJob.Status.QUEUED, AttendanceNoticeJob.Status.RUNNING]
    ).update(status=AttendanceNoticeJob.Status.RUNNING)
    job = AttendanceNoticeJob.objects.get(pk=job_id)
    if not claimed:
        return job
    try:
        data = year_attendance(job.year, venue_id=job.venue_id)
        deputies = {d.pk: d for d in Deputy.objects.filter(pk__in=list(data.by_deputy)).select_related("account")}
        names = {pk: d.account.name for pk, d in deputies.items()}
        venue_names = dict(Venue.objects.filter(pk__in={v for vs in data.venues_of.values() for v in vs})
                           .values_list("pk", "name"))
        rule = AbsenceRule.current()
        AttendanceNoticeJob.objects.filter(pk=job.pk).update(total=len(deputies))
        done = set(job.notices.values_list("deputy_id", flat=True))
        for deputy in sorted(deputies.values(), key=lambda d: d.account.name):
            if deputy.pk in done:
                continue
            _notice_one(job, deputy, data.by_deputy[deputy.pk],
                        _statement(deputy, job.year, data, names, venue_names, rule))
        _flag_absences(job.year, data, rule)
        AttendanceNoticeJob.objects.filter(pk=job.pk).update(status=AttendanceNoticeJob.Status.DONE,
                                                             finished_at=timezone.now())
    except Exception as exc:
        AttendanceNoticeJob.objects.filter(pk=job.pk).update(status=AttendanceNoticeJob.Status.FAILED,
                                                             error=str(exc)[:300], finished_at=timezone.now())
        raise
    job.refresh_from_db()
    return job


@transaction.atomic
def _notice_one(job: AttendanceNoticeJob, deputy: Deputy, tally: Tally, pdf: bytes) -> None:
    notice = AttendanceNotice(job=job, deputy=deputy, year=job.year, sessions=tally.sessions, present=tally.present,
                              excused=tally.excused, absent=tally.absent, late=tally.late,
                              left_early=tally.left_early)
    notice.pdf.save(f"notice-{job.pk}-{deputy.pk}.pdf", ContentFile(pdf), save=False)
    notice.save()
    text = _("【%(county)s人大】%(name)s代表：您的%(year)d年度接待日出勤通报已生成（出席%(p)d次，缺席%(a)d次），"
             "请登录代表之家·联络站查看。") % {"county": county_name(), "name": deputy.account.name, "year": job.year,
                                      "p": tally.present, "a": tally.absent}
    messages_enqueue([
        Outgoing(dedupe_key=f"notice:{job.pk}:{deputy.pk}:sms", kind="reception.notice", body=text,
                 account_id=deputy.account_id, mobile=deputy.account.mobile),
        Outgoing(dedupe_key=f"notice:{job.pk}:{deputy.pk}:app", kind="reception.notice", body=text,
                 account_id=deputy.account_id, channel=Channel.IN_APP),
    ])
    AttendanceNoticeJob.objects.filter(pk=job.pk).update(done=F("done") + 1)


def _flag_absences(year: int, data: YearAttendance, rule: AbsenceRule) -> None:
    steps = [(AbsenceStep.Kind.TALK, rule.talk_after_absences),
             (AbsenceStep.Kind.RESIGNATION_REQUEST, rule.resignation_after_absences)]
    rows = [AbsenceStep(deputy_id=deputy_id, year=year, kind=kind, absences=tally.absent)
            for deputy_id, tally in data.by_deputy.items()
            for kind, threshold in steps if threshold and tally.absent >= threshold]
    AbsenceStep.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def absence_step_done(*, actor: Actor, step: AbsenceStep, note: str) -> AbsenceStep:
    """Record that the talk was held or the request made: who, when, what was said."""
    require(actor.is_admin or bool(actor.township_ids))
    step = AbsenceStep.objects.select_for_update().get(pk=step.pk)
    if step.status == AbsenceStep.Status.DONE:
        raise ValidationError(_("该事项已处理。"))
    if not note.strip():
        raise ValidationError({"note": _("请填写处理情况。")})
    if step.kind == AbsenceStep.Kind.RESIGNATION_REQUEST and not AbsenceStep.objects.filter(
            deputy_id=step.deputy_id, year=step.year, kind=AbsenceStep.Kind.TALK,
            status=AbsenceStep.Status.DONE).exists() and AbsenceRule.current().talk_after_absences:
        raise ValidationError(_("应先约谈，再劝辞。"))
    step.status, step.note, step.done_at, step.done_by = (AbsenceStep.Status.DONE, note.strip(), timezone.now(),
                                                          actor.account_id)
    step.save(update_fields=["status", "note", "done_at", "done_by"])
    audit_record(actor=actor, action="reception.absence_step", target=step, data={"kind": step.kind})
    return step
