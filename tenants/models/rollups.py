"""Rollups: each county's figures as counts in the public schema, so that the upper tiers read them
without entering a county's schema (ARCHITECTURE.md, "Aggregates across counties").

Counts only: a fact names a township (its id and name, copied) and a dimension value (a category, a
handling tier, a status, a unit's name), never a constituent or a deputy. Maintained by
tenants.orchestration.rollups (after each county write, and rebuilt nightly from the source rows).
"""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from .counties import County

# township_id of a county's own total rows (the sum over its townships, kept so that the province reads a
# fifteenth of the rows) and of records that belong to no township (county-level deputies, suggestions).
COUNTY_TOTAL = -1
NO_TOWNSHIP = 0
# `month` of the figures that describe the present state rather than a month (stations, deputies, pairings).
STATE_MONTH = dt.date(2000, 1, 1)


class RollupFact(models.Model):
    """One count: county × township × month × metric × key (× due date for cases awaiting feedback, so that
    "overdue" is decided when it is read, not when it was written)."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+", verbose_name=_("县（市、区）"))
    township_id = models.BigIntegerField(_("乡镇编号"))
    township_name = models.CharField(_("乡镇"), max_length=50, blank=True)
    month = models.DateField(_("月份"))
    metric = models.CharField(_("指标"), max_length=40)
    key = models.CharField(_("分类"), max_length=100, blank=True)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    value = models.BigIntegerField(_("数值"))

    class Meta:
        verbose_name = _("统计汇总")
        verbose_name_plural = _("统计汇总")
        constraints = [
            models.UniqueConstraint(fields=["county", "township_id", "month", "metric", "key", "due_on"],
                                    nulls_distinct=False, name="rollup_fact_unique"),
        ]
        indexes = [models.Index(fields=["township_id", "month", "county"], include=["metric", "key", "due_on", "value"],
                                name="rollup_grain_month")]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.township_id}/{self.month:%Y-%m} {self.metric}[{self.key}]={self.value}"


class RollupRun(models.Model):
    """A nightly rebuild of one county's rollups: how many facts were wrong (drift) and were corrected."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="rollup_runs",
                               verbose_name=_("县（市、区）"))
    started_at = models.DateTimeField(_("开始时间"))
    duration_ms = models.PositiveIntegerField(_("用时（毫秒）"))
    facts = models.PositiveIntegerField(_("汇总条数"))
    drift = models.PositiveIntegerField(_("偏差条数"), help_text=_("与源数据不一致并已更正的汇总条数"))

    class Meta:
        verbose_name = _("统计重建")
        verbose_name_plural = _("统计重建")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["county", "-started_at"], name="rollup_run_recent")]

    def __str__(self) -> str:
        return f"{self.county_id} {self.started_at:%Y-%m-%d}: {self.drift}"
