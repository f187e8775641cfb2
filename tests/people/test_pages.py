"""The people pages: the deputy list (filters, pages, export without personal data for those who may
not see it), a deputy's card and record, staff forms with their Chinese errors, 我的资料, groups,
pairing, and the public directory; list pages run a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from PIL import Image

from core.xlsx import XLSX_CONTENT_TYPE, xlsx_rows
from people.models import Deputy, GroupMember, Mandate, Pairing, PairingRule, Stationing
from tests.conftest import ALPHA_HOST, PLATFORM_HOST, login
from tests.people.test_api import add_deputies

pytestmark = pytest.mark.django_db




def text(response) -> str:
    return response.content.decode()


def image(kind="PNG", size=(60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, kind)
    return buffer.getvalue()


# navigation -------------------------------------------------------------------------------------


def test_navigation_by_role(as_):
    deputy = text(as_("deputy_a").get("/"))
    assert "代表</a>" in deputy and "我的资料" in deputy and "结对联系" not in deputy
    admin = text(as_("admin_a").get("/"))
    assert "结对联系" in admin and "我的资料" not in admin


# the list -----------------------------------------------------------------------------------------


def test_deputy_list_filters_and_masks(world, as_):
    client = as_("township_staff_a")
    page = text(client.get("/deputies/"))
    for name in ("甲县县代表", "甲县镇代表", "甲县乡代表"):
        assert name in page
    assert world.deputy_a.mobile in page  # managed: east town's deputy
    assert "137****0013" in page and "13700000013" not in page  # the west deputy is not theirs
    west = text(client.get(f"/deputies/?township={world.ids['west']}"))
    assert "甲县乡代表" in west and "甲县县代表" not in west
    assert "甲县镇代表" in text(client.get("/deputies/?level=township&q=镇"))
    assert "没有符合条件的代表。" in text(client.get("/deputies/?q=不存在的人"))


def test_deputy_list_pages_by_fifty(world, as_):
    add_deputies(world, 60)
    client = as_("admin_a")
    first = text(client.get("/deputies/?q=批代表"))
    assert "第 1–50 条，共 60 条" in first and "批代表0049" in first and "批代表0050" not in first
    assert "page=2" in first and "q=%E6%89%B9%E4%BB%A3%E8%A1%A8" in first
    second = text(client.get("/deputies/?q=批代表&page=2"))
    assert "第 51–60 条，共 60 条" in second and "批代表0050" in second
    beyond = client.get("/deputies/?q=批代表&page=9")
    assert beyond.status_code == 200 and "本页没有记录（共 60 条）。" in text(beyond)


def _export(client, query="") -> tuple[list[str], list[list]]:
    response = client.get(f"/deputies/?export=xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    headers, rows = xlsx_rows(response.content)
    return headers, [values for _number, values in rows]


def test_export_holds_personal_data_only_of_deputies_one_manages(world, as_, alpha):
    with alpha():
        Deputy.objects.filter(pk=world.ids["west_deputy"]).update(birth_date=dt.date(1975, 5, 4))
    headers, rows = _export(as_("admin_a"))
    assert headers == ["姓名", "性别", "层级", "工作单位及职务", "驻站站点", "公开联系电话",
                       "手机号码", "身份证号码", "出生日期"]
    by_name = {row[0]: row for row in rows}
    assert by_name["甲县乡代表"][6:8] == ["13700000013", "430525198001010013"]
    assert by_name["甲县县代表"][2] == "县级" and by_name["甲县县代表"][4] == "东村联络站"

    headers, rows = _export(as_("township_staff_a"))
    by_name = {row[0]: row for row in rows}
    assert by_name["甲县县代表"][6:8] == ["13700000011", "430525198001010011"]
    assert by_name["甲县乡代表"][6] == "137****0013"  # not theirs: masked, no ID, no birth date
    assert by_name["甲县乡代表"][7] in ("", None) and by_name["甲县乡代表"][8] in ("", None)

    for actor in ("deputy_a", "unit_a"):
        headers, rows = _export(as_(actor))
        assert "身份证号码" not in headers and "手机号码" not in headers and "出生日期" not in headers
        flat = " ".join(str(v) for row in rows for v in row)
        assert "430525" not in flat and "1370000" not in flat and "1975" not in flat
        assert {row[0] for row in rows} == {"甲县县代表", "甲县镇代表", "甲县乡代表"}


def test_export_follows_the_filters(world, as_):
    _headers, rows = _export(as_("admin_a"), f"&venue={world.ids['v2']}")
    assert [row[0] for row in rows] == ["甲县乡代表"]


# detail ---------------------------------------------------------------------------------------------


def test_detail_full_record_for_managers_card_for_others(world, as_):
    path = f"/deputies/{world.ids['west_deputy']}/"
    staff = text(as_("station_staff_a").get(path))
    assert "430525198001010013" in staff and "13700000013" in staff and "代表职务" in staff
    assert "乡镇级" in staff and "西村联络站" in staff and "安排驻站" in staff and "编辑资料" in staff
    assert "添加职务" not in staff  # mandates are the county's and the townships' to record
    assert as_("station_staff_a").get(f"/deputies/{world.ids['west_deputy']}/mandates/new/").status_code == 403
    assert "添加职务" in text(as_("admin_a").get(path))
    card = text(as_("deputy_a").get(path))
    assert "甲县乡代表" in card and "乡镇级人大代表" in card and "西村联络站" in card
    assert "430525198001010013" not in card and "13700000013" not in card and "代表职务" not in card
    assert "编辑资料" not in card
    assert as_("admin_a").get("/deputies/999999/").status_code == 404


def test_pages_need_a_member_of_this_county(world):
    assert login(ALPHA_HOST, None).get("/deputies/").status_code == 302
    assert login(PLATFORM_HOST, world.province_staff).get("/deputies/").status_code == 404


# staff forms ---------------------------------------------------------------------------------------


def test_staff_create_and_edit_a_deputy(world, as_, alpha):
    client = as_("admin_a")
    assert as_("deputy_a").get("/deputies/new/").status_code == 403
    bad = client.post("/deputies/new/", {"mobile": "12345", "name": "赵新"})
    assert bad.status_code == 400 and "请输入11位中国大陆手机号码。" in text(bad)
    duplicate = client.post("/deputies/new/", {"mobile": world.deputy_a.mobile, "name": "赵新"})
    assert "该手机号码的代表已在名册中。" in text(duplicate)
    done = client.post("/deputies/new/", {"mobile": "13912349999", "name": "赵新", "gender": "male",
                                          "id_number": "430525198801011234", "employer": "东镇农技站"})
    assert done.status_code == 302
    with alpha():
        deputy = Deputy.objects.get(account__mobile="13912349999")
    assert done["Location"] == f"/deputies/{deputy.pk}/"
    edit = client.post(f"/deputies/{deputy.pk}/edit/", {
        "name": "赵新民", "gender": "male", "id_number": "430525198801011234", "employer": "东镇农技站站长"})
    assert edit.status_code == 302
    with alpha():
        deputy.refresh_from_db()
        assert deputy.employer == "东镇农技站站长"
    assert "赵新民" in text(client.get(f"/deputies/{deputy.pk}/"))
    # east town's staff do not manage the west deputy: no edit page for them
    assert as_("township_staff_a").get(f"/deputies/{world.ids['west_deputy']}/edit/").status_code == 403


def test_mandate_form_explains_bad_dates_and_saves_nothing(world, as_, alpha):
    client = as_("township_staff_a")
    path = f"/deputies/{world.ids['deputy']}/mandates/new/"
    assert client.get(path).status_code == 200
    bad = client.post(path, {"level": "township", "term": 20, "township": world.ids["east"], "status": "serving",
                             "started_on": "2024-05-01", "ended_on": "2024-04-01"})
    assert bad.status_code == 400 and "终止日期不能早于起始日期。" in text(bad)
    no_township = client.post(path, {"level": "township", "term": 20, "status": "serving", "started_on": "2024-05-01"})
    assert no_township.status_code == 400 and "乡镇级代表须选择所属乡镇。" in text(no_township)
    with alpha():
        assert Mandate.objects.filter(deputy_id=world.ids["deputy"]).count() == 1
    ok = client.post(path, {"level": "township", "term": 20, "township": world.ids["east"], "status": "serving",
                            "started_on": "2024-05-01"})
    assert ok.status_code == 302
    assert "第20届" in text(client.get(f"/deputies/{world.ids['deputy']}/"))


def test_stationing_form_refuses_a_deputy_without_a_mandate(world, as_, alpha):
    client = as_("admin_a")
    client.post("/deputies/new/", {"mobile": "13912348888", "name": "钱无职"})
    with alpha():
        pk = Deputy.objects.get(account__mobile="13912348888").pk
    response = client.post(f"/deputies/{pk}/stationings/new/", {"venue": world.ids["v1"], "started_on": "2024-01-01"})
    assert response.status_code == 400
    assert ("钱无职 没有本县（市、区）的在任代表职务，也没有覆盖本地的省、州（市）代表职务，不能在此驻站。"
            in text(response))
    with alpha():
        assert not Stationing.objects.filter(deputy_id=pk).exists()


def test_station_staff_station_and_end(world, as_, alpha):
    client = as_("station_staff_a")
    form = text(client.get(f"/deputies/{world.ids['deputy']}/stationings/new/"))
    assert "西村联络站" in form and "东村联络站" not in form  # only the venues they manage
    assert client.post(f"/deputies/{world.ids['deputy']}/stationings/new/",
                       {"venue": world.ids["v2"], "started_on": "2024-01-01"}).status_code == 302
    with alpha():
        stationing = Stationing.objects.get(deputy_id=world.ids["deputy"], venue_id=world.ids["v2"])
    client.post(f"/deputies/{world.ids['deputy']}/stationings/{stationing.pk}/end/", {"ended_on": "2024-06-30"})
    with alpha():
        stationing.refresh_from_db()
        assert stationing.ended_on == dt.date(2024, 6, 30)


# 我的资料 ---------------------------------------------------------------------------------------------


def test_deputy_edits_my_profile(world, as_, alpha, media):
    client = as_("deputy_a")
    page = text(client.get("/me/profile/"))
    assert "我的资料" in page and "甲县县代表" in page
    saved = client.post("/me/profile/", {"bio": "关注农村饮水安全", "public_phone": "0739-7654321",
                                         "photo": SimpleUploadedFile("me.jpg", image("JPEG"), "image/jpeg")})
    assert saved.status_code == 302 and saved["Location"] == "/me/profile/"
    page = text(client.get("/me/profile/"))
    assert "已保存您的资料。" in page and "关注农村饮水安全" in page and "0739-7654321" in page
    with alpha():
        deputy = Deputy.objects.get(pk=world.ids["deputy"])
        assert deputy.bio == "关注农村饮水安全" and deputy.photo.name.startswith("deputies/")
    photo = login(ALPHA_HOST, None).get(f"/deputies/{deputy.pk}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_my_profile_refuses_bad_photos_in_chinese(world, as_, alpha, media, settings):
    client = as_("deputy_a")
    not_image = client.post("/me/profile/", {"bio": "x", "photo": SimpleUploadedFile("a.png", b"nope", "image/png")})
    assert not_image.status_code == 400 and "请上传有效图片" in text(not_image)
    gif = client.post("/me/profile/", {"bio": "x", "photo": SimpleUploadedFile("a.gif", image("GIF"), "image/gif")})
    assert gif.status_code == 400 and "JPEG、PNG或WEBP" in text(gif)
    big = client.post("/me/profile/", {"bio": "x", "photo": SimpleUploadedFile(
        "big.png", image("PNG") + b"\0" * (5 * 1024 * 1024), "image/png")})
    assert big.status_code == 400 and "5MB" in text(big)
    with alpha():
        deputy = Deputy.objects.get(pk=world.ids["deputy"])
        assert deputy.bio == "" and not deputy.photo


def test_my_profile_is_for_deputies(as_):
    assert as_("admin_a").get("/me/profile/").status_code == 404


# groups ---------------------------------------------------------------------------------------------


def test_group_roles_set_on_the_venue_page(world, as_, alpha):
    path = f"/deputy-groups/{world.ids['v2']}/"
    assert as_("township_staff_a").post(path, {"deputy": world.ids["west_deputy"], "role": "leader"}).status_code == 403
    client = as_("station_staff_a")
    assert "设置小组职务" in text(client.get(path))
    assert client.post(path, {"deputy": world.ids["west_deputy"], "role": "liaison_officer"}).status_code == 302
    page = text(client.get(path))
    assert "联络员" in page and "甲县乡代表" in page
    with alpha():
        assert GroupMember.objects.get(deputy_id=world.ids["west_deputy"]).role == "liaison_officer"
    listing = text(as_("deputy_a").get("/deputy-groups/"))
    assert "西村联络站" in listing and "设置小组职务" not in text(as_("deputy_a").get(path))
    _headers, rows = xlsx_rows(as_("admin_a").get("/deputy-groups/?export=xlsx").content)
    by_venue = {values[0]: [v or "" for v in values] for _n, values in rows}
    assert by_venue["西村联络站"] == [
        "西村联络站", "村（社区）联络站", "西乡", "西村联络站代表小组", "", "", "甲县乡代表", 1]


# pairing ---------------------------------------------------------------------------------------------


def test_pairing_page_for_staff_only(as_):
    assert as_("deputy_a").get("/pairing/").status_code == 403
    assert as_("station_staff_a").get("/pairing/").status_code == 403
    page = text(as_("township_staff_a").get("/pairing/"))
    assert "每名县级代表联系乡镇代表数（上限）" in page and "未结对的乡镇代表" in page


def test_township_staff_pair_and_end_only_their_townships_deputies(world, as_, alpha):
    from people.actors import actor_for
    from people.services.pairing import pairing_create

    with alpha():
        admin = actor_for(world.admin_a)
        deputies = {d.pk: d for d in Deputy.objects.all()}
        pairing_create(actor=admin, county_deputy=deputies[world.ids["deputy"]],
                       township_deputy=deputies[world.ids["west_deputy"]], started_on=dt.date(2024, 1, 1))
    client = as_("township_staff_a")
    page = client.get("/pairing/")
    choices = [label for _value, label in page.context["form"].fields["township_deputy"].choices][1:]
    assert choices == ["甲县镇代表"]  # east town's; the west deputy is paired already and not theirs anyway
    assert "终止</button>" not in text(page)  # the only pair is the west township's
    assert "终止</button>" in text(as_("admin_a").get("/pairing/"))
    assert client.post("/pairing/new/", {"county_deputy": world.ids["deputy"],
                                         "township_deputy": world.ids["township_deputy"],
                                         "started_on": "2024-01-01"}).status_code == 302
    assert text(client.get("/pairing/")).count("终止</button>") == 1


def test_pairing_over_the_limit_shows_a_chinese_error_and_saves_nothing(world, as_, alpha):
    with alpha():
        PairingRule.objects.update_or_create(pk=1, defaults={"township_deputies_per_county_deputy": 1})
    client = as_("admin_a")
    first = client.post("/pairing/new/", {"county_deputy": world.ids["deputy"],
                                          "township_deputy": world.ids["township_deputy"], "started_on": "2024-01-01"})
    assert first.status_code == 302
    over = client.post("/pairing/new/", {"county_deputy": world.ids["deputy"],
                                         "township_deputy": world.ids["west_deputy"], "started_on": "2024-01-01"})
    assert over.status_code == 400
    assert "甲县县代表 已联系 1 名乡镇代表，达到上限 1 名。" in text(over)
    with alpha():
        assert Pairing.objects.count() == 1
    page = text(client.get("/pairing/"))
    assert '<b id="unpaired-count">1</b>' in page and "甲县镇代表" in page


def test_pairing_proposal_previewed_then_applied_then_ended(world, as_, alpha):
    client = as_("admin_a")
    preview = text(client.get("/pairing/proposal/"))
    assert "建议新增结对 2 对" in preview and "甲县镇代表" in preview and "按此建议结对" in preview
    with alpha():
        assert Pairing.objects.count() == 0
    assert "按此建议结对" not in text(as_("township_staff_a").get("/pairing/proposal/"))
    assert as_("township_staff_a").post("/pairing/proposal/apply/", {"started_on": "2024-01-01"}).status_code == 403
    applied = client.post("/pairing/proposal/apply/", {"started_on": "2024-01-01"})
    assert applied.status_code == 302
    assert "已按自动建议新增2对结对。" in text(client.get("/pairing/"))
    with alpha():
        pairing = Pairing.objects.get(township_deputy_id=world.ids["township_deputy"])
    client.post(f"/pairing/{pairing.pk}/end/", {"ended_on": "2024-12-31"})
    with alpha():
        pairing.refresh_from_db()
        assert pairing.ended_on == dt.date(2024, 12, 31)
    _headers, rows = xlsx_rows(client.get("/pairing/?export=xlsx").content)
    assert [v[:2] for _n, v in rows] == [["甲县县代表", "甲县乡代表"]]


# the public directory ----------------------------------------------------------------------------------


def test_public_directory_shows_cards_without_personal_data(world, alpha):
    with alpha():
        Deputy.objects.filter(pk=world.ids["deputy"]).update(public_phone="0739-1111111", birth_date="1970-01-01")
    anonymous = login(ALPHA_HOST, None)
    page = text(anonymous.get("/directory/"))
    assert "甲县人大代表名录" in page
    assert "甲县县代表" in page and "县级人大代表" in page and "东村联络站" in page and "0739-1111111" in page
    assert "1370000" not in page and "137****" not in page and "430525" not in page and "1970" not in page
    assert "甲县乡代表" in text(anonymous.get(f"/directory/?township={world.ids['west']}"))
    assert "甲县县代表" not in text(anonymous.get(f"/directory/?township={world.ids['west']}"))
    headers, rows = xlsx_rows(anonymous.get("/directory/?export=xlsx").content)
    assert headers == ["姓名", "层级", "驻站站点", "公开联系电话"]
    assert login(PLATFORM_HOST, None).get("/directory/").status_code == 404


def test_directory_leaves_out_former_deputies(world, alpha):
    with alpha():
        Mandate.objects.filter(deputy_id=world.ids["west_deputy"]).update(
            status="resigned", ended_on=dt.date(2023, 1, 1))
        Stationing.objects.filter(deputy_id=world.ids["west_deputy"]).update(ended_on=dt.date(2023, 1, 1))
    assert "甲县乡代表" not in text(login(ALPHA_HOST, None).get("/directory/"))
    assert login(ALPHA_HOST, None).get(f"/deputies/{world.ids['west_deputy']}/photo/").status_code == 404


# query counts -------------------------------------------------------------------------------------------


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("actor", ["admin_a", "township_staff_a", "deputy_a"])
def test_list_pages_run_a_constant_number_of_queries(world, actor):
    client = login(ALPHA_HOST, getattr(world, actor))
    anonymous = login(ALPHA_HOST, None)
    add_deputies(world, 20, prefix="少")
    few = [count(client, "/deputies/"), count(anonymous, "/directory/"), count(client, "/deputy-groups/")]
    add_deputies(world, 300)
    many = [count(client, "/deputies/"), count(anonymous, "/directory/"), count(client, "/deputy-groups/")]
    filtered = count(client, f"/deputies/?township={world.ids['east']}&level=township&q=批&page=2")
    assert few == many, (few, many)
    assert filtered == many[0]
    assert max(many) <= 10, many


def test_pairing_page_queries_do_not_grow_with_pairs(world):
    client = login(ALPHA_HOST, world.admin_a)
    add_deputies(world, 40, prefix="少")
    with schema_context(world.alpha.schema_name):
        PairingRule.current()  # made on first use: not part of what is measured
    few = count(client, "/pairing/")
    add_deputies(world, 300)
    with schema_context(world.alpha.schema_name):
        PairingRule.objects.update_or_create(pk=1, defaults={"township_deputies_per_county_deputy": 200})
        from people.services.pairing import pairing_proposal
        Pairing.objects.bulk_create([Pairing(county_deputy_id=c, township_deputy_id=t, started_on=dt.date(2024, 1, 1))
                                     for c, t in pairing_proposal()])
    assert count(client, "/pairing/") == few


def test_administrator_changes_the_pairing_rule_on_the_pairing_page(world, as_, alpha):
    from people.models import PairingRule

    admin = as_("admin_a")
    assert "修改规则" in admin.get("/pairing/").content.decode()
    fields = {"township_deputies_per_county_deputy": 12, "pair_contacts_per_year": 4,
              "presidium_visits_per_year": 3, "voter_contacts_per_deputy": 20}
    page = admin.post("/pairing/rule/", fields, follow=True)
    assert "结对联系规则已保存" in page.content.decode()
    with alpha():
        assert PairingRule.current().township_deputies_per_county_deputy == 12
    refused = admin.post("/pairing/rule/", {**fields, "presidium_visits_per_year": 0}, follow=True)
    assert "1到200" in refused.content.decode()
    with alpha():
        assert PairingRule.current().presidium_visits_per_year == 3
    staff = as_("township_staff_a")
    assert "修改规则" not in staff.get("/pairing/").content.decode()
    assert staff.post("/pairing/rule/", fields).status_code == 403
