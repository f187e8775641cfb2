"""The organisation pages: they render, their forms post through the services with Chinese errors next
to the fields, exports are valid .xlsx files, and the tree and venue list run a constant number of
queries however many rows there are."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from PIL import Image

from core.xlsx import XLSX_CONTENT_TYPE, xlsx_rows
from organisation.models import (
    Assessment,
    ConstructionFunding,
    Redivision,
    StandardItem,
    StandardTemplate,
    Township,
    Venue,
    VenuePhoto,
    Village,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 10




@pytest.fixture
def standard(alpha):
    from organisation.services.standards import standards_seed_defaults

    with alpha():
        standards_seed_defaults()
        return StandardTemplate.objects.get(name="六有")


def text(response) -> str:
    return response.content.decode()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def crowd(world, *, townships: int = 30, venues: int = 5, deputies: int = 5, first: int = 0) -> int:
    """Townships, each with a home and village stations, each with stationed deputies and a group with
    a leader, a vice leader and a liaison officer. Bulk-made: the point is the page, not the services.
    `first` numbers a second batch after a first one."""
    from people.models import Deputy, DeputyGroup, GroupMember, Stationing
    from tenants.models import Account

    start = dt.date(2022, 1, 1)
    with schema_context(world.alpha.schema_name):
        made = Township.objects.bulk_create([Township(name=f"测试{i:02d}镇", division_code=f"990101{500 + i:03d}")
                                             for i in range(first, first + townships)])
        villages = Village.objects.bulk_create([
            Village(township=t, name=f"{t.name}{j}村", division_code=f"{t.division_code}{j:03d}")
            for t in made for j in range(1, venues)])
        places = [Venue(name=f"{t.name}代表之家", kind=Venue.Kind.HOME, township=t) for t in made]
        places += [Venue(name=f"{v.name}联络站", kind=Venue.Kind.VILLAGE_STATION, township_id=v.township_id,
                         village=v, status=Venue.Status.OPEN if v.pk % 2 else Venue.Status.BUILDING)
                   for v in villages]
        places = Venue.objects.bulk_create(places)
        n = len(places) * deputies
        accounts = []
        for i in range(first * venues * deputies, first * venues * deputies + n):
            account = Account(mobile=f"1590{i:07d}", name=f"代表{i:04d}")
            account.set_unusable_password()
            accounts.append(account)
        accounts = Account.objects.bulk_create(accounts)
        people = Deputy.objects.bulk_create([Deputy(account=a) for a in accounts])
        Stationing.objects.bulk_create([Stationing(deputy=d, venue=places[i // deputies], started_on=start)
                                        for i, d in enumerate(people)])
        groups = DeputyGroup.objects.bulk_create([DeputyGroup(venue=v, name=f"{v.name}代表小组") for v in places])
        roles = ["leader", "vice_leader", "liaison_officer"] + ["member"] * (deputies - 3)
        GroupMember.objects.bulk_create([GroupMember(group=groups[i // deputies], deputy=d, role=roles[i % deputies])
                                         for i, d in enumerate(people)])
    return len(places)


def count_queries(client, path: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, text(response)[:500]
    return len(queries), response


# the tree and lists: content and query counts ---------------------------------------------------


def test_tree_page_shows_the_county_down_to_deputies_and_group_officers(world, as_, alpha):
    from people.actors import actor_for
    from people.models import Deputy
    from people.services.deputies import group_member_set

    with alpha():
        group_member_set(actor=actor_for(world.admin_a), venue=Venue.objects.get(pk=world.ids["v1"]),
                         deputy=Deputy.objects.get(pk=world.ids["deputy"]), role="leader")
    page = text(as_("deputy_a").get("/organisation/"))
    for name in ("甲县组织架构", "东镇", "西乡", "东村", "东镇代表之家", "东村联络站", world.deputy_a.name,
                 world.township_deputy_a.name, "组长 " + world.deputy_a.name):
        assert name in page, name


def test_tree_page_runs_a_constant_number_of_queries(world, as_):
    client = as_("admin_a")
    crowd(world, townships=1, venues=2, deputies=3)
    client.get("/organisation/")  # warm the per-process host and session caches
    few, _response = count_queries(client, "/organisation/")
    venues = crowd(world, townships=29, venues=5, deputies=5, first=1)
    many, response = count_queries(client, "/organisation/")
    assert venues == 145
    page = text(response)
    assert "测试29镇" in page and "代表0749" in page and "组长 代表0745" in page
    assert many == few, f"{few} queries with 2 made venues, {many} with 145 more"
    assert many <= MAX_QUERIES


def test_venue_list_runs_a_constant_number_of_queries_and_pages_by_50(world, as_):
    client = as_("township_staff_a")
    client.get("/organisation/venues/")
    few, _response = count_queries(client, "/organisation/venues/")
    crowd(world)
    many, response = count_queries(client, "/organisation/venues/")
    assert many == few and many <= MAX_QUERIES, (few, many)
    page = text(response)
    assert "共 153 个" in page and "第 1 / 4 页" in page
    assert page.count('<tr><td class="name"><a href="/organisation/venues/') == 50
    last = text(client.get("/organisation/venues/?page=4"))
    assert last.count('<tr><td class="name"><a href="/organisation/venues/') == 3


def test_venue_list_searches_and_filters(world, as_):
    crowd(world, townships=3, venues=3, deputies=3)
    client = as_("deputy_a")
    assert "共 1 个" in text(client.get("/organisation/venues/?q=西村"))
    east = text(client.get(f"/organisation/venues/?township={world.ids['east']}"))
    assert "共 2 个" in east and "东村联络站" in east and "西村联络站" not in east
    homes = text(client.get("/organisation/venues/?kind=home"))
    assert "共 4 个" in homes
    building = text(client.get("/organisation/venues/?kind=village_station&status=building"))
    assert "共 3 个" in building  # of the six made, those with an even village id
    assert "共 0 个" in text(client.get("/organisation/venues/?township=none"))


def test_venue_export_is_xlsx_with_chinese_headers_and_the_filtered_rows(world, as_):
    crowd(world, townships=3, venues=3, deputies=3)
    response = as_("deputy_a").get("/organisation/venues/?kind=village_station&page=2&export=xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    headers, rows = xlsx_rows(response.content)
    assert headers == ["名称", "类型", "所属乡镇", "所在村（社区）", "状态", "地址", "联系人", "联系电话", "开放时间",
                       "驻站代表数"]
    assert len(rows) == 8  # every filtered row, not one page
    by_name = {row[0]: row for _n, row in rows}
    assert by_name["东村联络站"][1:4] == ["村（社区）联络站", "东镇", "东村"]
    assert by_name["东村联络站"][9] == 1


def test_township_list_detail_and_export(world, as_, alpha):
    with alpha():
        ConstructionFunding.objects.create(township_id=world.ids["east"], year=2024, budget=30)
    client = as_("township_staff_a")
    page = text(client.get("/organisation/townships/?q=东"))
    assert "东镇" in page and "西乡" not in page
    detail = text(client.get(f"/organisation/townships/{world.ids['east']}/"))
    assert "东村" in detail and "东镇代表之家" in detail and "30.00" in detail and "编辑" in detail
    assert "编辑" not in text(client.get(f"/organisation/townships/{world.ids['west']}/")).split("区划代码")[1]
    headers, rows = xlsx_rows(client.get("/organisation/townships/?export=xlsx").content)
    assert headers[:3] == ["名称", "类型", "区划代码"]
    assert [row[0] for _n, row in rows] == ["东镇", "西乡"]


# forms -----------------------------------------------------------------------------------------


def test_venue_form_shows_chinese_errors_next_to_the_field_and_saves_nothing(world, as_, alpha):
    client = as_("township_staff_a")
    response = client.post("/organisation/venues/new/", {"name": "无村联络站", "kind": "village_station",
                                                         "status": "open", "township": world.ids["east"]})
    assert response.status_code == 200
    page = text(response)
    village_field = page.split('for="id_village"')[1].split('class="field')[0]
    assert "村（社区）联络站须选择所在村（社区）。" in village_field
    with alpha():
        assert not Venue.objects.filter(name="无村联络站").exists()


def test_township_staff_create_and_edit_venues_in_their_township(world, as_, alpha):
    client = as_("township_staff_a")
    response = client.post("/organisation/venues/new/", {
        "name": "东村民生项目站", "kind": "project_station", "status": "building", "township": world.ids["east"],
        "address": "东村文化广场", "opening_hours": "每月第一个星期一"})
    assert response.status_code == 302
    with alpha():
        venue = Venue.objects.get(name="东村民生项目站")
    assert response["Location"] == f"/organisation/venues/{venue.pk}/"
    edit = client.post(f"/organisation/venues/{venue.pk}/edit/", {
        "name": "东村民生项目站", "kind": "project_station", "status": "open", "township": world.ids["east"],
        "contact_phone": "0745-1234567"})
    assert edit.status_code == 302
    with alpha():
        venue.refresh_from_db()
        assert venue.status == "open" and venue.contact_phone == "0745-1234567"
    # Another township's venue: visible, not editable.
    assert client.get(f"/organisation/venues/{world.ids['v2']}/").status_code == 200
    assert client.post(f"/organisation/venues/{world.ids['v2']}/edit/", {"name": "x", "kind": "village_station",
                                                                        "status": "open"}).status_code == 403
    # A township not one's own is no choice at all.
    moved = client.post("/organisation/venues/new/", {"name": "越界站", "kind": "home", "status": "open",
                                                      "township": world.ids["west"]})
    assert "选择一个有效的选项" in text(moved)


def test_station_staff_edit_their_station_without_moving_it(world, as_, alpha):
    client = as_("station_staff_a")
    response = client.post(f"/organisation/venues/{world.ids['v2']}/edit/", {
        "name": "西村联络站", "status": "open", "opening_hours": "周一至周五 9:00-17:00",
        "township": world.ids["east"], "kind": "home"})  # disabled fields: ignored
    assert response.status_code == 302
    with alpha():
        venue = Venue.objects.get(pk=world.ids["v2"])
        assert (venue.opening_hours, venue.township_id, venue.kind) == (
            "周一至周五 9:00-17:00", world.ids["west"], "village_station")


def test_photo_upload_form_refuses_a_non_image_and_accepts_a_png(world, as_, alpha, media):
    client = as_("station_staff_a")
    url = f"/organisation/venues/{world.ids['v2']}/photos/"
    bad = client.post(url, {"image": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")})
    assert bad.status_code == 400
    assert "文件不是有效的图片（支持JPEG、PNG、WEBP）。" in text(bad)
    big = client.post(url, {"image": SimpleUploadedFile("big.png", png() + b"\0" * (5 * 1024 * 1024 + 1))})
    assert "图片不能超过5MB。" in text(big)
    good = client.post(url, {"image": SimpleUploadedFile("door.png", png(), content_type="image/png"),
                             "caption": "挂牌"})
    assert good.status_code == 302
    with alpha():
        photo = VenuePhoto.objects.get()
    page = text(client.get(f"/organisation/venues/{world.ids['v2']}/"))
    src = f"/organisation/venues/{world.ids['v2']}/photos/{photo.pk}/"
    assert src in page and "挂牌" in page
    assert b"".join(as_("deputy_a").get(src).streaming_content) == png()
    assert as_("township_staff_a").post(url, {"image": SimpleUploadedFile("a.png", png())}).status_code == 403


def test_assessment_form_records_score_and_stars(world, as_, alpha, standard):
    client = as_("township_staff_a")
    form = text(client.get(f"/organisation/venues/{world.ids['v1']}/assess/"))
    with alpha():
        items = list(StandardItem.objects.filter(template=standard).order_by("order"))
    assert all(item.text in form for item in items)
    data = {"template": standard.pk, "assessed_on": "2024-05-20", "note": "制度上墙"}
    for item in items[:6]:
        data[f"met_{item.pk}"] = "on"
        data[f"evidence_{item.pk}"] = f"{item.text}照片"
    response = client.post(f"/organisation/venues/{world.ids['v1']}/assess/", data)
    assert response.status_code == 302
    with alpha():
        assessment = Assessment.objects.get()
        assert (assessment.score, assessment.stars) == (60, 5)
        assert assessment.items.get(item=items[0]).evidence == "有场所照片"
    detail = text(client.get(f"/organisation/venues/{world.ids['v1']}/"))
    assert "5星联络站（2024-05-20评定）" in detail and "有场所照片" in detail
    # A deputy sees the stars, not the evidence.
    deputy_view = text(as_("deputy_a").get(f"/organisation/venues/{world.ids['v1']}/"))
    assert "5星联络站" in deputy_view and "有场所照片" not in deputy_view
    future = client.post(f"/organisation/venues/{world.ids['v1']}/assess/",
                         {**data, "assessed_on": (dt.date.today() + dt.timedelta(days=1)).isoformat()})
    assert "评定日期不能晚于今天。" in text(future)


def test_admin_edits_a_standard_and_its_items(world, as_, alpha, standard):
    client = as_("admin_a")
    with alpha():
        items = list(standard.items.order_by("order"))
    data = {"name": "六有（修订）", "description": "本县标准", "is_active": "on",
            "items-TOTAL_FORMS": str(len(items) + 2), "items-INITIAL_FORMS": str(len(items)),
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"}
    for i, item in enumerate(items):
        data.update({f"items-{i}-id": item.pk, f"items-{i}-template": standard.pk, f"items-{i}-order": item.order,
                     f"items-{i}-text": item.text, f"items-{i}-points": 20 if i == 0 else item.points})
    data[f"items-{len(items) - 1}-DELETE"] = "on"
    data.update({f"items-{len(items)}-order": 9, f"items-{len(items)}-text": "有网络平台",
                 f"items-{len(items)}-points": 10})
    response = client.post(f"/organisation/standards/{standard.pk}/edit/", data)
    assert response.status_code == 302, text(response)[:2000]
    with alpha():
        standard.refresh_from_db()
        assert standard.name == "六有（修订）"
        assert [(i.text, i.points) for i in standard.items.order_by("order")] == [
            ("有场所", 20), ("有牌子", 10), ("有制度", 10), ("有活动", 10), ("有台账", 10), ("有网络平台", 10)]
    assert "有网络平台" in text(as_("station_staff_a").get("/organisation/standards/"))
    assert as_("township_staff_a").get(f"/organisation/standards/{standard.pk}/edit/").status_code == 403


def test_an_item_used_by_an_assessment_cannot_be_deleted(world, as_, alpha, standard):
    from organisation.services.standards import assessment_record
    from people.actors import actor_for

    with alpha():
        items = list(standard.items.order_by("order"))
        assessment_record(actor=actor_for(world.admin_a), venue=Venue.objects.get(pk=world.ids["v1"]),
                          template=standard, assessed_on=dt.date(2024, 1, 5),
                          results={item.pk: (True, "") for item in items})
    data = {"name": "六有", "is_active": "on", "items-TOTAL_FORMS": str(len(items)),
            "items-INITIAL_FORMS": str(len(items)), "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"}
    for i, item in enumerate(items):
        data.update({f"items-{i}-id": item.pk, f"items-{i}-template": standard.pk, f"items-{i}-order": item.order,
                     f"items-{i}-text": item.text, f"items-{i}-points": item.points})
    data["items-0-DELETE"] = "on"
    data["items-1-text"] = "有牌子（改）"
    response = as_("admin_a").post(f"/organisation/standards/{standard.pk}/edit/", data)
    assert response.status_code == 200
    assert "以下项目已用于评定，不能删除（可以停用本标准后另建一个）：有场所" in text(response)
    with alpha():
        assert standard.items.count() == 6 and not standard.items.filter(text="有牌子（改）").exists()


def test_funds_form_progress_report_and_export(world, as_, alpha):
    client = as_("township_staff_a")
    url = f"/organisation/funds/{world.ids['east']}/2024/"
    refused = client.post(url, {"budget": "30", "disbursed": "31", "spent": "5"})
    assert refused.status_code == 200
    assert "已拨付金额不能超过预算。" in text(refused).split('for="id_disbursed"')[1].split('class="field')[0]
    assert client.post(url, {"budget": "30", "disbursed": "20", "spent": "12", "note": "一期"}).status_code == 302
    assert client.post(f"/organisation/funds/{world.ids['west']}/2024/",
                       {"budget": "1", "disbursed": "0", "spent": "0"}).status_code == 403
    with alpha():
        ConstructionFunding.objects.create(township_id=world.ids["west"], year=2024, budget=Decimal("10"),
                                           disbursed=Decimal("5"), spent=Decimal("8"))
    mine = text(client.get("/organisation/progress/?year=2024"))
    assert "东镇" in mine and "西乡" not in mine and "40.0%" in mine
    report = text(as_("admin_a").get("/organisation/progress/?year=2024"))
    total = report.split('class="total"')[1]
    for figure in ("40.00", "25.00", "15.00", "20.00", "50.0%"):
        assert figure in total, figure
    response = as_("admin_a").get("/organisation/progress/export/?year=2024")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    headers, rows = xlsx_rows(response.content)
    assert headers == ["乡镇（街道）", "代表之家（中心联络站）", "村级联络站（规划）", "村级联络站（已建成）",
                       "预算（万元）", "财政已拨付（万元）", "未拨付（万元）", "已使用（万元）", "使用率（%）"]
    assert [row[0] for _n, row in rows] == ["东镇", "西乡", "合计"]
    assert rows[-1][1][4:] == [40, 25, 15, 20, 50]
    assert as_("deputy_a").get("/organisation/progress/").status_code == 403


def test_township_and_village_forms(world, as_, alpha):
    admin = as_("admin_a")
    assert admin.post("/organisation/townships/new/", {"name": "南街道", "kind": "street",
                                                       "division_code": "990101300"}).status_code == 302
    duplicate = admin.post("/organisation/townships/new/", {"name": "东镇", "kind": "town", "division_code": "12"})
    page = text(duplicate)
    assert "已有同名的乡镇（街道）。" in page and "乡镇区划代码应为9位数字。" in page
    staff = as_("township_staff_a")
    assert staff.get("/organisation/townships/new/").status_code == 403
    assert staff.post("/organisation/villages/new/", {"township": world.ids["east"], "name": "东三村",
                                                      "kind": "village"}).status_code == 302
    assert "该乡镇已有同名的村（社区）。" in text(staff.post("/organisation/villages/new/", {
        "township": world.ids["east"], "name": "东三村", "kind": "village"}))
    assert staff.get(f"/organisation/villages/{world.ids['village_west']}/edit/").status_code == 403
    with alpha():
        assert Village.objects.filter(name="东三村", township_id=world.ids["east"]).count() == 1
        assert Township.objects.filter(name="南街道", kind="street").exists()


def test_handling_unit_pages(world, as_, alpha):
    admin = as_("admin_a")
    assert admin.post("/organisation/units/new/", {"name": "甲县教育局", "kind": "government",
                                                   "contact_name": "李老师", "is_active": "on"}).status_code == 302
    listing = text(admin.get("/organisation/units/?kind=government"))
    assert "甲县教育局" in listing and "甲县住建局" in listing
    headers, rows = xlsx_rows(admin.get("/organisation/units/?export=xlsx").content)
    assert headers == ["名称", "类型", "联系人", "联系电话", "状态"] and len(rows) == 2
    assert "已存在" in text(admin.post("/organisation/units/new/", {"name": "甲县教育局", "kind": "government"}))
    assert as_("unit_a").get("/organisation/units/").status_code == 403


def test_merge_form_and_history(world, as_, alpha):
    client = as_("admin_a")
    early = client.post("/organisation/redivisions/merge/", {
        "merge-sources": [world.ids["west"]], "merge-into": world.ids["east"], "merge-effective_on": "2021-06-01"})
    assert early.status_code == 400
    assert "生效日期不能早于或等于原乡镇已有记录的日期（最近一条记录为 2021-10-01）" in text(early)
    with alpha():
        assert not Redivision.objects.exists()
    done = client.post("/organisation/redivisions/merge/", {
        "merge-sources": [world.ids["west"]], "merge-into": world.ids["east"], "merge-effective_on": "2024-01-01",
        "merge-note": "西乡并入东镇"})
    assert done.status_code == 302
    page = text(client.get("/organisation/redivisions/"))
    history = page.split("调整记录")[1]
    assert "2024-01-01" in history and "西乡（已撤销）</a> → <a" in history and "西乡并入东镇" in history
    lineage = text(client.get(f"/organisation/townships/{world.ids['east']}/"))
    assert "区划沿革" in lineage and "西乡（已撤销）" in lineage
    assert as_("township_staff_a").get("/organisation/redivisions/").status_code == 403


def test_split_in_two_steps_and_rename(world, as_, alpha):
    client = as_("admin_a")
    step = text(client.get(f"/organisation/redivisions/?split-source={world.ids['east']}&split-parts=2"))
    assert "第1个新单位名称" in step and "东村" in step
    data = {"split-source": world.ids["east"], "split-parts": 2, "effective_on": "2024-02-01",
            "part1_name": "东一街道", "part1_kind": "street", "part1_code": "990101110",
            "part2_name": "西乡", "part2_kind": "street", "part2_code": "",
            f"village_{world.ids['village_east']}": "1"}
    taken = client.post("/organisation/redivisions/split/", data)
    assert taken.status_code == 400 and "已有同名的乡镇（街道）。" in text(taken)
    data["part2_name"] = "东二街道"
    assert client.post("/organisation/redivisions/split/", data).status_code == 302
    renamed = client.post("/organisation/redivisions/rename/", {
        "rename-township": world.ids["west"], "rename-name": "西街道", "rename-kind": "street",
        "rename-effective_on": "2024-02-01"})
    assert renamed.status_code == 302
    with alpha():
        assert set(Township.objects.current().values_list("name", flat=True)) == {"东一街道", "东二街道", "西街道"}
        assert Village.objects.get(pk=world.ids["village_east"]).township.name == "东一街道"
        assert Venue.objects.get(pk=world.ids["home"]).township.name == "东一街道"


def test_navigation_offers_what_the_role_may_use(world, as_):
    admin = text(as_("admin_a").get("/organisation/"))
    deputy = text(as_("deputy_a").get("/organisation/"))
    for label in ("组织架构", "代表之家·联络站", "建设进度", "区划调整", "承办单位"):
        assert f">{label}</a>" in admin
    assert ">组织架构</a>" in deputy and ">区划调整</a>" not in deputy and ">建设进度</a>" not in deputy


def test_a_village_station_takes_its_township_from_its_village(world, as_, alpha):
    response = as_("township_staff_a").post("/organisation/venues/new/", {
        "name": "东村第二联络站", "kind": "village_station", "status": "planned", "village": world.ids["village_east"]})
    assert response.status_code == 302
    with alpha():
        assert Venue.objects.get(name="东村第二联络站").township_id == world.ids["east"]
    page = text(as_("township_staff_a").get("/organisation/venues/new/"))
    assert 'value="county_station"' not in page  # the county's own stations are the administrator's
    assert 'value="county_station"' in text(as_("admin_a").get("/organisation/venues/new/"))
