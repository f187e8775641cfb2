"""The figures of a province, prefecture, county or township, read from the public rollup tables only
(written by tenants.orchestration.rollups). No county schema is entered. A county and its townships read
their own RollupFact rows; a province or prefecture reads its RegionFact rows (the sums of its counties'
totals, a few thousand rows whatever the number of counties) and compares its counties by their
CountyHeadline rows (one narrow row per county and month): the same few queries at 10 counties or 1,000.

Each figure is a number, a trend (one value per month of the period) and breakdowns; a rate carries its
numerator and denominator, so that rates add up across counties. Counts only: no personal data.

    scope = scope_for(level="province", pk=...)       # or scopes_visible_to(account) for who may read what
    data = dashboard(scope=scope, first=date(2026, 1, 1), last=date(2026, 6, 1))   # a dict, ready for JSON
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from .models import (
    COUNTY_TOTAL,
    HEADLINES,
    STATE_MONTH,
    County,
    CountyHeadline,
    Prefecture,
    Province,
    RegionFact,
    RollupFact,
)

LEVELS = ("province", "prefecture", "county", "township")
MAX_MONTHS = 36
CASE_DIMENSIONS = ("tier", "category", "channel")
SATISFIED = ("satisfied", "basically_satisfied")
# What the side-by-side comparison shows for each child unit (metric, key or None for every key).
COMPARED = HEADLINES


@dataclass(frozen=True)
class Scope:
    """Whose figures: a province, a prefecture, a county, or one township of a county."""

    level: str
    pk: int
    name: str
    county_id: int | None = None  # a township's county

    def as_dict(self) -> dict:
        return {"level": self.level, "id": self.pk, "name": self.name, "county": self.county_id}


def scope_for(*, level: str, pk: int, county: County | None = None) -> Scope | None:
    """The scope named, or None when there is no such unit (a township is looked up in the rollups of
    `county`: its name is copied there)."""
    if level == "province":
        row = Province.objects.filter(pk=pk).values_list("name", flat=True).first()
    elif level == "prefecture":
        row = Prefecture.objects.filter(pk=pk).values_list("name", flat=True).first()
    elif level == "county":
        row = County.objects.filter(pk=pk).values_list("name", flat=True).first()
    elif level == "township" and county is not None:
        row = (RollupFact.objects.filter(county=county, township_id=pk).values_list("township_name", flat=True)
               .first())
        return Scope("township", pk, row, county.pk) if row is not None else None
    else:
        return None
    return Scope(level, pk, row) if row is not None else None


def may_read(account, scope: Scope) -> bool:
    """The upper tiers' rule: operators read everything; provincial staff their province, its prefectures
    and its counties; prefecture staff their prefecture and its counties. (A county's own people read
    their county through the county host: see api.views.figures.)"""
    if account is None or not account.is_authenticated:
        return False
    if account.is_staff:
        return True
    province: int | None
    prefecture: int | None
    if scope.level == "province":
        province, prefecture = scope.pk, None
    elif scope.level == "prefecture":
        province, prefecture = Prefecture.objects.filter(pk=scope.pk).values_list("province_id", flat=True).first(), \
            scope.pk
    else:
        county_id = scope.pk if scope.level == "county" else scope.county_id
        province, prefecture = (County.objects.filter(pk=county_id).values_list("province_id", "prefecture_id")
                                .first() or (None, None))
    for role in account.region_roles.all():
        if role.prefecture_id is None and role.province_id == province:
            return True
        if role.prefecture_id is not None and role.prefecture_id == prefecture:
            return True
    return False


def home_scope(account) -> Scope | None:
    """Where an upper-tier account's dashboard opens: its first region (a province before a prefecture)."""
    roles = sorted(account.region_roles.select_related("province", "prefecture"),
                   key=lambda r: (r.prefecture_id is not None, r.pk))
    for role in roles:
        if role.prefecture_id is None:
            return Scope("province", role.province_id, role.province.name)
        return Scope("prefecture", role.prefecture_id, role.prefecture.name)
    return None


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months: list[dt.date] = []
    month = first.replace(day=1)
    while month <= last and len(months) < MAX_MONTHS:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _facts(scope: Scope) -> QuerySet[RegionFact] | QuerySet[RollupFact]:
    if scope.level in ("province", "prefecture"):
        return RegionFact.objects.filter(level=scope.level, region_id=scope.pk)
    if scope.level == "county":
        return RollupFact.objects.filter(township_id=COUNTY_TOTAL, county_id=scope.pk)
    return RollupFact.objects.filter(township_id=scope.pk, county_id=scope.county_id or 0)




def _period(first: dt.date, last: dt.date) -> Q:
    """The months of the period, the present state's rows, and the funding rows of the period's years."""
    return (Q(month__gte=first, month__lte=last) | Q(month=STATE_MONTH)
            | Q(metric="station.funds", month__gte=dt.date(first.year, 1, 1), month__lte=last))


class Series:
    """metric -> key -> month -> value, as read."""

    def __init__(self, months: list[dt.date]) -> None:
        self.months = months
        self.data: dict[str, dict[str, dict[dt.date, int]]] = defaultdict(lambda: defaultdict(dict))

    def add(self, metric: str, key: str, month: dt.date, value: int) -> None:
        cell = self.data[metric][key]
        cell[month] = cell.get(month, 0) + value

    def total(self, metric: str, keys=None) -> int:
        return sum(v for key, cells in self.data.get(metric, {}).items() if keys is None or key in keys
                   for v in cells.values())

    def by_month(self, metric: str, keys=None) -> dict[dt.date, int]:
        found: dict[dt.date, int] = defaultdict(int)
        for key, cells in self.data.get(metric, {}).items():
            if keys is None or key in keys:
                for month, value in cells.items():
                    found[month] += value
        return found

    def by_key(self, metric: str) -> dict[str, int]:
        return {key: sum(cells.values()) for key, cells in sorted(self.data.get(metric, {}).items())}

    def count(self, metric: str, keys=None, breakdowns: dict[str, str] | None = None) -> dict:
        per_month = self.by_month(metric, keys)
        figure = {"number": self.total(metric, keys),
                  "trend": [{"month": m.strftime("%Y-%m"), "value": per_month.get(m, 0)} for m in self.months]}
        for name, other in (breakdowns or {"breakdown": metric}).items():
            figure[name] = self.by_key(other)
        return figure

    def rate(self, numerator: tuple[str, tuple | None], denominator: tuple[str, tuple | None],
             breakdowns: dict[str, tuple[str, str]] | None = None) -> dict:
        top, bottom = self.total(*numerator), self.total(*denominator)
        tops, bottoms = self.by_month(*numerator), self.by_month(*denominator)
        figure = {**_rate(top, bottom),
                  "trend": [{"month": m.strftime("%Y-%m"), **_rate(tops.get(m, 0), bottoms.get(m, 0))}
                            for m in self.months]}
        for name, (top_metric, bottom_metric) in (breakdowns or {}).items():
            ups, downs = self.by_key(top_metric), self.by_key(bottom_metric)
            figure[name] = {key: _rate(ups.get(key, 0), down) for key, down in downs.items()}
        return figure


def _rate(numerator: int, denominator: int) -> dict:
    percent = round(100 * numerator / denominator, 1) if denominator else None
    return {"number": percent, "numerator": numerator, "denominator": denominator}


def dashboard(*, scope: Scope, first: dt.date, last: dt.date, today: dt.date | None = None) -> dict:
    """Every figure of `scope` over the months first..last (and the present state), in three queries
    (four with a side-by-side comparison), whatever the number of counties."""
    today = today or timezone.localdate()
    months = months_between(first, last)
    first, last = months[0], months[-1]
    series = Series(months)
    in_period = _facts(scope).filter(_period(first, last))
    for metric, key, month, value in (in_period.exclude(metric__startswith="case.awaiting.")
                                      .values_list("metric", "key", "month").annotate(v=Sum("value")).order_by()):
        series.add(metric, key, month, value)
    # Overdue now (whenever received), by the month the deadline passed.
    for metric, key, due_on, value in (_facts(scope).filter(month=STATE_MONTH, metric__startswith="case.awaiting.",
                                                            due_on__lt=today)
                                       .values_list("metric", "key", "due_on").annotate(v=Sum("value")).order_by()):
        series.add(metric.replace("case.awaiting.", "case.overdue."), key, due_on.replace(day=1), value)
    return {
        "scope": scope.as_dict(),
        "period": {"from": first.strftime("%Y-%m"), "to": last.strftime("%Y-%m"), "today": today.isoformat()},
        **figures_of(series),
        "comparison": comparison(scope=scope, first=first, last=last),
    }


def figures_of(series: Series) -> dict:
    def case_count(measure: str) -> dict:
        return series.count(f"case.{measure}.tier", breakdowns={
            f"by_{dim}": f"case.{measure}.{dim}" for dim in CASE_DIMENSIONS})

    units = sorted(set(series.by_key("suggestion.unit")) | set(series.by_key("suggestion.unit_answer")))
    unit_counts = {name: series.by_key(f"suggestion.{name}") for name in ("unit", "unit_answer", "unit_on_time")}
    records = series.total("duty.kind")
    serving = series.total("deputy.serving")
    funds = series.by_key("station.funds")
    return {
        "cases": {
            "received": case_count("received"),
            "open": case_count("open"),
            "overdue": case_count("overdue"),
            "answered_on_time": series.rate(("case.on_time.tier", None), ("case.answered.tier", None), {
                f"by_{dim}": (f"case.on_time.{dim}", f"case.answered.{dim}") for dim in CASE_DIMENSIONS}),
            "satisfaction": {**series.rate(("case.rating", SATISFIED), ("case.rating", None)),
                             "breakdown": series.by_key("case.rating")},
        },
        "suggestions": {
            "by_status": series.count("suggestion.status"),
            "answered_on_time": series.rate(("suggestion.answer", ("on_time",)), ("suggestion.answer", None)),
            "satisfaction_process": {**series.rate(("suggestion.process", SATISFIED), ("suggestion.process", None)),
                                     "breakdown": series.by_key("suggestion.process")},
            "satisfaction_result": {**series.rate(("suggestion.result", SATISFIED), ("suggestion.result", None)),
                                    "breakdown": series.by_key("suggestion.result")},
            "per_unit": [{"unit": unit, "suggestions": unit_counts["unit"].get(unit, 0),
                          "answers": unit_counts["unit_answer"].get(unit, 0),
                          "on_time": _rate(unit_counts["unit_on_time"].get(unit, 0),
                                           unit_counts["unit_answer"].get(unit, 0))} for unit in units],
        },
        "duties": {
            "records": series.count("duty.kind"),
            "records_per_deputy": {"number": round(records / serving, 2) if serving else None,
                                   "records": records, "deputies": serving},
            "three_ones": series.rate(("duty.three_ones", ("met",)), ("duty.three_ones", ("deputies",))),
            "pair_contacts": series.count("duty.kind", ("pair_contact",)),
        },
        "reception": {
            "held": series.count("reception.session", ("held",)),
            "planned": series.count("reception.session", ("planned",)),
            "cancelled": series.count("reception.session", ("cancelled",)),
            "held_vs_planned": series.rate(("reception.session", ("held",)), ("reception.session", ("planned",))),
            "attendance": series.rate(("reception.present", None), ("reception.expected", None)),
        },
        "stations": {
            "by_kind": {"number": series.total("station.kind"), "breakdown": series.by_key("station.kind")},
            "build_progress": {"number": series.total("station.status"), "breakdown": series.by_key("station.status")},
            "stars": {"number": series.total("station.stars"), "breakdown": series.by_key("station.stars")},
            "standard_met": {**_rate(series.total("station.standard", ("met",)), series.total("station.standard")),
                             "breakdown": series.by_key("station.standard")},
            # stored in 0.01 万元 (100 yuan), shown in 万元
            "funds": {key: funds.get(key, 0) / 100 for key in ("budget", "disbursed", "spent")},
        },
        "deputies": {"by_level": {"number": series.total("deputy.serving"),
                                  "breakdown": series.by_key("deputy.level")}},
        "pairing": {
            "township_deputies_paired": _rate(series.total("pairing.township_deputies", ("paired",)),
                                              series.total("pairing.township_deputies", ("total",))),
            "county_deputies_over_limit": _rate(series.total("pairing.county_deputies", ("over_limit",)),
                                                series.total("pairing.county_deputies", ("total",))),
        },
    }


def comparison(*, scope: Scope, first: dt.date, last: dt.date) -> list[dict]:
    """Headline counts per child unit, side by side: the counties of a province or prefecture (each with
    its prefecture; two queries: their headline rows, their names), the townships of a county (one query)."""
    period = Q(month__gte=first, month__lte=last) | Q(month=STATE_MONTH)
    if scope.level in ("province", "prefecture"):
        # Summed per county id alone (integers: a hash aggregate), the names read apart: grouping by the
        # names too sorted every headline row by text, most of the time at 1,000 counties.
        region = {f"{scope.level}_id": scope.pk}
        sums = {pk: values for pk, *values in (
            CountyHeadline.objects.filter(period, county__in=County.objects.filter(**region))
            .values_list("county_id").annotate(*(Sum(name) for name in COMPARED)).order_by())}
        counties = sorted((code, pk, name, prefecture, pref_name) for pk, name, prefecture, pref_name, code in (
            County.objects.filter(**region).order_by()
            .values_list("pk", "name", "prefecture_id", "prefecture__name", "division_code")) if pk in sums)
        return [{"level": "county", "id": pk, "name": name, "prefecture": prefecture, "prefecture_name": pref_name,
                 **dict(zip(COMPARED, sums[pk], strict=True))}
                for _code, pk, name, prefecture, pref_name in counties]
    if scope.level != "county":
        return []
    metrics = Q(pk__in=[])
    for metric, key in COMPARED.values():
        metrics |= Q(metric=metric) if key is None else Q(metric=metric, key=key)
    cells: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COMPARED, 0))
    names: dict[int, str] = {}
    lookup = {(metric, key): name for name, (metric, key) in COMPARED.items()}
    for child, name, metric, key, value in (
            RollupFact.objects.filter(county_id=scope.pk, township_id__gte=0).filter(metrics, period)
            .values_list("township_id", "township_name", "metric", "key").annotate(v=Sum("value")).order_by()):
        label = lookup.get((metric, key)) or lookup.get((metric, None))
        if label:
            cells[child][label] += value
        names[child] = name
    return [{"level": "township", "id": pk, "name": names.get(pk, ""), **cells[pk]} for pk in sorted(cells)]


def prefectures_of(rows: list[dict]) -> list[dict]:
    """A province's comparison summed per prefecture (the counties' rows carry their prefecture)."""
    found: dict[int | None, dict] = {}
    for row in rows:
        group = found.setdefault(row["prefecture"], {"level": "prefecture", "id": row["prefecture"],
                                                     "name": row["prefecture_name"], **dict.fromkeys(COMPARED, 0)})
        for name in COMPARED:
            group[name] += row[name]
    return list(found.values())
