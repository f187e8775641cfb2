"""The organisation workbook (组织架构): each division-code rule, parents resolved within the file and
against the county, all or nothing (one bad row among 1,000), re-import by code, and export -> import."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from audit.models import AuditEntry
from core.xlsx import sheets_to_xlsx
from organisation.models import HandlingUnit, Township, Venue, Village
from organisation.services.workbook import (
    SHEETS,
    organisation_export,
    organisation_import,
    organisation_template,
)
from organisation.services.workbook.columns import TOWNSHIPS, UNITS, VENUES, VILLAGES
from people.actors import actor_for

pytestmark = pytest.mark.django_db

COUNTY = "990101"  # the test county Alpha's code (tests/conftest.py); 东镇 is 990101100, 西乡 990101200


@pytest.fixture
def alpha(world):
    with tenant_context(world.alpha):
        yield world


@pytest.fixture
def admin(alpha):
    return actor_for(alpha.admin_a)


def workbook(**sheets: list[list]) -> bytes:
    """A workbook with the given sheets' rows (by key), in the template's columns."""
    by_key = {sheet.key: sheet for sheet in SHEETS}
    return sheets_to_xlsx([(str(by_key[key].title), by_key[key].headers, rows) for key, rows in sheets.items()])


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def counts() -> tuple[int, int, int, int]:
    return Township.objects.count(), Village.objects.count(), Venue.objects.count(), HandlingUnit.objects.count()


def test_a_county_set_up_from_one_workbook(admin):
    content = workbook(
        townships=[[f"{COUNTY}300", "南街道", "街道", "2020-03-01"]],
        villages=[[f"{COUNTY}300001", "南社区", "社区", "南街道"],
                  [f"{COUNTY}100002", "北村", "村", f"{COUNTY}100"]],  # a township named by its code
        venues=[["南街道代表之家", "代表之家", "南街道", "", "南街道办事处三楼", "每周一上午", "王某", "0718-1234567",
                 "已建成运行"],
                ["南社区联络站", "村（社区）联络站", "", "南社区", "", "", "", "", ""]],  # township from the village
        units=[["甲县教育局", "政府部门", "李某", "0718-7654321", "是"]],
    )
    result = organisation_import(actor=admin, content=content)
    assert result.ok, messages(result)
    assert result.counts()["townships_created"] == 1 and result.counts()["villages_created"] == 2
    south = Township.objects.get(name="南街道")
    assert (south.division_code, south.kind, str(south.started_on)) == (f"{COUNTY}300", "street", "2020-03-01")
    assert Village.objects.get(name="北村").township.name == "东镇"
    station = Venue.objects.get(name="南社区联络站")
    assert (station.township, station.village.name, station.status) == (south, "南社区", Venue.Status.OPEN)
    home = Venue.objects.get(name="南街道代表之家")
    assert (home.address, home.opening_hours, home.contact_phone) == ("南街道办事处三楼", "每周一上午", "0718-1234567")
    assert HandlingUnit.objects.get(name="甲县教育局").contact_name == "李某"
    assert AuditEntry.objects.filter(action="organisation.import").count() == 1


@pytest.mark.parametrize(("sheets", "expected"), [
    ({"townships": [["99010130", "南街道", "街道", ""]]},
     "【乡镇（街道）】第2行：乡镇区划代码应为9位数字（或末三位为000的12位统计用区划代码）"),
    ({"townships": [["990101300123", "南街道", "街道", ""]]},
     "【乡镇（街道）】第2行：乡镇区划代码应为9位数字（或末三位为000的12位统计用区划代码）"),
    ({"townships": [["990102300", "南街道", "街道", ""]]},
     "【乡镇（街道）】第2行：乡镇代码应以本县（市、区）区划代码990101开头"),
    ({"townships": [["990101300", "南街道", "", ""], ["990101300", "北街道", "", ""]]},
     "【乡镇（街道）】第3行：区划代码与第2行重复"),
    ({"townships": [["990101300", "南街道", "", ""], ["990101300000", "北街道", "", ""]]},
     "【乡镇（街道）】第3行：区划代码与第2行重复"),
    ({"townships": [["990101300", "西乡", "", ""]]},
     "【乡镇（街道）】第2行：本县已有名为“西乡”的乡镇（街道），名称不能重复"),
    ({"villages": [["99010110000", "北村", "村", "东镇"]]}, "【村（社区）】第2行：村（社区）区划代码应为12位数字"),
    ({"villages": [[f"{COUNTY}200002", "北村", "村", "东镇"]]},
     "【村（社区）】第2行：村代码应以所属乡镇代码990101100开头"),
    ({"villages": [[f"{COUNTY}100002", "北村", "村", "东镇"], [f"{COUNTY}100002", "南村", "村", "东镇"]]},
     "【村（社区）】第3行：区划代码与第2行重复"),
    ({"villages": [[f"{COUNTY}100002", "东村", "村", "东镇"]]},
     "【村（社区）】第2行：所属乡镇已有名为“东村”的村（社区），名称不能重复"),
    ({"villages": [[f"{COUNTY}900002", "北村", "村", "九镇"]]},
     "【村（社区）】第2行：所属乡镇“九镇”不存在或已撤销"),
    ({"villages": [[f"{COUNTY}100002", "北村", "庄", "东镇"]]},
     "【村（社区）】第2行：类型“庄”无法识别（应为村、社区）"),
    ({"venues": [["北村联络站", "村（社区）联络站", "东镇", "", "", "", "", "", ""]]},
     "【代表之家和联络站】第2行：村（社区）联络站须选择所在村（社区）。"),
    ({"venues": [["北村联络站", "村（社区）联络站", "西乡", "东村", "", "", "", "", ""]]},
     "【代表之家和联络站】第2行：所在村（社区）“东村”不存在或已撤销"),
    ({"venues": [["北村联络站", "村（社区）联络站", "西乡", f"{COUNTY}100001", "", "", "", "", ""]]},
     "【代表之家和联络站】第2行：该村（社区）不属于所选乡镇。"),
    ({"venues": [["县联络站", "县级代表联络站", "东镇", "", "", "", "", "", ""]]},
     "【代表之家和联络站】第2行：县级联络站不属于某个乡镇。"),
    ({"units": [["教育局", "", "", "", "也许"]]},
     "【承办单位】第2行：是否有效“也许”无法识别（应为是、有效、否、无效、停用）"),
])
def test_each_rule_refuses_in_chinese_and_writes_nothing(admin, sheets, expected):
    before = counts()
    result = organisation_import(actor=admin, content=workbook(**sheets))
    assert expected in messages(result)
    assert counts() == before


def test_a_twelve_digit_township_code_is_stored_as_nine(admin):
    result = organisation_import(actor=admin, content=workbook(townships=[[f"{COUNTY}300000", "南街道", "", ""]]))
    assert result.ok, messages(result)
    assert Township.objects.get(name="南街道").division_code == f"{COUNTY}300"


def test_villages_check_their_code_against_a_township_of_the_same_file(admin):
    result = organisation_import(actor=admin, content=workbook(
        townships=[[f"{COUNTY}300", "南街道", "街道", ""]],
        villages=[[f"{COUNTY}100001", "南社区", "社区", "南街道"]]))  # 东村's code, under another township
    assert messages(result) == ["【村（社区）】第2行：村代码应以所属乡镇代码990101300开头"]


def test_one_bad_row_among_a_thousand_writes_nothing(admin):
    villages = ([[f"{COUNTY}100{n:03d}", f"东{n}村", "村", "东镇"] for n in range(2, 1000)]
                + [[f"{COUNTY}200{n:03d}", f"西{n}村", "村", "西乡"] for n in (2, 3)])
    assert len(villages) == 1000
    villages[611][0] = f"{COUNTY}200613"  # Excel row 613: 西乡's code under 东镇
    before = counts()
    result = organisation_import(actor=admin, content=workbook(villages=villages))
    assert messages(result) == ["【村（社区）】第613行：村代码应以所属乡镇代码990101100开头"]
    assert counts() == before
    villages[611][0] = f"{COUNTY}100613"
    assert organisation_import(actor=admin, content=workbook(villages=villages)).ok
    assert Village.objects.count() == before[1] + 1000


def test_reimport_updates_by_code_and_never_duplicates(admin):
    before = counts()
    content = workbook(townships=[[f"{COUNTY}100", "东城镇", "", ""]],
                       villages=[[f"{COUNTY}100001", "东村", "社区", "东城镇"]],
                       venues=[["东镇代表之家", "代表之家", "东城镇", "", "镇政府一楼", "", "", "", ""]])
    result = organisation_import(actor=admin, content=content)
    assert result.ok, messages(result)
    assert counts() == before
    east = Township.objects.get(division_code=f"{COUNTY}100")
    assert (east.name, east.kind) == ("东城镇", Township.Kind.TOWN)  # a blank 类型 keeps the stored kind
    assert Village.objects.get(division_code=f"{COUNTY}100001").kind == Village.Kind.COMMUNITY
    assert Venue.objects.get(name="东镇代表之家").address == "镇政府一楼"
    again = organisation_import(actor=admin, content=content)
    assert again.counts()["unchanged"] == 3 and again.counts()["townships_updated"] == 0


def test_a_village_typed_in_without_a_code_gets_it_by_township_and_name(admin):
    Village.objects.filter(name="东村").update(division_code="")
    result = organisation_import(actor=admin, content=workbook(villages=[[f"{COUNTY}100001", "东村", "村", "东镇"]]))
    assert result.ok, messages(result)
    assert list(Village.objects.filter(name="东村").values_list("division_code", flat=True)) == [f"{COUNTY}100001"]


def test_a_township_typed_in_without_a_code_gets_it_by_name(admin):
    Township.objects.create(name="北乡", kind=Township.Kind.TOWNSHIP)
    result = organisation_import(actor=admin, content=workbook(townships=[[f"{COUNTY}400", "北乡", "", ""]]))
    assert result.ok, messages(result)
    assert Township.objects.filter(name="北乡").count() == 1
    assert Township.objects.get(name="北乡").division_code == f"{COUNTY}400"


def test_export_then_import_round_trips(admin):
    organisation_import(actor=admin, content=workbook(
        townships=[[f"{COUNTY}300", "南街道", "街道", "2020-03-01"]],
        villages=[[f"{COUNTY}300001", "南社区", "社区", "南街道"]],
        venues=[["南社区联络站", "村（社区）联络站", "南街道", "南社区", "南社区服务中心", "周一", "王某",
                 "13800000000", "建设中"]],
        units=[["甲县教育局", "政府部门", "", "", "否"]]))
    exported = organisation_export(actor=admin)
    before = counts()
    result = organisation_import(actor=admin, content=exported)
    assert result.ok, messages(result)
    assert counts() == before
    assert result.counts()["unchanged"] == result.rows == sum(before)
    assert _sheets(organisation_export(actor=admin)) == _sheets(exported)


def _sheets(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_the_template_has_its_sheets_dropdowns_and_instructions(admin):
    book = load_workbook(io.BytesIO(organisation_template()))
    assert book.sheetnames == [str(s.title) for s in SHEETS] + ["填写说明"]
    villages = book[str(VILLAGES.title)]
    assert [c.value for c in villages[1]] == VILLAGES.headers
    formulas = {v.formula1 for v in villages.data_validations.dataValidation}
    assert '"村,社区"' in formulas and "'乡镇（街道）'!$B$2:$B$2000" in formulas
    assert book[str(TOWNSHIPS.title)]["A2"].value.startswith(COUNTY)
    # the template as downloaded imports as nothing: only its example rows
    assert messages(organisation_import(actor=admin, content=organisation_template())) == [
        "文件中没有组织架构数据（请使用组织架构模板）。"]
    assert [c.value for c in book[str(UNITS.title)][1]] == UNITS.headers
    assert [c.value for c in book[str(VENUES.title)][1]] == VENUES.headers


def test_only_the_county_administrator_imports(alpha):
    with pytest.raises(PermissionDenied):
        organisation_import(actor=actor_for(alpha.township_staff_a),
                            content=workbook(units=[["教育局", "", "", "", ""]]))
    with pytest.raises(PermissionDenied):
        organisation_export(actor=actor_for(alpha.township_staff_a))


def test_a_damaged_file_is_refused_whole(admin):
    assert messages(organisation_import(actor=admin, content=b"not a workbook")) == [
        "文件不是有效的 Excel（.xlsx）文件。"]
