"""The registers (三簿一卡) as Excel: the same Register the page and the PDF print, as a workbook -- title,
subtitle and facts on 概况, the rows on 明细, each section on a sheet of its own -- masked as the page is."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.xlsx import XLSX_CONTENT_TYPE, sheets_to_xlsx

pytestmark = pytest.mark.django_db


def _sheets(response) -> dict[str, list[list]]:
    """Every sheet of a downloaded workbook, as rows of cell values (header row first)."""
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    try:
        return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}
    finally:
        workbook.close()


def test_the_activity_register_and_the_contact_card_as_excel(world, alpha, as_):
    from duties.services.records import duty_record_log
    from organisation.models import Venue
    from people.actors import actor_for
    from people.models import Deputy

    with alpha():
        duty_record_log(actor=actor_for(world.deputy_a), deputy=Deputy.objects.get(pk=world.ids["deputy"]),
                        kind="visit", occurred_on=dt.date(2025, 3, 4), title="登记簿里的走访",
                        content="了解饮水问题", venue=Venue.objects.get(pk=world.ids["v1"]),
                        other_participants="村干部2人", constituents_count=8)
    url = f"/registers/activity/{world.ids['v1']}/?start=2025-01-01&end=2025-12-31"
    assert "?start=2025-01-01&amp;end=2025-12-31&amp;format=xlsx" in as_("admin_a").get(url).content.decode()
    exported = as_("township_staff_a").get(url + "&format=xlsx")
    assert f"activity-{world.ids['v1']}-2025-01-01-2025-12-31.xlsx" in exported["Content-Disposition"]
    sheets = _sheets(exported)
    assert list(sheets) == ["概况", "明细"]
    assert sheets["概况"] == [["项目", "内容"], ["名称", "东村联络站 活动登记簿"], ["说明", "2025-01-01 至 2025-12-31"]]
    assert sheets["明细"] == [
        ["日期", "类别", "活动", "参加人员", "群众人次", "内容", "状态"],
        ["2025-03-04", "走访", "登记簿里的走访", "甲县县代表、村干部2人", 8, "了解饮水问题", "已确认"]]

    card = _sheets(as_("deputy_a").get(f"/registers/card/{world.ids['deputy']}/?year=2025&format=xlsx"))
    assert list(card) == ["概况", "2025年履职次数"]
    facts = dict(card["概况"][1:])
    assert facts["名称"] == "人大代表联系卡" and facts["姓名"] == "甲县县代表"
    assert facts["驻站"] == "东村联络站"
    assert card["2025年履职次数"][0] == ["类别", "次数"] and ["走访", 1] in card["2025年履职次数"]


def test_the_issue_form_as_excel_masks_the_constituent_as_the_page_does(world, alpha, as_):
    """The county office reads the constituent's name and mobile; a west station's staff, who supervise the
    west township's cases but did not take this one, read a masked number and no name."""
    from casework.services import opinion_receive
    from organisation.models import Village
    from people.actors import actor_for

    with alpha():
        opinion = opinion_receive(actor=actor_for(world.admin_a), content="西村自来水管破裂", channel="phone",
                                  village=Village.objects.get(pk=world.ids["village_west"]), constituent_name="李四",
                                  constituent_mobile="13800001234", consent=True)
    url = f"/registers/issue-form/{opinion.case_id}/?format=xlsx"
    admin = _sheets(as_("admin_a").get(url))
    assert list(admin) == ["概况", "办理经过"]
    facts = dict(admin["概况"][1:])
    assert facts["名称"] == "选民反映问题处理单" and facts["反映内容"] == "西村自来水管破裂"
    assert facts["反映人"] == "李四 13800001234" and facts["反映渠道"] == "电话"
    assert admin["办理经过"][0] == ["时间", "操作方", "状态", "说明"]

    station = _sheets(as_("station_staff_a").get(url))
    assert dict(station["概况"][1:])["反映人"] == "138****1234"
    cells = [str(value) for rows in station.values() for row in rows for value in row]
    assert not any("李四" in cell or "13800001234" in cell for cell in cells)
    assert as_("unit_a").get(url).status_code == 404

    # the audit tells a file that left the platform from the page read on screen
    from audit.models import AuditEntry

    assert as_("admin_a").get(url.replace("?format=xlsx", "")).status_code == 200
    with alpha():
        actions = list(AuditEntry.objects.filter(action__startswith="constituent.", actor_id=world.admin_a.pk)
                       .order_by("pk").values_list("action", flat=True))
    assert actions == ["constituent.export", "constituent.view"]


def test_a_section_heading_excel_forbids_still_makes_a_workbook():
    """Sheet names may not hold []:*?/\\ nor exceed 31 characters: a heading like "2026/1" is made safe, not a
    server error."""
    content = sheets_to_xlsx([("2026/1 [走访]:情况?", ["日期"], [["2026-01-05"]]), ("甲" * 40, ["a"], [])])
    assert load_workbook(io.BytesIO(content)).sheetnames == ["2026-1 -走访--情况-", "甲" * 31]


def test_the_contact_card_prints_a_published_number_never_the_sign_in_mobile(world, alpha, as_):
    """The card is handed to constituents: the deputy's public number, else their station's, else 未公开."""
    from organisation.models import Venue
    from people.models import Deputy

    def phone() -> str:
        card = _sheets(as_("deputy_a").get(f"/registers/card/{world.ids['deputy']}/?format=xlsx"))
        page = as_("deputy_a").get(f"/registers/card/{world.ids['deputy']}/").content.decode()
        assert world.deputy_a.mobile not in page
        return dict(card["概况"][1:])["联系电话"]

    with alpha():
        Venue.objects.filter(pk=world.ids["v1"]).update(contact_phone="")
        Deputy.objects.filter(pk=world.ids["deputy"]).update(public_phone="")
    assert phone() == "未公开"
    with alpha():
        Venue.objects.filter(pk=world.ids["v1"]).update(contact_phone="0718-1234567")
    assert phone() == "0718-1234567（东村联络站）"
    with alpha():
        Deputy.objects.filter(pk=world.ids["deputy"]).update(public_phone="0718-7654321")
    assert phone() == "0718-7654321"
