"""The roster's API and page: the template, import and export through both, a sheet beyond the template
refused in Chinese, and who may reach the page."""

from __future__ import annotations

import time

import pytest

from core.xlsx import XLSX_CONTENT_TYPE, xlsx_rows
from people.models import Deputy
from tenants.models import Account
from tests.conftest import ALPHA_HOST, login
from tests.people.roster.files import (
    HEADERS,
    REFUSED,
    by_mobile,
    person,
    roster,
    stretched,
    upload,
)

pytestmark = pytest.mark.django_db



# ---------------------------------------------------------------- API and page


def test_api_template_import_and_export(alpha):
    client = login(ALPHA_HOST, alpha.admin_a)
    template = client.get("/api/v1/roster/template/")
    assert template.status_code == 200 and template["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in template["Content-Disposition"]
    assert xlsx_rows(template.content)[0] == HEADERS

    bad = client.post("/api/v1/roster/import/",
                      {"file": upload(roster(person(), person(mobile="123", id_number="", group_role="")))})
    assert bad.status_code == 400
    assert bad.json() == {"errors": [
        {"row": 3, "messages": ["手机号码格式不正确（应为11位数字）"]}]}
    assert not Account.objects.filter(mobile="13912340001").exists()

    good = client.post("/api/v1/roster/import/", {"file": upload(roster(person()))})
    assert good.status_code == 200
    assert good.json()["created"] == 1 and good.json()["updated"] == 0
    again = client.post("/api/v1/roster/import/", {"file": upload(roster(person()))})
    assert again.json()["created"] == 0 and again.json()["updated"] == 1

    exported = client.get("/api/v1/roster/export/")
    assert exported.status_code == 200 and exported["Content-Type"] == XLSX_CONTENT_TYPE
    names = [values[0] for _n, values in xlsx_rows(exported.content)[1]]
    assert "李秀英" in names and len(names) == Deputy.objects.count()


def test_api_refuses_a_sheet_beyond_the_template_in_chinese(alpha):
    client = login(ALPHA_HOST, alpha.admin_a)
    started = time.process_time()  # CPU, not the wall clock: see test_import.py
    response = client.post("/api/v1/roster/import/", {"file": upload(stretched(roster(person())))})
    assert time.process_time() - started < 5.0
    assert response.status_code == 400
    assert response.json() == {"errors": [{"row": None, "messages": [REFUSED]}]}


def test_api_import_without_a_file(alpha):
    response = login(ALPHA_HOST, alpha.admin_a).post("/api/v1/roster/import/", {})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"row": None, "messages": ["请选择要导入的 .xlsx 文件。"]}]}


def test_api_export_of_township_staff_holds_their_deputies_only(alpha):
    exported = login(ALPHA_HOST, alpha.township_staff_a).get("/api/v1/roster/export/")
    names = {values[0] for _n, values in xlsx_rows(exported.content)[1]}
    assert names == {"甲县县代表", "甲县镇代表"}  # stationed or mandated in the east town


def test_page_shows_row_errors_then_success(alpha):
    client = login(ALPHA_HOST, alpha.township_staff_a)
    page = client.get("/roster/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "名册导入" in body and "/roster/template/" in body and "/roster/export/" in body

    township_only = {"levels": "乡", "county_term": "", "county_district": ""}
    failed = client.post("/roster/", {"file": upload(roster(person(mobile="1391234", **township_only)))})
    assert failed.status_code == 400
    text = failed.content.decode()
    assert "第2行" in text
    assert "手机号码格式不正确（应为11位数字）" in text and "未导入任何数据" in text
    assert not Account.objects.filter(mobile="13912340001").exists()

    done = client.post("/roster/", {"file": upload(roster(person(**township_only)))}, follow=True)
    assert "导入成功：新增代表 1 名，更新 0 名" in done.content.decode()
    assert by_mobile("13912340001").account.name == "李秀英"

    assert client.get("/roster/template/")["Content-Type"] == XLSX_CONTENT_TYPE
    assert client.get("/roster/export/")["Content-Type"] == XLSX_CONTENT_TYPE


def test_page_refuses_a_sheet_beyond_the_template_in_chinese(alpha):
    client = login(ALPHA_HOST, alpha.admin_a)
    started = time.process_time()  # CPU, not the wall clock: see test_import.py
    response = client.post("/roster/", {"file": upload(stretched(roster(person())))})
    assert time.process_time() - started < 5.0
    assert response.status_code == 400  # the page again, with the file's error
    assert REFUSED in response.content.decode()


@pytest.mark.parametrize("who", ["station_staff_a", "deputy_a", "unit_a"])
def test_page_is_for_staff_who_import(alpha, who):
    client = login(ALPHA_HOST, getattr(alpha, who))
    assert client.get("/roster/").status_code == 403
    assert client.get("/roster/export/").status_code == 403
    assert "名册导入" not in client.get("/").content.decode()


def test_nav_shows_the_page_to_the_county_admin(alpha):
    assert "名册导入" in login(ALPHA_HOST, alpha.admin_a).get("/").content.decode()
