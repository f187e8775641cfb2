from django.db import models
from django.utils.translation import gettext_lazy as _

from core.chained import ChainArchive, ChainedEntry


class AuditEntry(ChainedEntry):
    """One row per action that changed something in this county, or that showed or exported personal
    data. The rows form a hash chain (core.chain)."""

    class Meta(ChainedEntry.Meta):
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target"),
                   models.Index(fields=["actor_id", "at"], name="audit_actor_at"),
                   models.Index(fields=["action", "at"], name="audit_action_at")]


class AuditArchive(ChainArchive):
    class Meta(ChainArchive.Meta):
        verbose_name = _("操作记录归档")
        verbose_name_plural = _("操作记录归档")
