"""The dashboards' period (?period=&from=&to=) and the counties' paging (?sort=&order=&page=)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.figures import MAX_MONTHS, SORTS

PERIOD_KINDS = ("month", "quarter", "year", "range")

# ---------------------------------------------------------------------------------------------------------------
# The period


@dataclass(frozen=True)
class Period:
    kind: str
    first: dt.date
    last: dt.date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(y)d年%(m)d月") % {"y": self.first.year, "m": self.first.month}
        if self.kind == "quarter":
            return _("%(y)d年第%(q)d季度") % {"y": self.first.year, "q": (self.first.month - 1) // 3 + 1}
        if self.kind == "year":
            return _("%(y)d年") % {"y": self.first.year}
        return _("%(a)s至%(b)s") % {"a": f"{self.first.year}年{self.first.month}月",
                                   "b": f"{self.last.year}年{self.last.month}月"}

    @property
    def params(self) -> dict[str, str]:
        return {"period": self.kind, "from": self.first.strftime("%Y-%m"), "to": self.last.strftime("%Y-%m")}

    @property
    def slug(self) -> str:
        return f"{self.first:%Y%m}-{self.last:%Y%m}" if self.first != self.last else f"{self.first:%Y%m}"


def parse_month(value: str | None) -> dt.date | None:
    try:
        year, month = (value or "").split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return None


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def period_from(params, *, today: dt.date | None = None) -> Period:
    """?period=month|quarter|year|range&from=YYYY-MM[&to=YYYY-MM]: the month, quarter or year holding `from`,
    or from..to. Defaults to this year so far; a bad value falls back to the default; a range is kept to
    MAX_MONTHS months."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    kind = params.get("period") if params.get("period") in PERIOD_KINDS else "year"
    start = parse_month(params.get("from")) or this_month
    if kind == "month":
        return Period(kind, start, start)
    if kind == "quarter":
        first = start.replace(month=(start.month - 1) // 3 * 3 + 1)
        return Period(kind, first, _add_months(first, 2))
    if kind == "year":
        first = start.replace(month=1)
        last = min(dt.date(first.year, 12, 1), max(this_month, first))
        return Period(kind, first, last)
    end = parse_month(params.get("to")) or this_month
    if end < start:
        start, end = end, start
    start = max(start, _add_months(end, 1 - MAX_MONTHS))
    return Period(kind, start, end)


@dataclass(frozen=True)
class Paging:
    """Which page of a province's or prefecture's counties, sorted how (?sort=&order=&page=)."""

    sort: str = "code"
    order: str | None = None
    page: int = 1

    @property
    def params(self) -> dict[str, str | int | None]:
        """The query parameters that are not the defaults."""
        return {"sort": self.sort if self.sort != "code" else None, "order": self.order,
                "page": self.page if self.page > 1 else None}


def paging_from(params) -> Paging:
    sort = params.get("sort") if params.get("sort") in SORTS else "code"
    order = params.get("order") if params.get("order") in ("asc", "desc") else None
    try:
        page = max(1, int(params.get("page") or 1))
    except ValueError:
        page = 1
    return Paging(sort, order, page)


def previous_month(today: dt.date | None = None) -> dt.date:
    return _add_months((today or timezone.localdate()).replace(day=1), -1)


# ---------------------------------------------------------------------------------------------------------------
# Chinese labels for every key a figure is broken down by


def url(path: str, **params) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v is not None})}"
