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
from django_redis import get_redis_connection
from django_tenants.utils import schema_context

from access.models import Role
from access.services import membership_grant
from notifications.services import messages_deliver
from tenants.middleware import forget_hosts
from tenants.models import Account, County, Prefecture, Province, RegionRole
from tenants.orchestration.provisioning import county_provision
from tenants.services.spares import spares_fill

PASSWORD = "test-pass-2026"
_WORLD_IDS: dict = {}
ALPHA_HOST = "alpha.localhost"
BETA_HOST = "beta.localhost"
PLATFORM_HOST = "localhost"


@dataclass(frozen=True)
class World:
    """Accounts are public; the county-side objects below belong to Alpha unless named _b."""

    province: Province
    prefecture: Prefecture
    alpha: County
    beta: County
    admin_a: Account
    deputy_a: Account  # county deputy, stationed at village station v1 (in east town)
    admin_b: Account
    province_staff: Account
    outsider: Account
    township_staff_a: Account  # presidium staff of east town
    station_staff_a: Account  # staff of village station v2 (in west township)
    unit_a: Account  # a handling unit's person
    township_deputy_a: Account  # township deputy of east town
    deputy_b: Account  # a county deputy of Beta
    ids: dict  # ids of Alpha's (and Beta's, suffixed _b) organisation rows and deputies


def _account(mobile: str, name: str) -> Account:
    return Account.objects.create_user(mobile, name, password=PASSWORD)


def _build_organisation(county: County, admin: Account, *, suffix: str = "") -> dict:
    """Townships, villages, venues and deputies of a test county, made through the services."""
    import datetime as dt

    from core.levels import Level
    from organisation.models import HandlingUnit, Township, Venue, Village
    from people.actors import actor_for
    from people.services.deputies import deputy_create, mandate_add, stationing_add

    ids = {}
    with schema_context(county.schema_name):
        actor = actor_for(admin)
        east = Township.objects.create(name=f"东{suffix}镇", division_code=county.division_code + "100",
                                       kind=Township.Kind.TOWN)
        west = Township.objects.create(name=f"西{suffix}乡", division_code=county.division_code + "200",
                                       kind=Township.Kind.TOWNSHIP)
        v_east = Village.objects.create(township=east, name="东村", division_code=county.division_code + "100001")
        v_west = Village.objects.create(township=west, name="西村", division_code=county.division_code + "200001")
        home = Venue.objects.create(name=f"东{suffix}镇代表之家", kind=Venue.Kind.HOME, township=east)
        v1 = Venue.objects.create(name=f"东村{suffix}联络站", kind=Venue.Kind.VILLAGE_STATION, township=east,
                                  village=v_east)
        v2 = Venue.objects.create(name=f"西村{suffix}联络站", kind=Venue.Kind.VILLAGE_STATION, township=west,
                                  village=v_west)
        unit = HandlingUnit.objects.create(name=f"{county.name}住建局")
        ids.update(east=east.pk, west=west.pk, village_east=v_east.pk, village_west=v_west.pk, home=home.pk,
                   v1=v1.pk, v2=v2.pk, unit=unit.pk)
        start = dt.date(2021, 10, 1)
        people = {}
        for key, mobile, name, level, township, venue in [
            ("deputy", f"1370000{'0' if not suffix else '9'}011", f"{county.name}县代表", Level.COUNTY, None, v1),
            ("township_deputy", f"1370000{'0' if not suffix else '9'}012", f"{county.name}镇代表",
             Level.TOWNSHIP, east, home),
            ("west_deputy", f"1370000{'0' if not suffix else '9'}013", f"{county.name}乡代表", Level.TOWNSHIP,
             west, v2),
        ]:
            account = Account.objects.filter(mobile=mobile).first()
            if account is None:
                account = Account.objects.create_user(mobile, name, password=PASSWORD)
            deputy = deputy_create(actor=actor, mobile=account.mobile, name=account.name,
                                   id_number=f"43052519800101{mobile[-4:]}")
            mandate_add(actor=actor, deputy=deputy, level=level, term=17 if level == Level.COUNTY else 19,
                        township=township, started_on=start)
            stationing_add(actor=actor, deputy=deputy, venue=venue, started_on=start)
            people[key] = deputy
            ids[key] = deputy.pk
    return ids


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
    ids = _build_organisation(alpha, Account.objects.get(mobile="13700000001"))
    ids_b = _build_organisation(County.objects.get(slug="beta"), Account.objects.get(mobile="13700000002"),
                                suffix="乙")
    from organisation.models import Township, Venue
    with schema_context(alpha.schema_name):
        membership_grant(account=_account("13700000041", "东镇主席团"), role=Role.TOWNSHIP_STAFF, actor=None,
                         township=Township.objects.get(pk=ids["east"]))
        membership_grant(account=_account("13700000042", "西村站联络员"), role=Role.STATION_STAFF, actor=None,
                         venue=Venue.objects.get(pk=ids["v2"]), position="liaison_officer")
        from organisation.models import HandlingUnit
        membership_grant(account=_account("13700000043", "住建局承办人"), role=Role.HANDLING_UNIT, actor=None,
                         handling_unit=HandlingUnit.objects.get(pk=ids["unit"]))
    staff = _account("13700000021", "省人大工作人员")
    RegionRole.objects.create(account=staff, role=RegionRole.Role.PROVINCE_STAFF, province=province)
    _account("13700000031", "无关人员")
    for county in County.objects.all():
        with schema_context(county.schema_name):
            messages_deliver()  # the administrators' invitations from provisioning, as a worker would
    _WORLD_IDS.update(ids)
    _WORLD_IDS.update({f"{k}_b": v for k, v in ids_b.items()})


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database, always made (pytest-django makes it only when a collected test is marked
    django_db, and the browser and worker tests are not: they need committed data)."""
    from django.test.utils import setup_databases, teardown_databases

    # On a Citus cluster the test database is prepared on every node beforehand (tests/citus): kept, not made.
    keepdb = os.environ.get("JIAZHAN_TEST_KEEPDB") == "1"
    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"}, keepdb=keepdb)
        assert connection.settings_dict["NAME"].startswith("test_"), "refusing to build the world outside a test DB"
        call_command("migrate_fleet")
        _build_world()
        spares_fill()  # the world's two counties took the spares migrate_fleet made
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0, keepdb=keepdb)


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
            township_staff_a=Account.objects.get(mobile="13700000041"),
            station_staff_a=Account.objects.get(mobile="13700000042"),
            unit_a=Account.objects.get(mobile="13700000043"),
            township_deputy_a=Account.objects.get(mobile="13700000012"),
            deputy_b=Account.objects.get(mobile="13700009011"),
            ids={**_WORLD_IDS, "county_alpha": County.objects.get(slug="alpha").pk},
        )


@pytest.fixture(autouse=True)
def _public_schema_and_fresh_hosts():
    """Each test starts in the public schema, with no host -> county memory from an earlier test."""
    forget_hosts()
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()
    forget_hosts()


@pytest.fixture(autouse=True)
def _no_signin_failures_counted_per_address():
    """Every test client signs in from 127.0.0.1, and the permission matrix's refused logins would soon
    block that address (access.signin.ADDRESS_FAILURES): each test starts with no per-address count."""
    forget_cache_keys("*access:signin-fail:*")


def forget_cache_keys(pattern: str) -> None:
    """Delete cache keys of every schema (django-redis' delete_pattern would prefix this schema's name)."""
    redis = get_redis_connection("default")
    keys = list(redis.scan_iter(match=pattern, count=1000))
    if keys:
        redis.delete(*keys)


@pytest.fixture
def as_(world):
    """as_("admin_a") -> a client logged in on Alpha's host as that actor."""
    return lambda name: login(ALPHA_HOST, getattr(world, name))


@pytest.fixture
def alpha(world):
    """`with alpha():` runs ORM calls in Alpha's schema."""
    return lambda: schema_context(world.alpha.schema_name)


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary folder. django-tenants' storage caches MEDIA_ROOT joined with the schema
    and does not forget it when the setting changes: drop that cache on the way in and out."""
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = tmp_path
    storages["default"].__dict__.pop("relative_media_root", None)
    yield tmp_path
    storages["default"].__dict__.pop("relative_media_root", None)


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
        port = f":{s['PORT']}" if s.get("PORT") else ""  # a socket file is named by its port
        return f"postgres://{auth}@{port}/{s['NAME']}?host={host}"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


def child_env() -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env["DATABASE_URL"] = children_database_url()
    env["REDIS_URL"] = settings.REDIS_URL
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return env


@pytest.fixture
def upper(world):
    """Staff above the counties, for who-sees-what tests: the province's, its prefecture's, another prefecture's
    of the same province, another province's, an operator; and people who are none of these."""
    other_prefecture = Prefecture.objects.create(name="测试二州", division_code="990200", province=world.province)
    other_province = Province.objects.create(name="测试二省", division_code="980000")
    made = {"province_staff": world.province_staff}
    for name, mobile, kwargs in [
        ("prefecture_staff", "13700000051", {"role": RegionRole.Role.PREFECTURE_STAFF,
                                             "province": world.province, "prefecture": world.prefecture}),
        ("other_prefecture_staff", "13700000052", {"role": RegionRole.Role.PREFECTURE_STAFF,
                                                   "province": world.province, "prefecture": other_prefecture}),
        ("other_province_staff", "13700000053", {"role": RegionRole.Role.PROVINCE_STAFF,
                                                 "province": other_province}),
    ]:
        account = Account.objects.create_user(mobile, name, password=PASSWORD)
        RegionRole.objects.create(account=account, **kwargs)
        made[name] = account
    made["operator"] = Account.objects.create_user("13700000054", "平台运维", password=PASSWORD, is_staff=True)
    made["outsider"] = world.outsider
    made["county_admin"] = world.admin_a
    return made
