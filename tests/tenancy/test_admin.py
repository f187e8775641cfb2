"""The operators' admin lives on the platform host only, for operators only."""

import pytest
from django.test import Client

from tenants.models import Account
from tests.conftest import ALPHA_HOST, PASSWORD, PLATFORM_HOST

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
