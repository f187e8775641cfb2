"""A month as a calendar grid (Monday first, as Chinese calendars are), with each day's items: the reception
calendar's month view for the public and for staff (frontend/_month.html)."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class Day:
    date: dt.date
    in_month: bool
    today: bool
    items: list = field(default_factory=list)


@dataclass
class Month:
    first: dt.date
    weeks: list[list[Day]]

    @property
    def previous(self) -> str:
        return (self.first - dt.timedelta(days=1)).strftime("%Y-%m")

    @property
    def next(self) -> str:
        return (self.first + dt.timedelta(days=32)).replace(day=1).strftime("%Y-%m")

    @property
    def end(self) -> dt.date:
        """The day after the month's last."""
        return (self.first + dt.timedelta(days=32)).replace(day=1)


def month_of(value: str | None) -> dt.date:
    """The first day of `?month=YYYY-MM`, or of this month when absent or malformed."""
    try:
        first = dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)
    return first if 2000 <= first.year <= 2100 else timezone.localdate().replace(day=1)


def month_grid(first: dt.date, items: Iterable, *, date_of=lambda item: item.date) -> Month:
    by_day = defaultdict(list)
    for item in items:
        by_day[date_of(item)].append(item)
    today = timezone.localdate()
    weeks = [[Day(day, day.month == first.month, day == today, by_day.get(day, [])) for day in week]
             for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)]
    return Month(first=first, weeks=weeks)
