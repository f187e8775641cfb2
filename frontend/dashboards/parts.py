"""Chinese labels for every key a figure is broken down by, and the page's parts: tiles, charts, tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casework.models import Channel, Jurisdiction, Rating, SuggestionStatus
from core.levels import Level
from duties.models import DutyKind
from organisation.models import Venue


def _choices(choices) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


def labels() -> dict[str, dict[str, str]]:
    stars = {str(n): (_("未评星") if n == 0 else _("%(n)d星") % {"n": n}) for n in range(6)}
    return {
        "tier": {**_choices(Jurisdiction.choices), "unrouted": _("尚未分办")},
        "category": {"": _("未分类")},  # the county's own category names are Chinese already
        "channel": {**_choices(Channel.choices), "": _("未记录")},
        "rating": _choices(Rating.choices),
        "suggestion_status": _choices(SuggestionStatus.choices),
        "duty_kind": _choices(DutyKind.choices),
        "station_kind": _choices(Venue.Kind.choices),
        "station_status": _choices(Venue.Status.choices),
        "stars": stars,
        "standard": {"met": _("达标"), "not_met": _("未达标"), "unassessed": _("未评估")},
        "level": _choices(Level.choices),
    }


def label(kind: str, key: str, table: dict[str, dict[str, str]]) -> str:
    return table.get(kind, {}).get(key, key or _("未记录"))


# ---------------------------------------------------------------------------------------------------------------
# Tiles, charts, tables


def percent(rate: dict | None) -> str:
    if not rate or rate.get("number") is None:
        return "—"
    return f"{rate['number']}%"


@dataclass
class Tile:
    label: str
    value: object
    note: str = ""


@dataclass
class SortLink:
    url: str  # the whole page, sorted by this column
    partial: str  # the table alone (htmx)
    active: bool
    order: str  # the order the link asks for


@dataclass
class Pager:
    """A table shown a page at a time (a province's or prefecture's counties): where the neighbouring
    pages are (the whole page's address, and the table's alone for htmx), and a sort link per column."""

    number: int
    pages: int
    total: int
    previous: tuple[str, str] | None  # (url, partial)
    next: tuple[str, str] | None
    sorts: list[SortLink | None]  # per header


@dataclass
class Table:
    id: str
    title: str
    headers: list[str]
    rows: list[list]
    links: list[str | None] = field(default_factory=list)  # per row: where a click drills down
    pager: Pager | None = None

    @property
    def heads(self) -> list[tuple[str, SortLink | None]]:
        sorts = self.pager.sorts if self.pager else []
        return [(h, sorts[i] if i < len(sorts) else None) for i, h in enumerate(self.headers)]

    @property
    def body(self) -> list[tuple[list, str | None]]:
        return [(row, self.links[i] if i < len(self.links) else None) for i, row in enumerate(self.rows)]


@dataclass
class Section:
    id: str
    title: str
    tiles: list[Tile] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def bar_chart(chart_id: str, title: str, categories: list[str], series: list[tuple[str, list]], *,
         links: list | None = None, horizontal: bool = False, stack: bool = False) -> dict:
    return {"id": chart_id, "title": title, "type": "hbar" if horizontal else "bar", "categories": categories,
            "series": [{"name": name, "data": data} for name, data in series], "links": links or [],
            "stack": stack}


def line_chart(chart_id: str, title: str, categories: list[str], series: list[tuple[str, list]],
          rates: tuple[str, ...] = ()) -> dict:
    """A trend; the series named in `rates` are percentages, on a second axis."""
    return {"id": chart_id, "title": title, "type": "line", "categories": categories,
            "series": [{"name": name, "data": data, "axis": 1 if name in rates else 0} for name, data in series],
            "links": []}


def pie_chart(chart_id: str, title: str, data: dict[str, int]) -> dict:
    return {"id": chart_id, "title": title, "type": "pie",
            "series": [{"name": title, "data": [{"name": k, "value": v} for k, v in data.items() if v]}],
            "links": []}


def labelled(breakdown: dict[str, int], kind: str, names: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in breakdown.items():
        name = label(kind, key, names)
        out[name] = out.get(name, 0) + value
    return out



def find_table(all_sections: list[Section], table_id: str) -> Table | None:
    for section in all_sections:
        for table in section.tables:
            if table.id == table_id:
                return table
    return None


def charts_of(all_sections: list[Section]) -> list[dict]:
    return [chart for section in all_sections for chart in section.charts]

