"""The duties pages: a deputy's quick log and confirmation, the staff list and its filters and export,
reports, training, registers (HTML and PDF), and who may open what."""

from __future__ import annotations

import datetime as dt

import pytest

from core.xlsx import xlsx_rows
from duties.models import DutyPhoto, DutyRecord
from tests.duties.conftest import image_upload

pytestmark = pytest.mark.django_db


def test_a_deputy_logs_with_only_the_four_fields_and_a_photo(as_, alpha, world, media):
    deputy = as_("deputy_a")
    page = deputy.get("/duty/new/")
    assert page.status_code == 200
    assert dt.date.today().isoformat() in page.content.decode()  # date defaults to today
    response = deputy.post("/duty/new/", {"kind": "visit", "occurred_on": "2025-03-04", "title": "走访困难户",
                                          "content": "了解饮水问题", "photo": image_upload()})
    assert response.status_code == 302 and response["Location"] == "/duty/mine/"
    with alpha():
        record = DutyRecord.objects.get(title="走访困难户")
        assert record.status == "confirmed" and record.photos.count() == 1
    assert "走访困难户" in deputy.get("/duty/mine/").content.decode()


def test_a_refused_photo_logs_nothing(as_, alpha, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.duties.conftest import image_bytes

    response = as_("deputy_a").post("/duty/new/", {
        "kind": "visit", "occurred_on": "2025-03-04", "title": "走访", "photo": SimpleUploadedFile(
            "a.gif", image_bytes("GIF"), content_type="image/gif")})
    assert response.status_code == 400
    assert "图片格式须为JPEG、PNG或WEBP。" in response.content.decode()
    with alpha():
        assert not DutyRecord.objects.exists() and not DutyPhoto.objects.exists()


def test_a_future_date_shows_the_chinese_error(as_):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = as_("deputy_a").post("/duty/new/", {"kind": "visit", "occurred_on": tomorrow, "title": "走访"})
    assert response.status_code == 400 and "履职日期不能晚于今天。" in response.content.decode()


def test_staff_log_for_a_deputy_who_confirms_or_disputes(as_, alpha, world):
    staff = as_("township_staff_a")
    response = staff.post("/duty/new/", {"deputy": world.ids["deputy"], "kind": "reception",
                                         "occurred_on": "2025-03-03", "title": "接待日", "constituents_count": "8"})
    assert response.status_code == 302, response.content.decode()[:2000]
    with alpha():
        record = DutyRecord.objects.get(title="接待日")
    assert record.status == "pending"
    # west deputy is beyond east town's staff: not offered, refused
    response = staff.post("/duty/new/", {"deputy": world.ids["west_deputy"], "kind": "visit",
                                         "occurred_on": "2025-03-03", "title": "x"})
    assert response.status_code == 400
    deputy = as_("deputy_a")
    assert "待我确认" in deputy.get("/duty/mine/").content.decode()
    response = deputy.post(f"/duty/records/{record.pk}/dispute/", {"reason": ""})
    assert response.status_code == 400
    response = deputy.post(f"/duty/records/{record.pk}/dispute/", {"reason": "人次不对，应为12"})
    assert response.status_code == 302
    page = staff.get(f"/duty/records/{record.pk}/").content.decode()
    assert "甲县县代表 → 代表有异议：人次不对，应为12" in page and "东镇主席团 → 待代表确认" in page
    assert staff.get(f"/duty/records/{record.pk}/edit/").status_code == 200
    response = staff.post(f"/duty/records/{record.pk}/edit/", {"kind": "reception", "occurred_on": "2025-03-03",
                                                               "title": "接待日", "constituents_count": "12"})
    assert response.status_code == 302
    deputy.post(f"/duty/records/{record.pk}/confirm/")
    with alpha():
        record.refresh_from_db()
    assert record.status == "confirmed" and record.constituents_count == 12
    assert staff.get(f"/duty/records/{record.pk}/edit/").status_code == 403


def test_the_staff_list_filters_and_exports(as_, alpha, world):
    admin = as_("admin_a")
    for title, kind, day in [("走访一", "visit", "2025-03-04"), ("接待一", "reception", "2025-04-01")]:
        admin.post("/duty/new/", {"deputy": world.ids["deputy"], "kind": kind, "occurred_on": day, "title": title})
    page = admin.get("/duty/records/?kind=visit&month=2025-03").content.decode()
    assert ">走访一</a>" in page and ">接待一</a>" not in page
    response = admin.get("/duty/records/?export=xlsx")
    headers, rows = xlsx_rows(response.content)
    assert headers[:4] == ["日期", "代表", "类别", "标题"] and len(rows) == 2
    assert as_("deputy_a").get("/duty/records/").status_code == 403
    assert as_("unit_a").get("/duty/mine/").status_code == 404


def test_other_peoples_records_are_404(as_, alpha, world):
    admin = as_("admin_a")
    admin.post("/duty/new/", {"deputy": world.ids["deputy"], "kind": "visit", "occurred_on": "2025-03-04",
                              "title": "走访"})
    with alpha():
        pk = DutyRecord.objects.get().pk
    assert as_("station_staff_a").get(f"/duty/records/{pk}/").status_code == 404
    assert as_("unit_a").get(f"/duty/records/{pk}/").status_code == 404
    assert as_("deputy_a").get(f"/duty/records/{pk}/").status_code == 200


def test_reports_pages_and_exports(as_, world):
    admin = as_("admin_a")
    assert "按站点汇总" in admin.get("/duty/three-ones/?year=2025").content.decode()
    headers, rows = xlsx_rows(admin.get("/duty/three-ones/?year=2025&export=xlsx").content)
    assert headers[0] == "代表" and len(rows) == 3
    assert "优秀代表" in admin.get("/duty/evaluation/?year=2025").content.decode()
    headers, rows = xlsx_rows(admin.get("/duty/evaluation/?year=2025&export=xlsx").content)
    assert headers[:3] == ["全县排名", "乡镇排名", "代表"] and len(rows) == 3
    assert as_("unit_a").get("/duty/three-ones/").status_code == 403
    assert "三个一" in as_("deputy_a").get("/").content.decode()
    assert "三个一" not in as_("unit_a").get("/").content.decode()  # the link follows the page's rule
    response = admin.post("/duty/evaluation/rule/", {**{f"w_{k}": 1 for k in [
        "reception", "visit", "inspection_survey", "law_enforcement_inspection", "study_training",
        "congress_meeting", "report_to_voters", "pair_contact", "deliberation_forum", "policy_promotion",
        "public_welfare", "livelihood_project_supervision", "other"]}, "outstanding_top_n": "3"})
    assert response.status_code == 302
    assert as_("township_staff_a").post("/duty/three-ones/rule/", {"receptions_per_month": 2}).status_code == 403


def test_training_page_marks_attendance(as_, alpha, world):
    admin = as_("admin_a")
    response = admin.post("/training/", {"title": "代表履职培训", "kind": "training", "held_on": "2025-04-01"})
    assert response.status_code == 302
    event_url = response["Location"]
    staff = as_("township_staff_a")
    assert "代表履职培训" in staff.get(event_url).content.decode()
    staff.post(event_url + "attendance/", {"deputy": world.ids["deputy"], "status": "present"})
    with alpha():
        assert DutyRecord.objects.filter(kind="study_training", deputy_id=world.ids["deputy"]).count() == 1
    assert as_("deputy_a").post("/training/", {"title": "x", "kind": "training",
                                               "held_on": "2025-04-01"}).status_code == 403


def test_registers_print_and_pdf(as_, world):
    admin = as_("admin_a")
    admin.post("/duty/new/", {"deputy": world.ids["deputy"], "kind": "visit", "occurred_on": "2025-03-04",
                              "title": "登记簿里的走访", "venue": world.ids["v1"]})
    assert "活动登记簿" in admin.get("/registers/").content.decode()
    page = admin.get(f"/registers/activity/{world.ids['v1']}/?start=2025-01-01&end=2025-12-31").content.decode()
    assert "登记簿里的走访" in page
    pdf = admin.get(f"/registers/activity/{world.ids['v1']}/?start=2025-01-01&end=2025-12-31&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    card = as_("deputy_a").get(f"/registers/card/{world.ids['deputy']}/?year=2025")
    assert "人大代表联系卡" in card.content.decode()
    assert as_("deputy_a").get(f"/registers/card/{world.ids['west_deputy']}/").status_code == 404
    # a year out of range shows this year's card (it was a server error: a date in year 99999)
    assert as_("deputy_a").get(f"/registers/card/{world.ids['deputy']}/?year=99999").status_code == 200
    assert as_("station_staff_a").get(f"/registers/activity/{world.ids['v1']}/").status_code == 404
    assert as_("station_staff_a").get(f"/registers/activity/{world.ids['v2']}/").status_code == 200


def test_pairing_page_shows_contacts(as_, world):
    page = as_("admin_a").get("/pairing/").content.decode()
    assert "年联系次数" in page


def test_opinions_heard_during_a_duty_are_its_linked_cases(world, alpha, as_):
    """A deputy records on their visit what a constituent raised: it opens a case in casework linked to the
    duty record (the page and the API list it); another deputy cannot add to someone else's record."""
    import datetime as dt

    from casework.models import Opinion
    from duties.services.records import duty_record_log
    from people.actors import actor_for
    from people.models import Deputy

    with alpha():
        record = duty_record_log(actor=actor_for(world.deputy_a), deputy=Deputy.objects.get(pk=world.ids["deputy"]),
                                 kind="visit", occurred_on=dt.date(2026, 3, 2), title="走访东村困难户")
    deputy = as_("deputy_a")
    response = deputy.post(f"/duty/records/{record.pk}/opinions/", {"content": "危房改造补助迟迟未到位"}, follow=True)
    assert "已登记群众意见" in response.content.decode()
    with alpha():
        opinion = Opinion.objects.get(duty_record=record)
        assert (opinion.channel, opinion.deputy_id, opinion.received_on) == ("visit", world.ids["deputy"],
                                                                             dt.date(2026, 3, 2))
    page = deputy.get(f"/duty/records/{record.pk}/").content.decode()
    assert "危房改造补助迟迟未到位" in page and f"/cases/{opinion.case_id}/" in page
    assert deputy.get(f"/api/v1/duty-records/{record.pk}/").json()["cases"] == [opinion.case_id]
    refused = as_("township_deputy_a").post(f"/duty/records/{record.pk}/opinions/", {"content": "x"})
    assert refused.status_code == 404
    empty = deputy.post(f"/duty/records/{record.pk}/opinions/", {"content": " "})
    assert empty.status_code == 400


def test_confirming_never_redirects_off_the_county_host(world, alpha, as_):
    import datetime as dt

    from duties.services.records import duty_record_log
    from people.actors import actor_for
    from people.models import Deputy

    with alpha():
        record = duty_record_log(actor=actor_for(world.admin_a), deputy=Deputy.objects.get(pk=world.ids["deputy"]),
                                 kind="visit", occurred_on=dt.date(2026, 3, 3), title="代为登记的走访")
    response = as_("deputy_a").post(f"/duty/records/{record.pk}/confirm/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/duty/mine/"
