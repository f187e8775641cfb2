"""The dashboards' pages, built from tenants.figures.dashboard(): the period picker, Chinese labels for every
metric key, and the page's figures as tiles (numbers), charts (read by frontend/js/dashboard.js from a JSON
block) and tables (each one exportable to Excel by its id). Counts only: the figures hold no personal data,
and nothing here reads anything else.

One page for every level: a province (its prefectures side by side, whole, and its counties a page at a
time, sortable by any column), a prefecture (its counties, a page at a time), a county (its townships) and
a township. `links` decides where a click on a child goes, which
depends on the host (the platform host drills down through the rollups; a county host to its townships).
"""

from frontend.dashboards.parts import Section, Table, charts_of, find_table, label, labels, percent
from frontend.dashboards.period import (
                                        PERIOD_KINDS,
                                        Paging,
                                        Period,
                                        paging_from,
                                        parse_month,
                                        period_from,
                                        previous_month,
                                        url,
)
from frontend.dashboards.sections import COLUMN_SORTS, COMPARISON_HEADERS, counties_table, sections

__all__ = ["COLUMN_SORTS", "COMPARISON_HEADERS", "PERIOD_KINDS", "Paging", "Period", "Section", "Table",
           "charts_of", "counties_table", "find_table", "label", "labels", "paging_from", "parse_month",
           "percent", "period_from", "previous_month", "sections", "url"]
