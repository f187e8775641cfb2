"""Working-day arithmetic on the official calendar (see workdays.models).

Deadlines stated in days count working days; every function reads the calendar rows of the span it
needs in one query.
"""

from __future__ import annotations

import datetime as dt

from .models import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind"))


def _working(day: dt.date, overrides: dict[dt.date, str]) -> bool:
    kind = overrides.get(day)
    if kind is not None:
        return kind == CalendarDay.Kind.WORKDAY
    return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    return _working(day, _overrides(day, day))


def next_working_days(start: dt.date, count: int) -> list[dt.date]:
    """The first `count` working days on or after `start` (a reception day moved off a holiday)."""
    found: list[dt.date] = []
    span = max(31, count * 3)
    day = start
    while True:
        overrides = _overrides(day, day + dt.timedelta(days=span))
        for _ in range(span + 1):
            if _working(day, overrides):
                found.append(day)
                if len(found) == count:
                    return found
            day += ONE_DAY


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself not counted): a deadline."""
    if days <= 0:
        return start
    return next_working_days(start + ONE_DAY, days)[-1]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    overrides = _overrides(start + ONE_DAY, end)
    count, day = 0, start + ONE_DAY
    while day <= end:
        count += _working(day, overrides)
        day += ONE_DAY
    return count


def official_years(years: set[int] | list[int] | range) -> set[int]:
    """Those of `years` whose holiday arrangement has been loaded (see models.CalendarYear)."""
    return set(CalendarYear.objects.filter(year__in=list(years), status=CalendarYear.Status.OFFICIAL)
               .values_list("year", flat=True))


def is_official_year(year: int) -> bool:
    return bool(official_years([year]))


def is_provisional(day: dt.date | None) -> bool:
    """A date planned in a year whose holidays are not known yet (a reception day, a deadline)."""
    return day is not None and not is_official_year(day.year)


def years_not_official(*, on: dt.date) -> list[int]:
    """This year and next, those not official: what operators are warned about."""
    years = [on.year, on.year + 1]
    official = official_years(years)
    return [year for year in years if year not in official]
