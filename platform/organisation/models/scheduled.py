from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .places import Redivision


class ScheduledRedivision(models.Model):
    """A re-division announced in advance (自某日起): registered now, checked by a dry run of the real service,
    and applied by the daily task on its effective date (organisation.services.scheduled_redivision). The
    service's arguments are kept as ids in `arguments`; `township_ids` are the townships it involves (a unit
    may have one pending re-division at a time)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("待生效")
        APPLIED = "applied", _("已生效")
        FAILED = "failed", _("未能生效")
        CANCELLED = "cancelled", _("已撤销")

    level = models.CharField(_("层级"), max_length=16, choices=Redivision.Level.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=Redivision.Kind.choices)
    effective_on = models.DateField(_("生效日期"))
    note = models.TextField(_("说明"), blank=True)
    arguments = models.JSONField(_("调整参数"), default=dict)
    township_ids = models.JSONField(_("涉及的乡镇"), default=list)
    summary = models.CharField(_("调整内容"), max_length=1000, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                                      null=True, related_name="+", verbose_name=_("登记人"))
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    redivision = models.ForeignKey(Redivision, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("生效后的区划调整"))
    failure = models.TextField(_("未能生效的原因"), blank=True)
    decided_at = models.DateTimeField(_("生效、失败或撤销的时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待生效的区划调整")
        verbose_name_plural = _("待生效的区划调整")
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["status", "effective_on"], name="scheduled_redivision_due")]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.get_kind_display()} {self.get_status_display()}"
