"""The upper tiers' inbox: county cases escalated to a prefecture or a province (004 篇三: 商请上级代表小组组长，
以上级人大代表建议形式书面报送). The row lives in the public schema, where that level's staff read it; the
county case refers to it by id and reads its status and updates from here (one source of truth)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Escalation(models.Model):
    class Level(models.TextChoices):
        PREFECTURE = "prefecture", _("州（市）级")
        PROVINCE = "province", _("省级")

    class Status(models.TextChoices):
        OPEN = "open", _("待受理")
        ACCEPTED = "accepted", _("已受理办理中")
        ANSWERED = "answered", _("已答复")
        WITHDRAWN = "withdrawn", _("县级已办结")

    county = models.ForeignKey("tenants.County", on_delete=models.PROTECT, related_name="escalations",
                               verbose_name=_("县"))
    case_id = models.BigIntegerField(_("县案件编号"))
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    province = models.ForeignKey("tenants.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("省"))
    prefecture = models.ForeignKey("tenants.Prefecture", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("州（地级市）"))
    summary = models.TextField(_("事由"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("上报事项")
        verbose_name_plural = _("上报事项")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["county", "case_id"], name="escalation_one_per_case")]
        indexes = [models.Index(fields=["level", "province", "prefecture", "status"], name="escalation_inbox")]

    def __str__(self) -> str:
        return f"{self.county_id}#{self.case_id}"


class EscalationUpdate(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    text = models.TextField(_("进展"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办理进展")
        verbose_name_plural = _("办理进展")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]
