"""Attendance notices (004): each year a statement to every deputy of their own attendance and that of
the others at their station, built by a job whose progress the requester sees; and the county's optional
steps for long absence — a talk (约谈), then a request to resign (劝辞)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.rules import CountyRule


class AbsenceRule(CountyRule):
    """One row per county; 0 switches a step off."""

    talk_after_absences = models.PositiveSmallIntegerField(_("缺席多少次约谈"), default=3,
                                                           help_text=_("一年内缺席接待的次数，0 表示不启用"))
    resignation_after_absences = models.PositiveSmallIntegerField(_("缺席多少次劝辞"), default=6,
                                                                  help_text=_("0 表示不启用"))
    notify_employer = models.BooleanField(_("同时通报代表所在单位"), default=False)

    class Meta:
        verbose_name = _("缺席处理规则")
        verbose_name_plural = _("缺席处理规则")

    def __str__(self) -> str:
        return f"{self.talk_after_absences}/{self.resignation_after_absences}"



class AttendanceNoticeJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    year = models.PositiveSmallIntegerField(_("年度"))
    venue = models.ForeignKey("organisation.Venue", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", verbose_name=_("站点"), help_text=_("空表示全县"))
    requested_by = models.BigIntegerField(_("发起人账号"), null=True, blank=True)
    scheduled = models.BooleanField(_("年度定时任务"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("代表人数"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("出勤通报任务")
        verbose_name_plural = _("出勤通报任务")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["year"], condition=Q(scheduled=True),
                                               name="notice_job_one_scheduled_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)


def notice_path(instance: "AttendanceNotice", filename: str) -> str:
    return f"attendance-notices/{instance.year}/{filename}"


class AttendanceNotice(models.Model):
    job = models.ForeignKey(AttendanceNoticeJob, on_delete=models.CASCADE, related_name="notices")
    deputy = models.ForeignKey("people.Deputy", on_delete=models.CASCADE, related_name="attendance_notices")
    year = models.PositiveSmallIntegerField(_("年度"))
    sessions = models.PositiveIntegerField(_("应出席"), default=0)
    present = models.PositiveIntegerField(_("出席"), default=0)
    excused = models.PositiveIntegerField(_("请假"), default=0)
    absent = models.PositiveIntegerField(_("缺席"), default=0)
    late = models.PositiveIntegerField(_("迟到"), default=0)
    left_early = models.PositiveIntegerField(_("早退"), default=0)
    pdf = models.FileField(_("通报文件"), upload_to=notice_path)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("出勤通报")
        verbose_name_plural = _("出勤通报")
        ordering = ["-year", "deputy_id"]
        constraints = [models.UniqueConstraint(fields=["job", "deputy"], name="notice_unique_per_job")]

    def __str__(self) -> str:
        return f"{self.year} · {self.deputy_id}"


class AbsenceStep(models.Model):
    """A deputy flagged by the absence rule for a talk or a resignation request, and what was done."""

    class Kind(models.TextChoices):
        TALK = "talk", _("约谈")
        RESIGNATION_REQUEST = "resignation_request", _("劝辞")

    class Status(models.TextChoices):
        FLAGGED = "flagged", _("待处理")
        DONE = "done", _("已处理")

    deputy = models.ForeignKey("people.Deputy", on_delete=models.CASCADE, related_name="absence_steps")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("措施"), max_length=24, choices=Kind.choices)
    absences = models.PositiveIntegerField(_("缺席次数"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.FLAGGED)
    note = models.TextField(_("处理情况"), blank=True)
    flagged_at = models.DateTimeField(_("提示时间"), auto_now_add=True)
    done_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    done_by = models.BigIntegerField(_("处理人账号"), null=True, blank=True)

    class Meta:
        verbose_name = _("缺席处理")
        verbose_name_plural = _("缺席处理")
        ordering = ["-year", "deputy_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["deputy", "year", "kind"], name="absence_step_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.deputy_id} {self.get_kind_display()}"
