"""Creating a county: all or nothing, with clear errors in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from access.models import Membership, Role
from audit.models import AuditEntry
from tenants.models import Account, County, Domain, SpareSchema
from tenants.orchestration import provisioning
from tenants.orchestration.provisioning import county_provision
from tenants.services.schemas import fingerprint, schema_exists
from tenants.services.spares import spare_names

pytestmark = pytest.mark.django_db


def _provision(world, **overrides):
    fields = dict(name="丙县", division_code="990103", slug="gamma", province=world.province,
                  prefecture=world.prefecture, admin_mobile="13700000099", admin_name="丙县管理员")
    fields.update(overrides)
    return county_provision(**fields)


def _footprint():
    return (County.objects.count(), Domain.objects.count(), Account.objects.count())


def test_provisioning_makes_schema_domain_and_first_administrator(world):
    county = _provision(world)
    assert county.schema_name == "county_990103"
    assert schema_exists(county.schema_name)
    assert fingerprint(county.schema_name) == fingerprint("county_template")
    assert county.domains.get().domain == "gamma.localhost"
    admin = Account.objects.get(mobile="13700000099")
    assert not admin.has_usable_password()  # until first login
    with schema_context(county.schema_name):
        assert Membership.objects.get(account=admin).role == Role.COUNTY_ADMIN
        assert AuditEntry.objects.filter(action="county.provision").count() == 1


def test_provisioning_takes_a_spare_schema_when_there_is_one(world):
    spares = spare_names()
    assert spares, "the test world keeps a pool of spares"
    county = _provision(world)
    assert set(spare_names()) == set(spares) - {spares[0]}
    assert not schema_exists(spares[0])  # renamed to the county's schema
    assert fingerprint(county.schema_name) == fingerprint("county_template")


def test_provisioning_clones_the_template_when_the_pool_is_empty(world):
    SpareSchema.objects.all().delete()  # the rows only: the schemas stay, unclaimed
    county = _provision(world)
    assert fingerprint(county.schema_name) == fingerprint("county_template")


def test_failed_provisioning_gives_the_spare_back(world, monkeypatch):
    spares = spare_names()
    monkeypatch.setattr(provisioning, "membership_grant", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _provision(world)
    connection.set_schema_to_public()
    assert spare_names() == spares and all(schema_exists(name) for name in spares)


def test_existing_person_becomes_administrator_without_a_second_account(world):
    before = Account.objects.count()
    _provision(world, admin_mobile=world.deputy_a.mobile, admin_name="甲县代表")
    assert Account.objects.count() == before


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (dict(slug="Gamma"), "slug", "域名标识只能使用小写字母、数字和连字符"),
        (dict(slug="gam_ma"), "slug", "域名标识只能使用小写字母、数字和连字符"),
        (dict(slug="-gamma"), "slug", "域名标识只能使用小写字母、数字和连字符"),
        (dict(slug="www"), "slug", "是保留字"),
        (dict(slug="alpha"), "slug", "已存在"),
        (dict(division_code="99010"), "division_code", "行政区划代码应为6位数字"),
        (dict(division_code="990101"), "division_code", "已存在"),
        (dict(admin_mobile="12345"), "admin_mobile", "请输入11位中国大陆手机号码"),
        (dict(admin_name=""), "admin_name", "请填写管理员姓名"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_made(world, overrides, field, message):
    before = _footprint()
    with pytest.raises(ValidationError) as caught:
        _provision(world, **overrides)
    assert any(message in text for text in caught.value.message_dict[field]), caught.value.message_dict
    assert _footprint() == before
    assert not schema_exists("county_990103")


def test_failure_midway_leaves_nothing_behind(world, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("simulated failure after the schema was cloned")

    monkeypatch.setattr(provisioning, "membership_grant", explode)
    before = _footprint()
    with pytest.raises(RuntimeError):
        _provision(world)
    connection.set_schema_to_public()
    assert _footprint() == before
    assert not schema_exists("county_990103")


def test_leftover_schema_with_the_same_name_is_refused(world):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "county_990103"')
    with pytest.raises(ValidationError) as caught:
        _provision(world)
    assert "已有数据库模式" in str(caught.value)
    assert not County.objects.filter(slug="gamma").exists()


def test_command_reports_errors_in_chinese(world):
    with pytest.raises(CommandError) as caught:
        call_command("create_county", name="丁县", code="abc", slug="Bad_Slug", province="990000",
                     admin_mobile="13700000098", admin_name="丁县管理员")
    assert "行政区划代码应为6位数字" in str(caught.value)
    assert "域名标识只能使用小写字母" in str(caught.value)
    with pytest.raises(CommandError, match="没有区划代码为 123456 的省"):
        call_command("create_county", name="丁县", code="990104", slug="delta", province="123456",
                     admin_mobile="13700000098", admin_name="丁县管理员")


def test_command_creates_a_county(world, capsys):
    call_command("create_county", name="丁县", code="990104", slug="delta", province="990000",
                 prefecture="990100", admin_mobile="13700000098", admin_name="丁县管理员")
    assert "已创建 丁县" in capsys.readouterr().out
    assert County.objects.get(slug="delta").prefecture == world.prefecture
