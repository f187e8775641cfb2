"""The platform's own audit (public schema): what operators and upper-tier staff do on the platform host,
and provisioning. The same columns and hash chain as each county's audit.AuditEntry (core.chain)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlatformAuditEntry(models.Model):
    actor_id = models.BigIntegerField(_("操作人账号"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    client_address = models.CharField(_("来源地址"), max_length=64, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("上一条哈希"), max_length=64, blank=True)
    hash = models.CharField(_("哈希"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("平台操作记录")
        verbose_name_plural = _("平台操作记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="platform_audit_target"),
                   models.Index(fields=["actor_id", "at"], name="platform_audit_actor_at"),
                   models.Index(fields=["action", "at"], name="platform_audit_action_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class PlatformAuditArchive(models.Model):
    first_id = models.BigIntegerField(_("首条编号"))
    last_id = models.BigIntegerField(_("末条编号"), unique=True)
    last_hash = models.CharField(_("末条哈希"), max_length=64)
    count = models.PositiveIntegerField(_("条数"))
    path = models.CharField(_("文件"), max_length=500)
    sha256 = models.CharField(_("文件校验值"), max_length=64)
    created_at = models.DateTimeField(_("归档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("平台操作记录归档")
        verbose_name_plural = _("平台操作记录归档")
        ordering = ["-last_id"]

    def __str__(self) -> str:
        return f"{self.first_id}–{self.last_id}"
