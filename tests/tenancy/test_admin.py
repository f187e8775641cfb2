"""The operators' admin lives on the platform host only, for operators only."""

import pytest
from django.test import Client
from django.utils import timezone

from tenants.models import Account
from tests.conftest import ALPHA_HOST, PASSWORD, PLATFORM_HOST
from workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return Account.objects.create_superuser("13700000099", "平台运维", password=PASSWORD)


def _admin_login(host: str, mobile: str) -> Client:
    client = Client(HTTP_HOST=host)
    client.post("/admin/login/", {"username": mobile, "password": PASSWORD, "next": "/admin/"})
    return client


def test_operator_uses_the_admin_on_the_platform_host(world, operator):
    client = _admin_login(PLATFORM_HOST, operator.mobile)
    page = client.get("/admin/tenants/county/")
    assert page.status_code == 200
    assert "甲县" in page.content.decode() and "乙县" in page.content.decode()


def test_admin_does_not_exist_on_a_county_host(world, operator):
    assert Client(HTTP_HOST=ALPHA_HOST).get("/admin/").status_code == 404


def test_county_administrator_is_no_operator(world):
    client = _admin_login(PLATFORM_HOST, world.admin_a.mobile)
    assert client.get("/admin/tenants/county/").status_code == 302  # back to the admin login


def test_the_admin_index_warns_while_a_year_is_not_official_and_operators_can_mark_it(
        world, operator, django_capture_on_commit_callbacks):
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.filter(year=next_year).delete()
    client = _admin_login(PLATFORM_HOST, operator.mobile)
    page = client.get("/admin/").content.decode()
    assert f"{next_year}年的节假日与调休安排尚未正式载入" in page
    # The operator enters a day (kept by later syncs) and marks the year official: every county re-plans.
    client.post("/admin/workdays/calendarday/add/", {"date": f"{next_year}-10-04", "kind": "holiday", "name": "国庆节"})
    assert CalendarDay.objects.get(date=f"{next_year}-10-04").source == CalendarDay.Source.OPERATOR
    CalendarYear.objects.create(year=next_year)
    row = CalendarYear.objects.get(year=next_year)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post("/admin/workdays/calendaryear/", {"action": "mark_official", "_selected_action": [row.pk]})
    assert CalendarYear.objects.get(year=next_year).is_official and len(callbacks) == 1
    assert "尚未正式载入" not in client.get("/admin/").content.decode()
