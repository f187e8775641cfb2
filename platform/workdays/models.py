"""The official working-day calendar: public holidays and make-up working days (调休), held as data.

It lives in the public schema (one national calendar; every county reads it through its search path)
and is loaded by `manage.py sync_holidays` from the `holidays` package; operators keep it current in the
Django admin when the State Council publishes a year the package does not have yet. A date not listed is
a working day from Monday to Friday and a rest day at the weekend.

A year is official only when its arrangement has been loaded (CalendarYear): until then weekends are all
that is known, and what is planned on it (reception days, deadlines) is provisional.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班")

    class Source(models.TextChoices):
        OFFICIAL = "official", _("国务院通知（自动载入）")
        OPERATOR = "operator", _("运维人员录入")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=40, blank=True)
    # A row an operator added or changed is theirs: `sync_holidays` never overwrites or removes it.
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.OPERATOR)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """Whether a year's holiday arrangement is known. No row, or a provisional one: not official."""

    class Status(models.TextChoices):
        OFFICIAL = "official", _("正式")
        PROVISIONAL = "provisional", _("暂定")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROVISIONAL)
    source = models.CharField(_("数据来源"), max_length=80, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_status_display()}"

    @property
    def is_official(self) -> bool:
        return self.status == self.Status.OFFICIAL
