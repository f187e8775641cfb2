from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.levels import Level, MandateStatus

from .accounts import Account
from .regions import Prefecture, Province


class RegionMandate(models.Model):
    """A province or prefecture deputy's mandate: kept once, with the region, however many counties
    station the deputy (each county keeps only its stationing rows)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="region_mandates",
                                verbose_name=_("账号"))
    level = models.CharField(_("层级"), max_length=16, choices=[(Level.PROVINCE.value, Level.PROVINCE.label),
                                                               (Level.PREFECTURE.value, Level.PREFECTURE.label)])
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("省"))
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, null=True, blank=True,
                                   verbose_name=_("州（地级市）"))
    term = models.PositiveSmallIntegerField(_("届次"))
    electoral_district = models.CharField(_("选举单位"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=MandateStatus.choices, default=MandateStatus.SERVING)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("省、州（市）人大代表职务")
        verbose_name_plural = _("省、州（市）人大代表职务")
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="region_mandate_ends_after_start"),
            models.CheckConstraint(condition=Q(level="province", prefecture__isnull=True)
                                   | Q(level="prefecture", prefecture__isnull=False),
                                   name="region_mandate_scope_matches_level"),
            models.UniqueConstraint(fields=["account", "level", "term"], name="region_mandate_unique_term"),
        ]

    def __str__(self) -> str:
        return f"{self.account.name} · {self.prefecture or self.province}第{self.term}届"

    def covers(self, county) -> bool:
        """Whether this mandate allows stationing in `county` (a station of its own region)."""
        if self.status != MandateStatus.SERVING:
            return False
        if self.level == Level.PROVINCE:
            return county.province_id == self.province_id
        return county.prefecture_id == self.prefecture_id
