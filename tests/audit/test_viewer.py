"""The audit viewer: county administrators read their county's rows, operators the platform's; labels, never
raw codes; filters; the export is itself audited; every row carries the client address."""

import io
import re

import openpyxl
import pytest
from django.test import Client

from audit.models import AuditEntry
from audit.services import audit_record
from tenants.models import Account, PlatformAuditEntry
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_grant_through_the_page_records_the_client_address(world, as_, alpha):
    client = as_("admin_a")
    client.post("/members/grant/", {"mobile": "13912377101", "name": "新观察员", "role": "opinion_observer"},
                REMOTE_ADDR="10.1.2.3")
    with alpha():
        entry = AuditEntry.objects.filter(action="membership.grant").order_by("-id").first()
    assert entry.client_address == "10.1.2.3"
    assert entry.actor_id == world.admin_a.pk


def test_the_page_shows_labels_not_codes(world, as_, alpha):
    with alpha():
        audit_record(actor=world.admin_a, action="roster.import", data={"rows": 3})
    response = as_("admin_a").get("/audit/")
    text = response.content.decode()
    assert response.status_code == 200
    visible = re.sub(r"<[^>]*>", " ", text)  # option values (the filter's codes) are not shown
    assert "导入代表名册" in visible and "roster.import" not in visible
    assert world.admin_a.name in text


def test_filters_by_who_what_and_dates(world, as_, alpha):
    with alpha():
        audit_record(actor=world.township_staff_a, action="village.save")
        audit_record(actor=world.admin_a, action="venue.save")
    client = as_("admin_a")
    rows = client.get("/api/v1/audit/", {"who": world.township_staff_a.mobile}).json()["results"]
    assert rows and {r["actor_id"] for r in rows} == {world.township_staff_a.pk}
    rows = client.get("/api/v1/audit/", {"action": "venue.save"}).json()["results"]
    assert rows and {r["action_label"] for r in rows} == {"保存站点"}
    assert client.get("/api/v1/audit/", {"until": "2001-01-01"}).json()["results"] == []
    assert client.get("/api/v1/audit/", {"since": "not a date"}).status_code == 400
    page = client.get("/audit/", {"action": "venue.save", "who": world.admin_a.name})
    assert "保存站点" in page.content.decode()


def test_the_export_is_an_excel_file_and_leaves_an_audit_row(world, as_, alpha):
    with alpha():
        audit_record(actor=world.admin_a, action="deputy.update")
    response = as_("admin_a").get("/audit/", {"export": "xlsx", "action": "deputy.update"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=4).value == "修改代表信息"
    with alpha():
        assert AuditEntry.objects.filter(action="audit.export", actor_id=world.admin_a.pk).exists()


def test_the_admin_home_lists_recent_actions_by_label(world, as_, alpha):
    with alpha():
        audit_record(actor=world.admin_a, action="pairing.auto")
    text = as_("admin_a").get("/").content.decode()
    assert "自动建立联系" in text and "pairing.auto" not in re.sub(r"<[^>]*>", " ", text)


def test_operators_read_the_platform_audit_on_the_platform_host(world):
    operator = Account.objects.create_user("13912377102", "运维人员", password=PASSWORD)
    operator.is_staff = True
    operator.save()
    audit_record(actor=operator, action="county.provision", data={"slug": "x"})
    client = Client(HTTP_HOST="localhost")
    assert client.post("/login/", {"mobile": operator.mobile, "password": PASSWORD}).status_code == 302
    text = client.get("/audit/").content.decode()
    assert "开通县级平台" in text
    rows = client.get("/api/v1/audit/").json()["results"]
    assert [r["action"] for r in rows[:2]] == ["auth.login", "county.provision"]  # the sign-in is audited too
    assert rows[1]["action_label"] == "开通县级平台" and rows[0]["action_label"] == "登录成功"
    client.get("/audit/", {"export": "xlsx"})
    assert PlatformAuditEntry.objects.filter(action="audit.export", actor_id=operator.pk).exists()
