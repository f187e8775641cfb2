from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One row per action that changed something in this county: who, what, when, on which object."""

    actor_id = models.BigIntegerField(_("操作人账号"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
