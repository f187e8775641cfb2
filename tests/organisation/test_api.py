"""The organisation API: behaviour, scope, and the Chinese errors of bad input."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.xlsx import XLSX_CONTENT_TYPE, xlsx_rows
from organisation.models import (
    Assessment,
    ConstructionFunding,
    Redivision,
    StandardTemplate,
    Township,
    Venue,
    VenuePhoto,
    Village,
)

pytestmark = pytest.mark.django_db


def png(size=(32, 24), color=(183, 28, 28)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()




@pytest.fixture
def standard(alpha):
    from organisation.services.standards import standards_seed_defaults

    with alpha():
        standards_seed_defaults()
        return StandardTemplate.objects.prefetch_related("items").get(name="六有")


# townships and villages -----------------------------------------------------------------------


def test_townships_list_current_ones_and_ended_on_request(world, as_, alpha):
    with alpha():
        Township.objects.create(name="旧乡", division_code="990101900", ended_on=dt.date(2020, 1, 1))
    client = as_("deputy_a")
    names = {row["name"] for row in client.get("/api/v1/townships/").json()["results"]}
    assert names == {"东镇", "西乡"}
    names = {row["name"] for row in client.get("/api/v1/townships/?ended=1").json()["results"]}
    assert names == {"东镇", "西乡", "旧乡"}


def test_admin_creates_a_township_and_bad_input_is_refused_in_chinese(as_, alpha):
    client = as_("admin_a")
    response = client.post("/api/v1/townships/", {"name": "南街道", "kind": "street", "division_code": "990101300"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    with alpha():
        assert Township.objects.get(name="南街道").kind == "street"
    response = client.post("/api/v1/townships/", {"name": "东镇", "division_code": "123"},
                           content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["name"] == ["已有同名的乡镇（街道）。"]
    assert body["division_code"] == ["乡镇区划代码应为9位数字。"]


def test_township_staff_edit_their_own_township_only(world, as_, alpha):
    client = as_("township_staff_a")
    ok = client.patch(f"/api/v1/townships/{world.ids['east']}/", {"division_code": "990101101"},
                      content_type="application/json")
    assert ok.status_code == 200, ok.content
    refused = client.patch(f"/api/v1/townships/{world.ids['west']}/", {"name": "改名乡"},
                           content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "您没有权限进行此项操作。"
    with alpha():
        assert Township.objects.get(pk=world.ids["east"]).division_code == "990101101"
        assert Township.objects.get(pk=world.ids["west"]).name == "西乡"
    assert as_("admin_a").post("/api/v1/townships/", {"name": "北镇"}, content_type="application/json").status_code \
        == 201
    assert client.post("/api/v1/townships/", {"name": "北二镇"}, content_type="application/json").status_code == 403


def test_villages_filter_by_township_and_staff_keep_to_their_own(world, as_, alpha):
    client = as_("township_staff_a")
    rows = client.get(f"/api/v1/villages/?township={world.ids['east']}").json()["results"]
    assert [row["name"] for row in rows] == ["东村"]
    made = client.post("/api/v1/villages/", {"township": world.ids["east"], "name": "东二村", "kind": "community"},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["township_name"] == "东镇"
    assert client.post("/api/v1/villages/", {"township": world.ids["west"], "name": "西二村"},
                       content_type="application/json").status_code == 403
    # Taking another township's village into one's own is refused, although the target is one's own.
    taken = client.patch(f"/api/v1/villages/{world.ids['village_west']}/", {"township": world.ids["east"]},
                         content_type="application/json")
    assert taken.status_code == 403
    with alpha():
        assert Village.objects.get(pk=world.ids["village_west"]).township_id == world.ids["west"]
    duplicate = client.post("/api/v1/villages/", {"township": world.ids["east"], "name": "东村"},
                            content_type="application/json")
    assert duplicate.status_code == 400
    assert duplicate.json()["name"] == ["该乡镇已有同名的村（社区）。"]


# venues ----------------------------------------------------------------------------------------


def test_venue_list_filters_searches_and_counts_stationed_deputies(world, as_):
    client = as_("deputy_a")
    rows = client.get("/api/v1/venues/").json()["results"]
    assert {row["name"] for row in rows} == {"东镇代表之家", "东村联络站", "西村联络站"}
    by_name = {row["name"]: row for row in rows}
    assert by_name["东村联络站"]["stationed_count"] == 1
    east = client.get(f"/api/v1/venues/?township={world.ids['east']}").json()["results"]
    assert {row["name"] for row in east} == {"东镇代表之家", "东村联络站"}
    homes = client.get("/api/v1/venues/?kind=home").json()["results"]
    assert [row["name"] for row in homes] == ["东镇代表之家"]
    assert client.get("/api/v1/venues/?search=西村").json()["count"] == 1
    assert client.get("/api/v1/venues/?status=closed").json()["count"] == 0
    bad = client.get("/api/v1/venues/?status=nonsense")
    assert bad.status_code == 400


def test_venue_detail_shows_photos_deputies_and_group(world, as_, alpha):
    from people.models import Deputy
    from people.services.deputies import group_member_set

    with alpha():
        from people.actors import actor_for

        group_member_set(actor=actor_for(world.admin_a), venue=Venue.objects.get(pk=world.ids["v1"]),
                         deputy=Deputy.objects.get(pk=world.ids["deputy"]), role="leader")
    body = as_("deputy_a").get(f"/api/v1/venues/{world.ids['v1']}/").json()
    assert body["kind"] == "village_station" and body["village_name"] == "东村"
    assert [d["name"] for d in body["stationed"]] == [world.deputy_a.name]
    assert body["group"]["members"][0]["role_display"] == "组长"
    assert body["photos"] == [] and body["stars"] is None


def test_village_station_without_village_is_refused_in_chinese(world, as_, alpha):
    response = as_("admin_a").post("/api/v1/venues/", {"name": "无村联络站", "kind": "village_station",
                                                       "township": world.ids["east"]},
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.json()["village"] == ["村（社区）联络站须选择所在村（社区）。"]
    with alpha():
        assert not Venue.objects.filter(name="无村联络站").exists()


def test_village_station_takes_its_township_from_the_village(world, as_, alpha):
    response = as_("township_staff_a").post("/api/v1/venues/", {
        "name": "东村第二联络站", "kind": "village_station", "village": world.ids["village_east"],
        "status": "building", "opening_hours": "每月第一个星期一"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["township"] == world.ids["east"]
    # ... but not into another township's village.
    response = as_("township_staff_a").post("/api/v1/venues/", {
        "name": "西村第二联络站", "kind": "village_station", "village": world.ids["village_west"]},
        content_type="application/json")
    assert response.status_code == 403


def test_township_staff_cannot_edit_another_townships_venue(world, as_, alpha):
    client = as_("township_staff_a")
    assert client.patch(f"/api/v1/venues/{world.ids['v1']}/", {"address": "东村村委会二楼"},
                        content_type="application/json").status_code == 200
    refused = client.patch(f"/api/v1/venues/{world.ids['v2']}/", {"address": "篡改"},
                           content_type="application/json")
    assert refused.status_code == 403
    with alpha():
        assert Venue.objects.get(pk=world.ids["v1"]).address == "东村村委会二楼"
        assert Venue.objects.get(pk=world.ids["v2"]).address == ""


def test_station_staff_edit_their_station_but_do_not_move_it(world, as_, alpha):
    client = as_("station_staff_a")
    assert client.patch(f"/api/v1/venues/{world.ids['v2']}/", {"opening_hours": "周一至周五"},
                        content_type="application/json").status_code == 200
    assert client.patch(f"/api/v1/venues/{world.ids['v2']}/", {"township": world.ids["east"],
                                                               "village": world.ids["village_east"]},
                        content_type="application/json").status_code == 403
    assert client.patch(f"/api/v1/venues/{world.ids['v1']}/", {"opening_hours": "x"},
                        content_type="application/json").status_code == 403
    with alpha():
        assert Venue.objects.get(pk=world.ids["v2"]).township_id == world.ids["west"]


def test_photo_upload_is_stored_listed_and_served_to_members(world, as_, alpha, media):
    client = as_("station_staff_a")
    upload = SimpleUploadedFile("front.png", png(), content_type="image/png")
    response = client.post(f"/api/v1/venues/{world.ids['v2']}/photos/", {"image": upload, "caption": "正门"})
    assert response.status_code == 201, response.content
    url = response.json()["url"]
    with alpha():
        photo = VenuePhoto.objects.get(venue_id=world.ids["v2"])
        assert photo.caption == "正门"
    detail = as_("deputy_a").get(f"/api/v1/venues/{world.ids['v2']}/").json()
    assert [p["url"] for p in detail["photos"]] == [url]
    served = as_("deputy_a").get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png()


def test_photo_that_is_not_an_image_or_too_large_is_refused(world, as_, alpha, media):
    client = as_("admin_a")
    text = SimpleUploadedFile("notes.png", "这不是图片".encode(), content_type="image/png")
    response = client.post(f"/api/v1/venues/{world.ids['v1']}/photos/", {"image": text})
    assert response.status_code == 400
    assert response.json()["image"] == ["文件不是有效的图片（支持JPEG、PNG、WEBP）。"]
    big = SimpleUploadedFile("big.png", png() + b"\0" * (5 * 1024 * 1024), content_type="image/png")
    response = client.post(f"/api/v1/venues/{world.ids['v1']}/photos/", {"image": big})
    assert response.status_code == 400
    assert response.json()["image"] == ["图片不能超过5MB。"]
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    response = client.post(f"/api/v1/venues/{world.ids['v1']}/photos/",
                           {"image": SimpleUploadedFile("a.gif", gif.getvalue(), content_type="image/gif")})
    assert response.json()["image"] == ["图片格式须为JPEG、PNG或WEBP。"]
    with alpha():
        assert not VenuePhoto.objects.exists()


def test_photo_upload_outside_ones_scope_is_forbidden(world, as_, media):
    upload = SimpleUploadedFile("a.png", png(), content_type="image/png")
    assert as_("township_staff_a").post(f"/api/v1/venues/{world.ids['v2']}/photos/",
                                        {"image": upload}).status_code == 403
    assert as_("deputy_a").post(f"/api/v1/venues/{world.ids['v1']}/photos/", {"image": upload}).status_code == 403


# handling units and standards ----------------------------------------------------------------


def test_handling_units_are_kept_by_the_county_administrator(world, as_, alpha):
    assert [u["name"] for u in as_("unit_a").get("/api/v1/handling-units/").json()["results"]] == ["甲县住建局"]
    made = as_("admin_a").post("/api/v1/handling-units/", {"name": "甲县人民法院", "kind": "court"},
                               content_type="application/json")
    assert made.status_code == 201
    assert made.json()["kind_display"] == "人民法院"
    assert as_("township_staff_a").patch(f"/api/v1/handling-units/{world.ids['unit']}/", {"name": "x"},
                                         content_type="application/json").status_code == 403
    duplicate = as_("admin_a").post("/api/v1/handling-units/", {"name": "甲县人民法院"},
                                    content_type="application/json")
    assert duplicate.status_code == 400
    assert "已存在" in duplicate.json()["name"][0]


def test_standards_list_templates_with_items(as_, standard):
    rows = as_("deputy_a").get("/api/v1/standards/").json()["results"]
    six = next(row for row in rows if row["name"] == "六有")
    assert [item["text"] for item in six["items"]] == ["有场所", "有牌子", "有制度", "有活动", "有台账", "有成效"]
    assert six["max_score"] == 60


# assessments -----------------------------------------------------------------------------------


def _results(template, met: int) -> list[dict]:
    return [{"item": item.pk, "met": i < met, "evidence": f"佐证{i}"} for i, item in enumerate(template.items.all())]


def test_township_staff_assess_a_station_and_score_and_stars_are_computed(world, as_, alpha, standard):
    client = as_("township_staff_a")
    response = client.post("/api/v1/assessments/", {
        "venue": world.ids["v1"], "template": standard.pk, "assessed_on": "2024-06-01", "note": "整改台账",
        "results": _results(standard, 5)}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["score"], body["max_score"], body["stars"]) == (50, 60, 4)
    assert [i["met"] for i in body["items"]] == [True] * 5 + [False]
    assert body["items"][0]["evidence"] == "佐证0"
    assert as_("deputy_a").get(f"/api/v1/venues/{world.ids['v1']}/").json()["stars"] == 4
    # The evidence is read by those who manage the venue: not by the station staff of another one.
    assert as_("station_staff_a").get("/api/v1/assessments/").json()["count"] == 0
    assert as_("deputy_a").get(f"/api/v1/assessments/{body['id']}/").status_code == 404
    assert as_("admin_a").get(f"/api/v1/assessments/{body['id']}/").status_code == 200


def test_assessment_with_missing_items_or_a_future_date_is_refused(world, as_, alpha, standard):
    client = as_("admin_a")
    partial = _results(standard, 6)[:4]
    response = client.post("/api/v1/assessments/", {"venue": world.ids["v1"], "template": standard.pk,
                                                     "assessed_on": "2024-06-01", "results": partial},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["以下项目未评定：有台账、有成效"]
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post("/api/v1/assessments/", {"venue": world.ids["v1"], "template": standard.pk,
                                                     "assessed_on": future, "results": _results(standard, 6)},
                           content_type="application/json")
    assert response.json()["assessed_on"] == ["评定日期不能晚于今天。"]
    with alpha():
        assert not Assessment.objects.exists()


def test_station_staff_and_other_townships_cannot_assess(world, as_, standard):
    data = {"venue": world.ids["v2"], "template": standard.pk, "assessed_on": "2024-06-01",
            "results": _results(standard, 6)}
    assert as_("station_staff_a").post("/api/v1/assessments/", data, content_type="application/json").status_code \
        == 403
    assert as_("township_staff_a").post("/api/v1/assessments/", data, content_type="application/json").status_code \
        == 403


# funds and build progress ----------------------------------------------------------------------


def test_funds_are_set_per_township_and_year_within_scope(world, as_, alpha):
    client = as_("township_staff_a")
    data = {"township": world.ids["east"], "year": 2024, "budget": "30.00", "disbursed": "20.00", "spent": "12.50"}
    assert client.post("/api/v1/fundings/", data, content_type="application/json").status_code == 201
    again = client.post("/api/v1/fundings/", {**data, "spent": "15.00"}, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["spent"] == "15.00" and again.json()["undisbursed"] == "10.00"
    assert client.post("/api/v1/fundings/", {**data, "township": world.ids["west"]},
                       content_type="application/json").status_code == 403
    too_much = client.post("/api/v1/fundings/", {**data, "disbursed": "40.00"}, content_type="application/json")
    assert too_much.status_code == 400
    assert too_much.json()["disbursed"] == ["已拨付金额不能超过预算。"]
    negative = client.post("/api/v1/fundings/", {**data, "spent": "-1"}, content_type="application/json")
    assert negative.json()["spent"] == ["金额不能为负数。"]
    with alpha():
        funding = ConstructionFunding.objects.get(township_id=world.ids["east"], year=2024)
        assert funding.spent == Decimal("15.00")
        west = ConstructionFunding.objects.create(township_id=world.ids["west"], year=2024, budget=10)
    assert [r["township_name"] for r in client.get("/api/v1/fundings/?year=2024").json()["results"]] == ["东镇"]
    assert client.get(f"/api/v1/fundings/{west.pk}/").status_code == 404
    assert client.put(f"/api/v1/fundings/{west.pk}/", data, content_type="application/json").status_code == 404
    updated = client.patch(f"/api/v1/fundings/{funding.pk}/", {"spent": "16"}, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["spent"] == "16.00"
    assert as_("station_staff_a").patch(f"/api/v1/fundings/{west.pk}/", {"spent": "1"},
                                        content_type="application/json").status_code == 403
    assert as_("deputy_a").get("/api/v1/fundings/").json()["count"] == 0


def _fund(alpha, world):
    with alpha():
        ConstructionFunding.objects.create(township_id=world.ids["east"], year=2024, budget=Decimal("30"),
                                           disbursed=Decimal("20"), spent=Decimal("12"))
        ConstructionFunding.objects.create(township_id=world.ids["west"], year=2024, budget=Decimal("10"),
                                           disbursed=Decimal("10"), spent=Decimal("10"))
        Venue.objects.filter(pk=world.ids["v2"]).update(status=Venue.Status.BUILDING)


def test_build_progress_rows_totals_and_scope(world, as_, alpha):
    _fund(alpha, world)
    body = as_("admin_a").get("/api/v1/build-progress/?year=2024").json()
    rows = {row["township"]["name"]: row for row in body["rows"]}
    assert rows["东镇"] == {"township": {"id": world.ids["east"], "name": "东镇", "ended_on": None},
                          "central_status": "已建成运行",
                          "village_planned": 1, "village_open": 1, "budget": "30.00", "disbursed": "20.00",
                          "undisbursed": "10.00", "spent": "12.00", "spent_percent": "40.0"}
    assert rows["西乡"]["central_status"] == "未规划" and rows["西乡"]["village_open"] == 0
    assert body["totals"]["budget"] == "40.00" and body["totals"]["spent_percent"] == "55.0"
    assert body["totals"]["village_planned"] == 2
    mine = as_("township_staff_a").get("/api/v1/build-progress/?year=2024").json()
    assert [row["township"]["name"] for row in mine["rows"]] == ["东镇"]
    assert as_("deputy_a").get("/api/v1/build-progress/").status_code == 403
    bad = as_("admin_a").get("/api/v1/build-progress/?year=abc")
    assert bad.status_code == 400 and bad.json()["year"] == ["年度应为2000至2100之间的整数。"]


def test_build_progress_export_is_an_xlsx_with_chinese_headers(world, as_, alpha):
    _fund(alpha, world)
    response = as_("admin_a").get("/api/v1/build-progress/export/?year=2024")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    headers, rows = xlsx_rows(response.content)
    assert headers[:2] == ["乡镇（街道）", "代表之家（中心联络站）"] and headers[-1] == "使用率（%）"
    values = {row[0]: row for _number, row in rows}
    assert values["东镇"][4] == 30 and values["合计"][7] == 22


# tree ------------------------------------------------------------------------------------------


def test_tree_nests_townships_villages_venues_deputies_and_group_officers(world, as_, alpha):
    from people.actors import actor_for
    from people.models import Deputy
    from people.services.deputies import group_member_set

    with alpha():
        group_member_set(actor=actor_for(world.admin_a), venue=Venue.objects.get(pk=world.ids["v1"]),
                         deputy=Deputy.objects.get(pk=world.ids["deputy"]), role="liaison_officer")
    body = as_("unit_a").get("/api/v1/tree/").json()
    assert body["county"] == "甲县" and body["venues"] == []
    east = next(t for t in body["townships"] if t["name"] == "东镇")
    assert [v["name"] for v in east["venues"]] == ["东镇代表之家"]
    assert [d["name"] for d in east["venues"][0]["deputies"]] == [world.township_deputy_a.name]
    village = east["villages"][0]
    assert village["name"] == "东村"
    station = village["venues"][0]
    assert station["name"] == "东村联络站"
    assert station["group"]["liaison_officers"] == [world.deputy_a.name] and station["group"]["leader"] is None


# re-division -----------------------------------------------------------------------------------


def test_admin_merges_townships_and_the_history_keeps_the_link(world, as_, alpha):
    client = as_("admin_a")
    response = client.post("/api/v1/redivisions/merge/", {"sources": [world.ids["west"]], "into": world.ids["east"],
                                                          "effective_on": "2024-01-01", "note": "撤乡并镇"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["links"] == [
        {"predecessor": {"id": world.ids["west"], "name": "西乡", "ended_on": "2023-12-31"},
         "successor": {"id": world.ids["east"], "name": "东镇", "ended_on": None}}]
    with alpha():
        assert Venue.objects.get(pk=world.ids["v2"]).township_id == world.ids["east"]
        assert Township.objects.get(pk=world.ids["west"]).ended_on == dt.date(2023, 12, 31)
    assert [r["kind"] for r in as_("deputy_a").get("/api/v1/redivisions/").json()["results"]] == ["merge"]
    # The station staff of the moved station now read their township's progress under the new unit.
    rows = as_("station_staff_a").get("/api/v1/build-progress/").json()["rows"]
    assert [row["township"]["name"] for row in rows] == ["东镇"]


def test_split_and_rename_make_new_units(world, as_, alpha):
    client = as_("admin_a")
    split = client.post("/api/v1/redivisions/split/", {
        "source": world.ids["east"], "effective_on": "2024-03-01",
        "parts": [{"name": "东一街道", "division_code": "990101110", "villages": [world.ids["village_east"]]},
                  {"name": "东二街道", "division_code": "990101120", "villages": []}]},
        content_type="application/json")
    assert split.status_code == 201, split.content
    assert sorted(link["successor"]["name"] for link in split.json()["links"]) == ["东一街道", "东二街道"]
    rename = client.post("/api/v1/redivisions/rename/", {"township": world.ids["west"], "name": "西街道",
                                                          "kind": "street", "effective_on": "2024-03-01"},
                         content_type="application/json")
    assert rename.status_code == 201, rename.content
    with alpha():
        assert Township.objects.current().get(name="西街道").division_code == "990101200"
        assert Venue.objects.get(pk=world.ids["v1"]).township.name == "东一街道"


def test_redivision_dated_before_existing_records_is_refused(world, as_, alpha):
    response = as_("admin_a").post("/api/v1/redivisions/merge/", {
        "sources": [world.ids["west"]], "into": world.ids["east"], "effective_on": "2021-09-01"},
        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["effective_on"] == [
        "生效日期不能早于或等于原乡镇已有记录的日期（最近一条记录为 2021-10-01）：已办结的记录不能被改划到新单位。"
        "可填写今后的生效日期登记，到期自动执行。"]
    split = as_("admin_a").post("/api/v1/redivisions/split/", {
        "source": world.ids["east"], "effective_on": "2024-03-01",
        "parts": [{"name": "东一街道", "villages": []}, {"name": "东二街道", "villages": []}]},
        content_type="application/json")
    assert split.status_code == 400
    assert split.json()["non_field_errors"] == ["原乡镇的每个村（社区）都要且只能划入一个新单位。"]
    with alpha():
        assert not Redivision.objects.exists()
        assert Township.objects.current().count() == 2


def test_only_the_county_administrator_redivides(world, as_):
    data = {"sources": [world.ids["west"]], "into": world.ids["east"], "effective_on": "2024-01-01"}
    for name in ("township_staff_a", "station_staff_a", "deputy_a", "unit_a"):
        assert as_(name).post("/api/v1/redivisions/merge/", data, content_type="application/json").status_code == 403


# query counts ----------------------------------------------------------------------------------


def test_venue_list_and_tree_run_a_constant_number_of_queries(world, as_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.organisation.test_pages import crowd

    def queries(client, path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    client = as_("township_staff_a")
    crowd(world, townships=1, venues=2, deputies=3)
    client.get("/api/v1/venues/")
    few = {path: queries(client, path) for path in ("/api/v1/venues/", "/api/v1/tree/")}
    crowd(world, townships=29, venues=5, deputies=5, first=1)
    many = {path: queries(client, path) for path in ("/api/v1/venues/", "/api/v1/tree/")}
    assert many == few
    assert many["/api/v1/venues/"] <= 10
    # county_tree()'s five and the request's own six (a township staff's actor reads re-division links)
    assert many["/api/v1/tree/"] <= 11
    body = client.get("/api/v1/tree/").json()
    assert len(body["townships"]) == 32
    last = next(t for t in body["townships"] if t["name"] == "测试29镇")
    assert sum(len(v["venues"]) for v in last["villages"]) + len(last["venues"]) == 5
