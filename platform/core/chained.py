"""The rows of an audit hash chain (core.chain), as abstract models: a county's audit.AuditEntry and the
platform's tenants.PlatformAuditEntry are the same columns in two schemas, and so are their archives."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChainedEntry(models.Model):
    """One action: who, what, when, from which address, on which object; chained by hash."""

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
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class ChainArchive(models.Model):
    """One file of archived rows (gzip, JSON lines). Its last row's hash anchors the chain that remains."""

    first_id = models.BigIntegerField(_("首条编号"))
    last_id = models.BigIntegerField(_("末条编号"), unique=True)
    last_hash = models.CharField(_("末条哈希"), max_length=64)
    count = models.PositiveIntegerField(_("条数"))
    path = models.CharField(_("文件"), max_length=500)
    sha256 = models.CharField(_("文件校验值"), max_length=64)
    created_at = models.DateTimeField(_("归档时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-last_id"]

    def __str__(self) -> str:
        return f"{self.first_id}–{self.last_id}"
