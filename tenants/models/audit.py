"""The platform's own audit (public schema): what operators and upper-tier staff do on the platform host,
and provisioning. The same columns and hash chain as each county's audit.AuditEntry (core.chained)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.chained import ChainArchive, ChainedEntry


class PlatformAuditEntry(ChainedEntry):
    class Meta(ChainedEntry.Meta):
        verbose_name = _("平台操作记录")
        verbose_name_plural = _("平台操作记录")
        indexes = [models.Index(fields=["target_type", "target_id"], name="platform_audit_target"),
                   models.Index(fields=["actor_id", "at"], name="platform_audit_actor_at"),
                   models.Index(fields=["action", "at"], name="platform_audit_action_at")]


class PlatformAuditArchive(ChainArchive):
    class Meta(ChainArchive.Meta):
        verbose_name = _("平台操作记录归档")
        verbose_name_plural = _("平台操作记录归档")
