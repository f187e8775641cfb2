"""Reception days (接待日): a schedule rule per station, the sessions it publishes, their rota, sign-in and
what was received.

Source 000: the first Monday of every month and the day after it, moved to the next working days when
they fall on a public holiday. Source 004: 2–3 prefecture-level and at least 5 county deputies per station.
"""

import datetime as dt
import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organisation.selectors import venue_township_on

DEFAULT_RRULE = "FREQ=MONTHLY;BYDAY=1MO"


def new_token() -> str:
    return secrets.token_urlsafe(16)


class ReceptionSchedule(models.Model):
    """A station's reception rule: an RFC 5545 recurrence for the first day of each reception, how many
    consecutive working days it lasts, the hours, and the rota's composition."""

    venue = models.OneToOneField("organisation.Venue", on_delete=models.CASCADE, related_name="reception_schedule",
                                 verbose_name=_("站点"))
    rrule = models.CharField(_("重复规则（RFC 5545）"), max_length=200, default=DEFAULT_RRULE,
                             help_text=_("默认每月第一个星期一：FREQ=MONTHLY;BYDAY=1MO"))
    days_per_reception = models.PositiveSmallIntegerField(_("每次接待天数"), default=2)
    starts_at = models.TimeField(_("开始时间"), default=dt.time(9, 0))
    ends_at = models.TimeField(_("结束时间"), default=dt.time(17, 0))
    move_off_holidays = models.BooleanField(_("遇法定节假日顺延至工作日"), default=True)
    prefecture_deputies_min = models.PositiveSmallIntegerField(_("州（市）级代表最少人数"), default=2)
    prefecture_deputies_max = models.PositiveSmallIntegerField(_("州（市）级代表最多人数"), default=3)
    county_deputies_min = models.PositiveSmallIntegerField(_("县级代表最少人数"), default=5)
    sign_in_token = models.CharField(_("签到码"), max_length=40, default=new_token, unique=True)

    class Meta:
        verbose_name = _("接待日安排规则")
        verbose_name_plural = _("接待日安排规则")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="reception_schedule_hours"),
            models.CheckConstraint(condition=Q(days_per_reception__gte=1) & Q(days_per_reception__lte=7),
                                   name="reception_schedule_days"),
        ]

    def __str__(self) -> str:
        return f"{self.venue} · {self.rrule}"


class ReceptionSession(models.Model):
    """One reception day at one station. `planned_on` is the day the rule gave (the session's identity);
    `date` is when it is held after a holiday move or a move by staff. Each move or cancellation bumps
    `version`, which the reminders' dedupe keys carry, so a correction goes out once per change."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        CANCELLED = "cancelled", _("已取消")

    venue = models.ForeignKey("organisation.Venue", on_delete=models.PROTECT, related_name="reception_sessions",
                              verbose_name=_("站点"))
    planned_on = models.DateField(_("规则日期"))
    date = models.DateField(_("接待日期"), db_index=True)
    # The venue's township on the session's date (the place of its day): a later re-division moves the venue,
    # not the days already held there. Kept by save() whenever the venue or the date is written.
    township = models.ForeignKey("organisation.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("所属乡镇"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    version = models.PositiveIntegerField(_("版本"), default=1)
    change_reason = models.CharField(_("调整原因"), max_length=200, blank=True)
    # Planned on a year whose holidays were not official yet (暂定): kept on the row, not derived from the
    # calendar at read time, because the re-plan when the year becomes official must find exactly these
    # sessions, and clears the flag in the same update that moves one (so it moves, and tells, once).
    provisional = models.BooleanField(_("暂定"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        ordering = ["date", "venue_id"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "planned_on"], name="reception_session_unique_planned"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="reception_session_hours"),
        ]
        indexes = [models.Index(fields=["status", "date"], name="reception_session_due")]

    def __str__(self) -> str:
        return f"{self.venue} {self.date:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields is None or {"venue", "venue_id", "date"} & set(fields):
            self.township_id = venue_township_on(self.venue_id, self.date)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "township"}
        super().save(*args, **kwargs)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class RotaEntry(models.Model):
    """A deputy on a session's rota (值班代表)."""

    session = models.ForeignKey(ReceptionSession, on_delete=models.CASCADE, related_name="rota")
    deputy = models.ForeignKey("people.Deputy", on_delete=models.PROTECT, related_name="rota_entries",
                               verbose_name=_("代表"))
    excused = models.BooleanField(_("已请假"), default=False)
    excuse = models.CharField(_("请假事由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        constraints = [models.UniqueConstraint(fields=["session", "deputy"], name="rota_unique_deputy")]

    def __str__(self) -> str:
        return f"{self.session} · {self.deputy_id}"


class Attendance(models.Model):
    """A deputy's presence at a session: signed in by scanning the station's code, or marked by staff."""

    class Method(models.TextChoices):
        QR = "qr", _("扫码签到")
        STAFF = "staff", _("工作人员登记")

    session = models.ForeignKey(ReceptionSession, on_delete=models.CASCADE, related_name="attendances")
    deputy = models.ForeignKey("people.Deputy", on_delete=models.PROTECT, related_name="attendances",
                               verbose_name=_("代表"))
    signed_in_at = models.DateTimeField(_("签到时间"))
    signed_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    method = models.CharField(_("方式"), max_length=8, choices=Method.choices)
    late = models.BooleanField(_("迟到"), default=False)
    left_early = models.BooleanField(_("早退"), default=False)
    recorded_by = models.BigIntegerField(_("登记人账号"), null=True, blank=True)

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [models.UniqueConstraint(fields=["session", "deputy"], name="attendance_unique_deputy")]

    def __str__(self) -> str:
        return f"{self.session} · {self.deputy_id}"


class ReceptionRecord(models.Model):
    """What a session received: how many visitors, their names only with their consent, and a summary.
    Each issue raised is a ReceptionIssue, which becomes an opinion in casework."""

    session = models.OneToOneField(ReceptionSession, on_delete=models.CASCADE, related_name="record")
    visitors_count = models.PositiveIntegerField(_("接待群众人次"))
    visitor_names = models.TextField(_("来访群众姓名（经本人同意）"), blank=True)
    names_consented = models.BooleanField(_("来访群众同意登记姓名"), default=False)
    summary = models.TextField(_("接待情况"), blank=True)
    recorded_by = models.BigIntegerField(_("登记人账号"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    class Meta:
        verbose_name = _("接待记录")
        verbose_name_plural = _("接待记录")

    def __str__(self) -> str:
        return f"{self.session} · {self.visitors_count}"


class ReceptionIssue(models.Model):
    record = models.ForeignKey(ReceptionRecord, on_delete=models.CASCADE, related_name="issues")
    content = models.TextField(_("反映的问题"))
    village = models.ForeignKey("organisation.Village", on_delete=models.SET_NULL, null=True, blank=True,
                                verbose_name=_("所在村（社区）"))
    constituent_name = models.CharField(_("群众姓名"), max_length=50, blank=True)
    constituent_mobile = models.CharField(_("群众手机号码"), max_length=11, blank=True)
    received_by = models.ForeignKey("people.Deputy", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("接待代表"))
    opinion = models.OneToOneField("casework.Opinion", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="reception_issue", verbose_name=_("群众意见"))

    class Meta:
        verbose_name = _("接待中反映的问题")
        verbose_name_plural = _("接待中反映的问题")

    def __str__(self) -> str:
        return self.content[:30]
