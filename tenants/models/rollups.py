"""Rollups: each county's figures as counts in the public schema, so that the upper tiers read them
without entering a county's schema (ARCHITECTURE.md, "Aggregates across counties").

Counts only: a fact names a township (its id and name, copied) and a dimension value (a category, a
handling tier, a status, a unit's name), never a constituent or a deputy. Maintained by
tenants.orchestration.rollups (after each county write, and rebuilt nightly from the source rows).

Above the counties, two derived tables keep the upper tiers' reads small whatever the number of counties:
RegionFact, the county total rows summed per province and per prefecture, and CountyHeadline, one row per
county and month with the few counts the side-by-side comparison shows. Both are kept current by the
differences each county refresh writes (in the same transaction), and rebuilt nightly from the county
totals, the rows that differed counted as drift (a RollupRun with no county).
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


class RegionFact(models.Model):
    """The sum of one county-total fact (township COUNTY_TOTAL) over the counties of a province or a
    prefecture: what a province's or prefecture's dashboard reads, a few thousand rows whatever the number
    of counties. Zero sums are deleted (the county rows they came from are gone too)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        PREFECTURE = "prefecture", _("州（市）")

    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    region_id = models.BigIntegerField(_("区域编号"))
    month = models.DateField(_("月份"))
    metric = models.CharField(_("指标"), max_length=40)
    key = models.CharField(_("分类"), max_length=100, blank=True)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    value = models.BigIntegerField(_("数值"))

    class Meta:
        verbose_name = _("区域统计汇总")
        verbose_name_plural = _("区域统计汇总")
        constraints = [
            models.UniqueConstraint(fields=["level", "region_id", "month", "metric", "key", "due_on"],
                                    nulls_distinct=False, include=["value"], name="region_fact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.level}{self.region_id}/{self.month:%Y-%m} {self.metric}[{self.key}]={self.value}"


# The counts that the side-by-side comparison shows for each county: column -> (metric, key or None for
# every key) of the county's total facts.
HEADLINES: dict[str, tuple[str, str | None]] = {
    "cases_received": ("case.received.tier", None),
    "cases_open": ("case.open.tier", None),
    "cases_answered": ("case.answered.tier", None),
    "cases_on_time": ("case.on_time.tier", None),
    "suggestions": ("suggestion.status", None),
    "duty_records": ("duty.kind", None),
    "sessions_planned": ("reception.session", "planned"),
    "sessions_held": ("reception.session", "held"),
    "attendance_expected": ("reception.expected", None),
    "attendance_present": ("reception.present", None),
    "stations": ("station.kind", None),
    "deputies": ("deputy.serving", None),
}


def headline_of(metric: str, key: str) -> str | None:
    """The comparison column a county-total fact counts in, if any."""
    for column, (wanted_metric, wanted_key) in HEADLINES.items():
        if metric == wanted_metric and (wanted_key is None or key == wanted_key):
            return column
    return None


class CountyHeadline(models.Model):
    """One county's comparison counts for one month (STATE_MONTH: stations and deputies, the present
    state): a province compares its counties by reading one narrow row per county and month, not the
    dozens of facts behind them. Rows whose counts are all 0 are deleted."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+", verbose_name=_("县（市、区）"))
    month = models.DateField(_("月份"))
    cases_received = models.BigIntegerField(default=0)
    cases_open = models.BigIntegerField(default=0)
    cases_answered = models.BigIntegerField(default=0)
    cases_on_time = models.BigIntegerField(default=0)
    suggestions = models.BigIntegerField(default=0)
    duty_records = models.BigIntegerField(default=0)
    sessions_planned = models.BigIntegerField(default=0)
    sessions_held = models.BigIntegerField(default=0)
    attendance_expected = models.BigIntegerField(default=0)
    attendance_present = models.BigIntegerField(default=0)
    stations = models.BigIntegerField(default=0)
    deputies = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("县级对比汇总")
        verbose_name_plural = _("县级对比汇总")
        constraints = [models.UniqueConstraint(fields=["county", "month"], name="county_headline_unique")]
        indexes = [models.Index(fields=["month", "county"], name="county_headline_month")]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.month:%Y-%m}"


class RollupRun(models.Model):
    """A nightly rebuild: of one county's rollups, or (no county) of the province and prefecture rows and
    the counties' headlines from the county totals; how many rows were wrong (drift) and were corrected."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="rollup_runs", null=True, blank=True,
                               verbose_name=_("县（市、区）"), help_text=_("空：省、州（市）汇总"))
    started_at = models.DateTimeField(_("开始时间"))
    duration_ms = models.PositiveIntegerField(_("用时（毫秒）"))
    facts = models.PositiveIntegerField(_("汇总条数"))
    drift = models.PositiveIntegerField(_("偏差条数"), help_text=_("与源数据不一致并已更正的汇总条数"))

    class Meta:
        verbose_name = _("统计重建")
        verbose_name_plural = _("统计重建")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["county", "-started_at"], name="rollup_run_recent"),
                   models.Index(fields=["-started_at"], name="rollup_run_started")]

    def __str__(self) -> str:
        return f"{self.county_id or 'regions'} {self.started_at:%Y-%m-%d}: {self.drift}"
