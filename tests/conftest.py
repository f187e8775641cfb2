"""The test world: two counties and people around them, made once per session and committed.

Tests run in a transaction that is rolled back, so they may change anything. Actors, after
Healthchecks' alice/bob: an administrator and a deputy of Alpha, an administrator of Beta, a
provincial staff member, and an outsider with no role anywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from access.models import Role
from access.services import membership_grant
from tenants.middleware import forget_hosts
from tenants.models import Account, County, Prefecture, Province, RegionRole
from tenants.services.provisioning import county_provision
from tenants.services.spares import spares_fill

PASSWORD = "test-pass-2026"
ALPHA_HOST = "alpha.localhost"
BETA_HOST = "beta.localhost"
PLATFORM_HOST = "localhost"


@dataclass(frozen=True)
class World:
    province: Province
    prefecture: Prefecture
    alpha: County
    beta: County
    admin_a: Account
    deputy_a: Account
    admin_b: Account
    province_staff: Account
    outsider: Account


def _account(mobile: str, name: str) -> Account:
    return Account.objects.create_user(mobile, name, password=PASSWORD)


def _build_world() -> None:
    province = Province.objects.create(name="测试省", division_code="990000")
    prefecture = Prefecture.objects.create(name="测试州", division_code="990100", province=province)
    alpha = county_provision(name="甲县", division_code="990101", slug="alpha", province=province,
                             prefecture=prefecture, admin_mobile="13700000001", admin_name="甲县管理员")
    county_provision(name="乙县", division_code="990102", slug="beta", province=province,
                     prefecture=prefecture, admin_mobile="13700000002", admin_name="乙县管理员")
    for mobile in ("13700000001", "13700000002"):
        account = Account.objects.get(mobile=mobile)
        account.set_password(PASSWORD)
        account.save()
    deputy = _account("13700000011", "甲县代表")
    with schema_context(alpha.schema_name):
        membership_grant(account=deputy, role=Role.DEPUTY, actor=None)
    staff = _account("13700000021", "省人大工作人员")
    RegionRole.objects.create(account=staff, role=RegionRole.Role.PROVINCE_STAFF, province=province)
    _account("13700000031", "无关人员")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database, always made (pytest-django makes it only when a collected test is marked
    django_db, and the browser and worker tests are not: they need committed data)."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        assert connection.settings_dict["NAME"].startswith("test_"), "refusing to build the world outside a test DB"
        call_command("migrate_fleet")
        _build_world()
        spares_fill()  # the world's two counties took the spares migrate_fleet made
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="session")
def world(django_db_setup, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        return World(
            province=Province.objects.get(division_code="990000"),
            prefecture=Prefecture.objects.get(division_code="990100"),
            alpha=County.objects.get(slug="alpha"),
            beta=County.objects.get(slug="beta"),
            admin_a=Account.objects.get(mobile="13700000001"),
            deputy_a=Account.objects.get(mobile="13700000011"),
            admin_b=Account.objects.get(mobile="13700000002"),
            province_staff=Account.objects.get(mobile="13700000021"),
            outsider=Account.objects.get(mobile="13700000031"),
        )


@pytest.fixture(autouse=True)
def _public_schema_and_fresh_hosts():
    """Each test starts in the public schema, with no host -> county memory from an earlier test."""
    forget_hosts()
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()
    forget_hosts()


def login(host: str, account: Account | None) -> Client:
    """A client on `host`, logged in through the real login form (sessions live per schema)."""
    client = Client(HTTP_HOST=host)
    if account is not None:
        response = client.post("/login/", {"mobile": account.mobile, "password": PASSWORD})
        assert response.status_code == 302, f"login of {account.mobile} on {host} failed"
    return client


def children_database_url() -> str:
    """A DATABASE_URL for child processes (worker, web server) that points at the test database."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s.get("PASSWORD") else "")
    host = s["HOST"] or ""
    if host.startswith("/"):
        return f"postgres://{auth}@/{s['NAME']}?host={host}"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


def child_env() -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env["DATABASE_URL"] = children_database_url()
    env["REDIS_URL"] = settings.REDIS_URL
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return env
