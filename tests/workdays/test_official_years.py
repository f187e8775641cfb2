"""A year is official only once its arrangement is loaded: `sync_holidays` from the `holidays` package,
operators' rows kept; /healthz and the admin warn while next year is not official."""

import datetime as dt
import io

import pytest
from celery.schedules import crontab
from django.core.management import call_command
from django.test import Client
from django_tenants.utils import schema_context

from config.celery import app
from frontend.views import health
from tests.test_health import _fresh_heartbeat
from workdays.models import CalendarDay, CalendarYear
from workdays.selectors import is_official_year, is_provisional, is_working_day, years_not_official
from workdays.services import holidays_sync, package_days, package_years
from workdays.tasks import sync_holidays
from workdays.templatetags.workdays_calendar import calendar_banner

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_shipped_years_are_official_and_a_year_without_data_is_not():
    assert is_official_year(2025) and is_official_year(2026)
    assert not is_official_year(2031)
    assert is_provisional(D(2031, 5, 6)) and not is_provisional(D(2026, 5, 6)) and not is_provisional(None)


def test_the_package_has_2026_with_its_make_up_days_and_2027_without_them():
    days = package_days(2026)
    assert days[D(2026, 2, 14)][0] == CalendarDay.Kind.WORKDAY  # Spring Festival make-up Saturday
    assert days[D(2026, 10, 5)][0] == CalendarDay.Kind.HOLIDAY
    # holidays 0.109 carries no State Council notice for 2027: festivals only, no 调休, so not loaded.
    assert 2026 in package_years() and 2027 not in package_years()


def test_sync_loads_a_year_keeps_operators_rows_and_leaves_a_year_it_lacks_provisional():
    with schema_context("public"):
        CalendarYear.objects.filter(year=2026).update(status=CalendarYear.Status.PROVISIONAL)
        CalendarDay.objects.filter(date=D(2026, 10, 8)).delete()
        CalendarDay.objects.create(date=D(2026, 10, 8), kind=CalendarDay.Kind.HOLIDAY, name="县里调整")  # an operator
        CalendarDay.objects.filter(date=D(2026, 2, 14)).delete()  # lost: the sync brings the make-up day back
        out = io.StringIO()
        call_command("sync_holidays", "--year", "2026", "--year", "2027", stdout=out)
        assert "2026: official" in out.getvalue() and "2027: not in the package" in out.getvalue()
        assert CalendarYear.objects.get(year=2026).is_official
        assert CalendarYear.objects.get(year=2027).status == CalendarYear.Status.PROVISIONAL
        kept = CalendarDay.objects.get(date=D(2026, 10, 8))
        assert (kept.kind, kept.name, kept.source) == ("holiday", "县里调整", "operator")
        assert is_working_day(D(2026, 2, 14)) and not is_working_day(D(2026, 10, 5))
        assert CalendarDay.objects.get(date=D(2026, 2, 14)).source == CalendarDay.Source.OFFICIAL
        again = holidays_sync(years=[2026])  # idempotent
        assert again[2026].startswith("official") and CalendarDay.objects.get(date=D(2026, 10, 8)).name == "县里调整"


def test_healthz_names_next_year_in_the_last_quarter_and_stays_200(world, monkeypatch):
    _fresh_heartbeat()
    with schema_context("public"):
        CalendarYear.objects.filter(year=2031).delete()
    monkeypatch.setattr(health.timezone, "localdate", lambda: D(2030, 11, 2))
    response = Client(HTTP_HOST="localhost").get("/healthz")
    assert response.status_code == 200
    assert response.json()["warnings"]["calendar"] == {"year": 2031, "official": False, "warning": True}
    monkeypatch.setattr(health.timezone, "localdate", lambda: D(2030, 7, 2))
    assert "calendar" not in Client(HTTP_HOST="localhost").get("/healthz").json()["warnings"]


def test_the_admin_banner_names_the_years_not_official():
    with schema_context("public"):
        assert years_not_official(on=D(2025, 3, 1)) == []
        CalendarYear.objects.filter(year=2027).delete()
        assert years_not_official(on=D(2026, 12, 1)) == [2027]
        assert "2027年的节假日与调休安排尚未正式载入" in calendar_banner()  # today is in 2026 or later


def test_beat_loads_the_calendar_daily_through_a_thin_idempotent_task(monkeypatch):
    entry = app.conf.beat_schedule["workdays-sync-holidays"]
    assert entry["task"] == sync_holidays.name and isinstance(entry["schedule"], crontab)
    assert entry["schedule"].day_of_week == set(range(7)) and len(entry["schedule"].hour) == 1  # once a day
    monkeypatch.setattr("workdays.tasks.timezone.localdate", lambda: D(2026, 12, 30))
    with schema_context("public"):
        CalendarYear.objects.filter(year=2026).update(status=CalendarYear.Status.PROVISIONAL)
        CalendarDay.objects.filter(date=D(2026, 2, 14)).delete()
        CalendarDay.objects.create(date=D(2026, 10, 9), kind=CalendarDay.Kind.HOLIDAY, name="县里调整")
        report = sync_holidays.apply().get()
        assert report[2026].startswith("official") and report[2027].startswith("not in the package")
        assert CalendarYear.objects.get(year=2026).is_official and not is_official_year(2027)
        rows = list(CalendarDay.objects.filter(date__year=2026).order_by("date").values_list(
            "date", "kind", "name", "source"))
        assert (D(2026, 2, 14), "workday", "调休上班", "official") in rows
        loaded_at = CalendarYear.objects.get(year=2026).loaded_at
        again = sync_holidays.apply().get()  # the next day: nothing to change, the operator's row kept
        assert again[2026] == "official: 28 days from the package, 1 operator rows kept, 0 removed"
        assert list(CalendarDay.objects.filter(date__year=2026).order_by("date").values_list(
            "date", "kind", "name", "source")) == rows
        assert CalendarYear.objects.get(year=2026).loaded_at >= loaded_at
