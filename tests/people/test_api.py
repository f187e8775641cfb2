"""The people API: the directory and full records, writes by role and scope, and the Chinese errors of
bad input (nothing half-saved); the deputy list runs a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from PIL import Image

from core.levels import Level, MandateStatus
from people.models import Deputy, GroupMember, Mandate, Pairing, PairingRule, Stationing
from tenants.models import Account, RegionMandate
from tests.conftest import ALPHA_HOST, login

pytestmark = pytest.mark.django_db

JSON = "application/json"


def png(size=(40, 50)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (183, 28, 28)).save(buffer, "PNG")
    return buffer.getvalue()




def post(client, path, data):
    return client.post(path, data, content_type=JSON)


def patch(client, path, data):
    return client.patch(path, data, content_type=JSON)


# the directory and the full record ------------------------------------------------------------


def test_manager_reads_the_full_record(world, as_):
    data = as_("township_staff_a").get(f"/api/v1/deputies/{world.ids['deputy']}/").json()
    assert data["full_record"] is True
    assert data["mobile"] == world.deputy_a.mobile
    assert data["id_number"] == "430525198001010011"
    assert [m["level"] for m in data["mandates"]] == ["county"]
    assert [s["venue_name"] for s in data["stationings"]] == ["东村联络站"]
    assert data["levels"] == [{"level": "county", "label": "县级"}]


def test_others_read_a_public_card_with_the_mobile_masked(world, as_):
    # east town's staff do not manage the west township's deputy; a handling unit manages nobody.
    for actor in ("township_staff_a", "unit_a", "deputy_a"):
        data = as_(actor).get(f"/api/v1/deputies/{world.ids['west_deputy']}/").json()
        assert data["full_record"] is False
        assert data["mobile"] == "137****0013"
        for private in ("id_number", "birth_date", "mandates", "stationings", "ethnicity"):
            assert private not in data, (actor, private)
        assert data["name"] == "甲县乡代表"
        assert data["levels"] == [{"level": "township", "label": "乡镇级"}]
        assert [s["venue_name"] for s in data["stations"]] == ["西村联络站"]


def test_a_deputy_reads_their_own_full_record_and_only_that_in_the_list(world, as_):
    rows = as_("deputy_a").get("/api/v1/deputies/").json()["results"]
    full = {row["name"] for row in rows if row["full_record"]}
    assert full == {"甲县县代表"}
    assert all("id_number" not in row for row in rows if not row["full_record"])
    assert {row["mobile"] for row in rows if not row["full_record"]} == {"137****0012", "137****0013"}


def test_list_search_and_filters(world, as_, alpha):
    client = as_("admin_a")

    def names(query):
        response = client.get(f"/api/v1/deputies/?{query}")
        assert response.status_code == 200
        return sorted(row["name"] for row in response.json()["results"])

    assert names("q=乡代表") == ["甲县乡代表"]
    assert names(f"q={world.deputy_a.mobile[-4:]}") == ["甲县县代表"]
    assert names("level=township") == ["甲县乡代表", "甲县镇代表"]
    assert names("level=county") == ["甲县县代表"]
    assert names(f"township={world.ids['east']}") == ["甲县县代表", "甲县镇代表"]
    assert names(f"venue={world.ids['v2']}") == ["甲县乡代表"]
    assert names("status=resigned") == []
    with alpha():
        Mandate.objects.filter(deputy_id=world.ids["west_deputy"]).update(status=MandateStatus.RESIGNED)
    assert names("status=resigned") == ["甲县乡代表"]
    assert names("level=township") == ["甲县镇代表"]


def test_province_deputy_shows_the_level_and_filters_by_it(world, as_, alpha):
    RegionMandate.objects.create(account=world.deputy_a, level=Level.PROVINCE, province=world.province, term=13,
                                 started_on=dt.date(2023, 1, 1))
    client = as_("unit_a")
    rows = client.get("/api/v1/deputies/?level=province").json()["results"]
    assert [row["name"] for row in rows] == ["甲县县代表"]
    assert [level["label"] for level in rows[0]["levels"]] == ["省级", "县级"]


def test_searching_by_mobile_finds_only_deputies_one_manages(world, as_):
    # deputy_a may find a name, but must not learn whose number is whose.
    west_mobile = "13700000013"
    assert as_("deputy_a").get(f"/api/v1/deputies/?q={west_mobile}").json()["results"] == []
    rows = as_("station_staff_a").get(f"/api/v1/deputies/?q={west_mobile}").json()["results"]
    assert [row["name"] for row in rows] == ["甲县乡代表"]


def test_deputy_of_another_county_is_not_found(world, as_):
    assert as_("admin_a").get("/api/v1/deputies/999999/").status_code == 404
    names = {row["name"] for row in as_("admin_a").get("/api/v1/deputies/").json()["results"]}
    assert not any(name.startswith("乙县") for name in names)


# create and update ----------------------------------------------------------------------------


def test_staff_create_a_deputy(world, as_, alpha):
    response = post(as_("admin_a"), "/api/v1/deputies/",
                    {"mobile": "13912340001", "name": "王新", "gender": "female", "id_number": "43052519900101002x",
                     "birth_date": "1990-01-01", "employer": "东镇卫生院院长"})
    assert response.status_code == 201, response.content
    assert response.json()["id_number"] == "43052519900101002X"
    with alpha():
        deputy = Deputy.objects.get(account__mobile="13912340001")
        assert deputy.employer == "东镇卫生院院长" and deputy.birth_date == dt.date(1990, 1, 1)
    # A township's staff may add a deputy too; with no mandate or stationing in their township yet,
    # the new deputy is outside their reach, so they get the public card back.
    response = post(as_("township_staff_a"), "/api/v1/deputies/", {"mobile": "13912340004", "name": "李新"})
    assert response.status_code == 201 and response.json()["full_record"] is False


@pytest.mark.parametrize("body, field, message", [
    ({"mobile": "1234", "name": "甲"}, "mobile", "请输入11位中国大陆手机号码。"),
    ({"mobile": "13700000011", "name": "甲"}, "mobile", "该手机号码的代表已在名册中。"),
    ({"mobile": "13912340002", "name": "甲", "id_number": "12345"}, "id_number",
     "身份证号码应为18位，最后一位可以是X。"),
    ({"mobile": "13912340003"}, "name", "该字段是必填项。"),
])
def test_bad_deputy_input_is_refused_in_chinese(as_, alpha, body, field, message):
    response = post(as_("admin_a"), "/api/v1/deputies/", body)
    assert response.status_code == 400
    assert message in response.json()[field]
    with alpha():
        assert not Deputy.objects.filter(account__mobile="13912340002").exists()


def test_deputy_edits_own_public_fields_only(world, as_, alpha):
    client = as_("deputy_a")
    path = f"/api/v1/deputies/{world.ids['deputy']}/"
    response = patch(client, path, {"bio": "二十年乡村医生", "public_phone": "0739-1234567"})
    assert response.status_code == 200, response.content
    assert response.json()["bio"] == "二十年乡村医生"
    refused = patch(client, path, {"employer": "自封的单位", "bio": "改了"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "您只能修改本人的简介、公开联系电话和照片。"
    with alpha():
        deputy = Deputy.objects.get(pk=world.ids["deputy"])
        assert (deputy.bio, deputy.employer) == ("二十年乡村医生", "")
    assert patch(client, f"/api/v1/deputies/{world.ids['west_deputy']}/", {"bio": "x"}).status_code == 403


def test_staff_edit_name_and_fields_in_scope(world, as_, alpha):
    response = patch(as_("station_staff_a"), f"/api/v1/deputies/{world.ids['west_deputy']}/",
                     {"name": "甲县乡代表（改）", "ethnicity": "瑶族"})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "甲县乡代表（改）"
    assert Account.objects.get(mobile="13700000013").name == "甲县乡代表（改）"
    bad = patch(as_("admin_a"), f"/api/v1/deputies/{world.ids['west_deputy']}/", {"id_number": "43052519800101"})
    assert bad.status_code == 400
    assert bad.json()["id_number"] == ["身份证号码应为18位，最后一位可以是X。"]


def test_photo_upload_is_checked(world, as_, alpha, media):
    client = as_("deputy_a")
    path = f"/api/v1/deputies/{world.ids['deputy']}/"
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import encode_multipart

    def upload(name, content, content_type):
        body = encode_multipart("BoUnDaRy", {"photo": SimpleUploadedFile(name, content, content_type)})
        return client.patch(path, body, content_type="multipart/form-data; boundary=BoUnDaRy")

    not_image = upload("photo.png", b"not an image at all", "image/png")
    assert not_image.status_code == 400
    assert "请上传有效图片" in not_image.json()["photo"][0]
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    wrong_type = upload("photo.gif", gif.getvalue(), "image/gif")
    assert wrong_type.status_code == 400
    assert "JPEG、PNG或WEBP" in wrong_type.json()["photo"][0]
    good = upload("photo.png", png(), "image/png")
    assert good.status_code == 200, good.content
    photo_url = good.json()["photo"]
    assert photo_url == f"/deputies/{world.ids['deputy']}/photo/"
    served = login(ALPHA_HOST, None).get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


# mandates and stationing ------------------------------------------------------------------------


def test_mandate_added_and_bad_ones_refused_with_nothing_saved(world, as_, alpha):
    client = as_("township_staff_a")
    path = f"/api/v1/deputies/{world.ids['deputy']}/mandates/"
    ok = post(client, path, {"level": "township", "term": 20, "township": world.ids["east"],
                             "started_on": "2024-01-01", "electoral_district": "东村选区"})
    assert ok.status_code == 201, ok.content
    assert ok.json()["township_name"] == "东镇"
    for body, field, message in [
        ({"level": "township", "term": 21, "township": world.ids["east"], "started_on": "2024-05-01",
          "ended_on": "2024-04-30"}, "ended_on", "终止日期不能早于起始日期。"),
        ({"level": "township", "term": 21, "started_on": "2024-05-01"}, "township", "乡镇级代表须选择所属乡镇。"),
        ({"level": "province", "term": 14, "started_on": "2024-05-01"}, "level",
         "省、州（市）人大代表的职务由上级人大登记。"),
    ]:
        response = post(as_("admin_a"), path, body)
        assert response.status_code == 400, body
        assert response.json()[field] == [message]
    no_township = post(client, path, {"level": "township", "term": 21, "started_on": "2024-05-01"})
    assert no_township.status_code == 400  # not a 403: east town's staff just forgot the township
    assert no_township.json()["township"] == ["乡镇级代表须选择所属乡镇。"]
    with alpha():
        assert Mandate.objects.filter(deputy_id=world.ids["deputy"]).count() == 2


def test_stationing_needs_a_mandate_that_allows_it(world, as_, alpha):
    client = as_("admin_a")
    created = post(client, "/api/v1/deputies/", {"mobile": "13912340009", "name": "无职务者"}).json()
    response = post(client, f"/api/v1/deputies/{created['id']}/stationings/",
                    {"venue": world.ids["v1"], "started_on": "2024-01-01"})
    assert response.status_code == 400
    assert "没有本县（市、区）的在任代表职务" in response.json()["venue"][0]
    with alpha():
        assert not Stationing.objects.filter(deputy_id=created["id"]).exists()


def test_stationing_added_and_ended(world, as_, alpha):
    client = as_("station_staff_a")
    path = f"/api/v1/deputies/{world.ids['deputy']}/stationings/"
    added = post(client, path, {"venue": world.ids["v2"], "started_on": "2024-03-01"})
    assert added.status_code == 201, added.content
    end = f"{path}{added.json()['id']}/end/"
    early = post(client, end, {"ended_on": "2024-02-01"})
    assert early.status_code == 400
    assert early.json()["ended_on"] == ["终止日期不能早于起始日期。"]
    assert post(client, end, {"ended_on": "2024-12-31"}).status_code == 200
    with alpha():
        assert Stationing.objects.get(pk=added.json()["id"]).ended_on == dt.date(2024, 12, 31)
    # the deputy's stationing at v1 is east town's, not the station staff's
    with alpha():
        v1 = Stationing.objects.get(deputy_id=world.ids["deputy"], venue_id=world.ids["v1"]).pk
    assert post(client, f"{path}{v1}/end/", {"ended_on": "2024-12-31"}).status_code == 403


# groups -----------------------------------------------------------------------------------------


def test_group_roles_per_venue(world, as_, alpha):
    client = as_("township_staff_a")
    path = f"/api/v1/deputy-groups/{world.ids['home']}/"
    with alpha():
        Stationing.objects.create(deputy_id=world.ids["deputy"], venue_id=world.ids["home"],
                                  started_on=dt.date(2022, 1, 1))
    first = post(client, f"{path}members/", {"deputy": world.ids["township_deputy"], "role": "leader"})
    assert first.status_code == 200
    response = post(client, f"{path}members/", {"deputy": world.ids["deputy"], "role": "leader"})
    assert response.status_code == 200
    roles = {m["name"]: m["role_display"] for m in response.json()["members"]}
    assert roles == {"甲县县代表": "组长", "甲县镇代表": "组员"}
    assert client.get(path).json()["group"] == "东镇代表之家代表小组"
    not_here = post(client, f"{path}members/", {"deputy": world.ids["west_deputy"], "role": "vice_leader"})
    assert not_here.status_code == 400
    assert not_here.json()["deputy"] == ["只有在本站驻站的代表才能加入本站代表小组。"]
    bad_role = post(client, f"{path}members/", {"deputy": world.ids["deputy"], "role": "boss"})
    assert bad_role.status_code == 400
    listed = {row["venue_name"]: row for row in as_("unit_a").get("/api/v1/deputy-groups/").json()["results"]}
    assert len(listed["东镇代表之家"]["members"]) == 2 and listed["西村联络站"]["members"] == []
    with alpha():
        assert GroupMember.objects.filter(group__venue_id=world.ids["home"]).count() == 2


# pairing ----------------------------------------------------------------------------------------


def _county_deputies(alpha, world, n):
    """n more serving county deputies of Alpha, made through the services."""
    from people.actors import actor_for
    from people.services.deputies import deputy_create, mandate_add

    made = []
    with alpha():
        actor = actor_for(world.admin_a)
        for i in range(n):
            deputy = deputy_create(actor=actor, mobile=f"1391111{i:04d}", name=f"县代表{i}")
            mandate_add(actor=actor, deputy=deputy, level=Level.COUNTY, term=17, started_on=dt.date(2021, 10, 1))
            made.append(deputy.pk)
    return made


def test_pairing_over_the_limit_is_refused_and_nothing_saved(world, as_, alpha):
    with alpha():
        PairingRule.objects.update_or_create(pk=1, defaults={"township_deputies_per_county_deputy": 1})
    client = as_("admin_a")
    first = post(client, "/api/v1/pairings/", {"county_deputy": world.ids["deputy"],
                                               "township_deputy": world.ids["township_deputy"],
                                               "started_on": "2024-01-01"})
    assert first.status_code == 201, first.content
    over = post(client, "/api/v1/pairings/", {"county_deputy": world.ids["deputy"],
                                              "township_deputy": world.ids["west_deputy"],
                                              "started_on": "2024-01-01"})
    assert over.status_code == 400
    assert over.json()["county_deputy"] == ["甲县县代表 已联系 1 名乡镇代表，达到上限 1 名。"]
    with alpha():
        assert Pairing.objects.count() == 1
    wrong_way = post(client, "/api/v1/pairings/", {"county_deputy": world.ids["west_deputy"],
                                                   "township_deputy": world.ids["deputy"],
                                                   "started_on": "2024-01-01"})
    assert wrong_way.status_code == 400
    assert "不是在任县级代表" in wrong_way.json()["county_deputy"][0]


def test_pairing_end_and_visibility(world, as_, alpha):
    created = post(as_("admin_a"), "/api/v1/pairings/", {"county_deputy": world.ids["deputy"],
                                                         "township_deputy": world.ids["township_deputy"],
                                                         "started_on": "2024-01-01"}).json()
    assert [p["id"] for p in as_("deputy_a").get("/api/v1/pairings/").json()["results"]] == [created["id"]]
    assert as_("unit_a").get("/api/v1/pairings/").json()["results"] == []
    assert as_("station_staff_a").get(f"/api/v1/pairings/{created['id']}/").status_code == 404
    end = f"/api/v1/pairings/{created['id']}/end/"
    early = post(as_("township_staff_a"), end, {"ended_on": "2023-12-31"})
    assert early.status_code == 400 and early.json()["ended_on"] == ["终止日期不能早于起始日期。"]
    done = post(as_("township_staff_a"), end, {"ended_on": "2024-06-30"})
    assert done.status_code == 200 and done.json()["ended_on"] == "2024-06-30"
    again = post(as_("admin_a"), end, {"ended_on": "2024-07-01"})
    assert again.status_code == 400
    assert as_("admin_a").get("/api/v1/pairings/").json()["results"] == []
    assert len(as_("admin_a").get("/api/v1/pairings/?all=1").json()["results"]) == 1


def test_proposal_previews_and_auto_applies_within_the_limit(world, as_, alpha):
    _county_deputies(alpha, world, 1)
    with alpha():
        PairingRule.objects.update_or_create(pk=1, defaults={"township_deputies_per_county_deputy": 1})
    client = as_("admin_a")
    preview = client.get("/api/v1/pairings/proposal/").json()
    # east town's township deputy goes to deputy_a (stationed in east town), the west one to the other
    assert {(p["county_deputy"]["name"], p["township_deputy"]["name"]) for p in preview} == {
        ("甲县县代表", "甲县镇代表"), ("县代表0", "甲县乡代表")}
    with alpha():
        assert Pairing.objects.count() == 0  # a preview saves nothing
    compliance = client.get("/api/v1/pairings/compliance/").json()
    assert compliance["limit"] == 1 and compliance["township_deputies"] == 2
    assert {d["name"] for d in compliance["unpaired"]} == {"甲县镇代表", "甲县乡代表"}
    assert as_("township_staff_a").post("/api/v1/pairings/auto/", {"started_on": "2024-01-01"},
                                        content_type=JSON).status_code == 403
    applied = post(client, "/api/v1/pairings/auto/", {"started_on": "2024-01-01"})
    assert applied.json() == {"created": 2}
    compliance = client.get("/api/v1/pairings/compliance/").json()
    assert compliance["unpaired"] == [] and compliance["over_limit"] == []
    assert sorted(row["pairings"] for row in compliance["load"]) == [1, 1]
    assert compliance["rule"]["presidium_visits_per_year"] == 2
    assert post(client, "/api/v1/pairings/auto/", {"started_on": "2024-01-01"}).json() == {"created": 0}


# query counts -----------------------------------------------------------------------------------


def add_deputies(world, n: int, *, prefix: str = "批") -> None:
    """n deputies in Alpha with accounts, a mandate, a stationing and some a province mandate: bulk."""
    start = Account.objects.count()
    accounts = Account.objects.bulk_create([
        Account(mobile=f"136{start + i:08d}", name=f"{prefix}代表{i:04d}", password="!") for i in range(n)])
    RegionMandate.objects.bulk_create([
        RegionMandate(account=a, level=Level.PROVINCE, province=world.province, term=13,
                      started_on=dt.date(2023, 1, 1)) for a in accounts[::10]])
    with schema_context(world.alpha.schema_name):
        deputies = Deputy.objects.bulk_create([Deputy(account_id=a.pk) for a in accounts])
        Mandate.objects.bulk_create([
            Mandate(deputy=d, level=Level.TOWNSHIP if i % 2 else Level.COUNTY, term=19,
                    township_id=world.ids["east"] if i % 2 else None, started_on=dt.date(2021, 10, 1))
            for i, d in enumerate(deputies)])
        Stationing.objects.bulk_create([
            Stationing(deputy=d, venue_id=world.ids["v1"] if i % 3 else world.ids["v2"],
                       started_on=dt.date(2021, 10, 1)) for i, d in enumerate(deputies)])


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("actor", ["admin_a", "township_staff_a", "deputy_a"])
def test_deputy_list_api_runs_a_constant_number_of_queries(world, actor):
    client = login(ALPHA_HOST, getattr(world, actor))
    add_deputies(world, 20, prefix="少")
    few = count_queries(client, "/api/v1/deputies/")
    add_deputies(world, 300)
    many = count_queries(client, "/api/v1/deputies/")
    filtered = count_queries(client, f"/api/v1/deputies/?township={world.ids['east']}&level=township&page=2")
    # 10, plus 4 for the audit row of the full records shown (savepoint, chain lock, last hash, insert), plus
    # one for township staff (the townships re-divided into theirs, people.actors.actor_for).
    assert few == many == filtered <= 15, (few, many, filtered)
    response = client.get("/api/v1/deputies/")
    assert response.json()["count"] == 323 and len(response.json()["results"]) == 50
