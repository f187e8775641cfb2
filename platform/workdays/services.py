"""Loading the official calendar and declaring a year official.

`holidays_sync` reads China's arrangement from the `holidays` package. The package computes the
statutory festivals for any year, but a year's make-up working days (调休) and swapped rest days exist
only for years whose State Council notice it carries (`ChinaStaticHolidays.special_public_holidays`):
only those years are loaded and become official. Another year stays provisional until an operator enters
its days in the admin and marks it official there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays
from django.db import transaction
from django.utils import timezone
from holidays.countries.china import ChinaStaticHolidays

from core.tasks import enqueue_on_commit

from .models import CalendarDay, CalendarYear

PACKAGE_SOURCE = f"holidays {holidays.__version__}"
REPLAN_TASK = "reception.tasks.replan_provisional_sessions"


def package_years() -> set[int]:
    """The years whose full arrangement (holidays and make-up working days) the package carries."""
    return set(ChinaStaticHolidays.special_public_holidays)


def package_days(year: int) -> dict[dt.date, tuple[str, str]]:
    """date -> (kind, name) for `year` from the package: weekdays off, and the weekend days worked."""
    days: dict[dt.date, tuple[str, str]] = {}
    for day, name in holidays.China(years=year, language="zh_CN").items():
        label = "调休" if name.startswith("休息日") else name
        days[day] = (CalendarDay.Kind.HOLIDAY, label[:40])
    for entry in ChinaStaticHolidays.special_public_holidays.get(year, ()):
        if len(entry) >= 4 and isinstance(entry[2], int):  # (month, day, from_month, from_day[, from_year])
            worked = dt.date(entry[4] if len(entry) == 5 else year, entry[2], entry[3])
            days[worked] = (CalendarDay.Kind.WORKDAY, "调休上班")
    return days


def holidays_sync(*, years: Iterable[int]) -> dict[int, str]:
    """Load each of `years` the package carries, keeping every row an operator wrote; mark it official.
    Returns year -> what happened, for the command to print."""
    carried = package_years()
    report: dict[int, str] = {}
    for year in years:
        if year not in carried:
            CalendarYear.objects.get_or_create(year=year)
            report[year] = "not in the package: provisional until an operator enters it"
            continue
        report[year] = _sync_year(year)
    return report


@transaction.atomic
def _sync_year(year: int) -> str:
    wanted = package_days(year)
    operators = set(CalendarDay.objects.filter(date__year=year, source=CalendarDay.Source.OPERATOR)
                    .values_list("date", flat=True))
    stale = CalendarDay.objects.filter(date__year=year, source=CalendarDay.Source.OFFICIAL).exclude(date__in=wanted)
    removed, _detail = stale.delete()
    written = 0
    for day, (kind, name) in wanted.items():
        if day in operators:
            continue
        CalendarDay.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name, "source": CalendarDay.Source.OFFICIAL})
        written += 1
    calendar_year_mark_official(year=year, source=PACKAGE_SOURCE)
    return f"official: {written} days from the package, {len(operators)} operator rows kept, {removed} removed"


@transaction.atomic
def calendar_year_mark_official(*, year: int, source: str) -> CalendarYear:
    """Declare `year` official. The first time, every county re-plans its provisional reception days of
    that year (those now on a holiday move, and their rotas are told once)."""
    row, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    became = row.status != CalendarYear.Status.OFFICIAL
    row.status, row.source, row.loaded_at = CalendarYear.Status.OFFICIAL, source[:80], timezone.now()
    row.save()
    if became:
        enqueue_on_commit("tenants.tasks.fan_out", REPLAN_TASK, year)
    return row
