"""The figures of a province, prefecture, county or township, read from the public rollup tables only
(written by tenants.orchestration.rollups). No county schema is entered. A county and its townships read
their own RollupFact rows; a province or prefecture reads its RegionFact rows (the sums of its counties'
totals, a few thousand rows whatever the number of counties), compares its prefectures by their own
RegionFact rows and its counties a page at a time (ranked in SQL over their CountyHeadline rows, one
narrow row per county and month; only the page's rows come back): the same few queries at 10 counties or
1,000.

Each figure is a number, a trend (one value per month of the period) and breakdowns; a rate carries its
numerator and denominator, so that rates add up across counties. Counts only: no personal data.

    scope = scope_for(level="province", pk=...)       # or scopes_visible_to(account) for who may read what
    data = dashboard(scope=scope, first=date(2026, 1, 1), last=date(2026, 6, 1))   # a dict, ready for JSON
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
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
# A province's or prefecture's counties are compared a page at a time (prefectures and townships whole),
# sorted by any of these (see county_comparison).
COUNTY_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
SORTS = ("code", *COMPARED, "attendance_rate")
DIRECT_NAME = "省直管"  # the counties of a province under no prefecture, as one row of its prefectures


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


def dashboard(*, scope: Scope, first: dt.date, last: dt.date, today: dt.date | None = None, sort: str = "code",
              order: str | None = None, page: int = 1, page_size: int | None = COUNTY_PAGE_SIZE) -> dict:
    """Every figure of `scope` over the months first..last (and the present state), and its children side
    by side: a county's townships ("comparison"); a prefecture's counties, one page of them ("comparison",
    and "comparison_page": see county_comparison for `sort`, `order`, `page` and `page_size`); a province's
    counties the same way and its prefectures whole ("comparison_prefectures"). The same few queries
    (four to eight by level) whatever the number of counties."""
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
    data = {
        "scope": scope.as_dict(),
        "period": {"from": first.strftime("%Y-%m"), "to": last.strftime("%Y-%m"), "today": today.isoformat()},
        **figures_of(series),
    }
    if scope.level in ("province", "prefecture"):
        counties = county_comparison(scope=scope, first=first, last=last, sort=sort, order=order, page=page,
                                     size=page_size)
        data.update(comparison=counties["rows"], comparison_page=counties["page"])
        if scope.level == "province":
            data["comparison_prefectures"] = prefecture_comparison(scope=scope, first=first, last=last)
    else:
        data["comparison"] = comparison(scope=scope, first=first, last=last)
    return data


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


def comparison(*, scope: Scope, first: dt.date, last: dt.date, sort: str = "code", order: str | None = None,
               page: int = 1, size: int | None = COUNTY_PAGE_SIZE) -> list[dict]:
    """Headline counts per child unit, side by side: one page of the counties of a province or prefecture
    (see county_comparison), or every township of a county (one query)."""
    if scope.level in ("province", "prefecture"):
        return county_comparison(scope=scope, first=first, last=last, sort=sort, order=order, page=page,
                                 size=size)["rows"]
    if scope.level != "county":
        return []
    period = Q(month__gte=first, month__lte=last) | Q(month=STATE_MONTH)
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


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _rank(sort: str, direction: str) -> tuple[str, str]:
    """The ranking of counties by `sort` over their summed headline rows `s`: (the SELECT list of `s`,
    the ORDER BY of the ranking). Ties, and the default, go by division code."""
    if sort == "code":
        return "", f"r.division_code {direction}, r.id"
    if sort == "attendance_rate":
        return ("SUM(h.attendance_present)::numeric / NULLIF(SUM(h.attendance_expected), 0) AS v",
                f"s.v {direction} NULLS LAST, r.division_code, r.id")
    return f"SUM(h.{sort}) AS v", f"COALESCE(s.v, 0) {direction}, r.division_code, r.id"


def county_comparison(*, scope: Scope, first: dt.date, last: dt.date, sort: str = "code", order: str | None = None,
                      page: int = 1, size: int | None = COUNTY_PAGE_SIZE) -> dict:
    """One page of a province's or prefecture's counties side by side, sorted by division code (`sort`
    "code", the default, ascending) or by one of the COMPARED counts or "attendance_rate" over the period
    (descending unless `order` is "asc"; ties by division code). Every county of the region is a row, those
    with nothing in the period too (all 0), so that the last of a ranking are seen.

    Two queries whatever the number of counties: the count, and the page. The ranking is done in SQL (the
    sorted count summed per county over the period's CountyHeadline rows, ORDER BY ... LIMIT/OFFSET); the
    twelve counts are summed and converted only for the page's rows. `size` None: every county on one page
    (an export, the monthly report). A page past the last is the last page.

    Returns {"rows": [...], "page": {"number", "size", "pages", "total", "sort", "order"}}."""
    if scope.level not in ("province", "prefecture"):
        raise ValueError(f"no counties to compare in a {scope.level}")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    order = order if order in ("asc", "desc") else ("asc" if sort == "code" else "desc")
    region = f"{scope.level}_id"
    total = County.objects.filter(**{region: scope.pk}).count()
    size_used = size if size else max(total, 1)
    pages = max(1, -(-total // size_used))
    number = min(max(page, 1), pages)
    direction = "ASC" if order == "asc" else "DESC"
    summed, ranking = _rank(sort, direction)
    county, headline, prefecture = _table(County), _table(CountyHeadline), _table(Prefecture)
    in_period = "(h.month BETWEEN %s AND %s OR h.month = %s)"
    joined = (f"LEFT JOIN (SELECT h.county_id, {summed} FROM {headline} h "
              f"WHERE h.county_id IN (SELECT id FROM region) AND {in_period} GROUP BY h.county_id) s "
              f"ON s.county_id = r.id") if summed else ""
    columns = ", ".join(f"COALESCE(SUM(h.{name}), 0)::bigint" for name in COMPARED)
    sql = (f"WITH region AS (SELECT id, division_code FROM {county} WHERE {region} = %s), "
           f"ranked AS (SELECT r.id, ROW_NUMBER() OVER (ORDER BY {ranking}) AS n FROM region r {joined} "
           f"ORDER BY {ranking} LIMIT %s OFFSET %s) "
           f"SELECT k.id, c.name, c.prefecture_id, p.name, {columns} FROM ranked k "
           f"JOIN {county} c ON c.id = k.id LEFT JOIN {prefecture} p ON p.id = c.prefecture_id "
           f"LEFT JOIN {headline} h ON h.county_id = k.id AND {in_period} "
           f"GROUP BY k.id, k.n, c.name, c.prefecture_id, p.name ORDER BY k.n")
    params: list = [scope.pk]
    if summed:
        params += [first, last, STATE_MONTH]
    params += [size_used, (number - 1) * size_used, first, last, STATE_MONTH]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows = [{"level": "county", "id": pk, "name": name, "prefecture": pref, "prefecture_name": pref_name,
             **dict(zip(COMPARED, values, strict=True))} for pk, name, pref, pref_name, *values in found]
    return {"rows": rows, "page": {"number": number, "size": size_used, "pages": pages, "total": total,
                                   "sort": sort, "order": order}}


def prefecture_comparison(*, scope: Scope, first: dt.date, last: dt.date) -> list[dict]:
    """A province's prefectures side by side (each one with counties, by division code), whole: their
    headline counts summed from the prefectures' own RegionFact rows, not from their counties' (three
    queries whatever the number of counties). Counties under no prefecture (省直管) are one more row, the
    province's sums less its prefectures'."""
    if scope.level != "province":
        return []
    prefectures = list(Prefecture.objects.filter(Exists(County.objects.filter(prefecture=OuterRef("pk"),
                                                                               province_id=scope.pk)))
                       .order_by("division_code").values_list("pk", "name"))
    direct = County.objects.filter(province_id=scope.pk, prefecture__isnull=True).exists()
    filters: list[str] = []
    params: list = []
    for metric, key in COMPARED.values():
        filters.append("COALESCE(SUM(value) FILTER (WHERE metric = %s" + (" AND key = %s" if key is not None else "")
                       + "), 0)::bigint")
        params += [metric] + ([key] if key is not None else [])
    sql = (f"SELECT level, region_id, {', '.join(filters)} FROM {_table(RegionFact)} "
           "WHERE ((level = 'prefecture' AND region_id = ANY(%s)) OR (level = 'province' AND region_id = %s)) "
           "AND (month BETWEEN %s AND %s OR month = %s) AND metric = ANY(%s) GROUP BY level, region_id")
    params += [[pk for pk, _name in prefectures], scope.pk, first, last, STATE_MONTH,
               sorted({metric for metric, _key in COMPARED.values()})]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        sums = {(level, region): values for level, region, *values in cursor.fetchall()}
    rows = [{"level": "prefecture", "id": pk, "name": name,
             **dict(zip(COMPARED, sums.get(("prefecture", pk), [0] * len(COMPARED)), strict=True))}
            for pk, name in prefectures]
    if direct:
        rest = dict(zip(COMPARED, sums.get(("province", scope.pk), [0] * len(COMPARED)), strict=True))
        for row in rows:
            for name in COMPARED:
                rest[name] -= row[name]
        rows.append({"level": "prefecture", "id": None, "name": DIRECT_NAME, **rest})
    return rows


def prefectures_of(rows: list[dict]) -> list[dict]:
    """County rows summed per prefecture (the counties' rows carry their prefecture). A page of counties is
    not a province: its dashboard's prefectures are prefecture_comparison's."""
    found: dict[int | None, dict] = {}
    for row in rows:
        group = found.setdefault(row["prefecture"], {"level": "prefecture", "id": row["prefecture"],
                                                     "name": row["prefecture_name"], **dict.fromkeys(COMPARED, 0)})
        for name in COMPARED:
            group[name] += row[name]
    return list(found.values())
