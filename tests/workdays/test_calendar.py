"""Working days on the official calendar: weekends, public holidays and make-up working days (调休)."""

import datetime as dt

import pytest

from workdays.models import CalendarDay
from workdays.selectors import add_working_days, is_working_day, next_working_days, working_days_between

pytestmark = pytest.mark.django_db

D = dt.date


def test_weekdays_holidays_and_make_up_days():
    assert is_working_day(D(2026, 3, 2))  # a Monday
    assert not is_working_day(D(2026, 3, 7))  # a Saturday
    assert not is_working_day(D(2026, 10, 5))  # National Day week, a Monday
    assert is_working_day(D(2026, 10, 10))  # the Saturday worked in its place
    assert is_working_day(D(2026, 2, 28))  # Spring Festival make-up Saturday


def test_reception_days_on_national_day_move_to_the_next_working_days():
    # The first Monday of October 2026 is the 5th, inside the holiday: the session moves to the 8th and 9th.
    assert next_working_days(D(2026, 10, 5), 2) == [D(2026, 10, 8), D(2026, 10, 9)]


def test_deadline_counts_working_days_across_a_holiday():
    # Thursday 24 Sep 2026 + 5 working days: 25-27 Sep is the Mid-Autumn holiday, 28-30 Sep work, 1-7 Oct
    # National Day, 8 Oct the fourth, 9 Oct the fifth.
    assert add_working_days(D(2026, 9, 24), 5) == D(2026, 10, 9)
    assert working_days_between(D(2026, 9, 24), D(2026, 10, 9)) == 5
    assert working_days_between(D(2026, 10, 9), D(2026, 9, 24)) == -5
    assert add_working_days(D(2026, 9, 24), 0) == D(2026, 9, 24)


def test_the_calendar_is_data_that_can_be_edited():
    day = D(2027, 3, 1)  # a Monday
    assert is_working_day(day)
    CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
    assert not is_working_day(day)
    assert next_working_days(day, 1) == [D(2027, 3, 2)]
