"""The duties API: logging and confirming, photos, reports, training, isolation between counties,
and list query counts that do not grow with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duties.models import DutyRecord
from duties.services.records import duty_record_log
from people.services.pairing import pairing_create
from tests.conftest import BETA_HOST, login
from tests.duties.conftest import image_upload

pytestmark = pytest.mark.django_db


def test_a_deputy_logs_and_confirms_through_the_api(as_, alpha, world):
    deputy = as_("deputy_a")
    response = deputy.post("/api/v1/duty-records/", {"kind": "visit", "occurred_on": "2025-03-04", "title": "走访"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "confirmed" and response.json()["deputy"]["id"] == world.ids["deputy"]
    staff = as_("township_staff_a")
    response = staff.post("/api/v1/duty-records/", {
        "deputy": world.ids["deputy"], "kind": "reception", "occurred_on": "2025-03-03", "title": "接待日",
        "venue": world.ids["v1"], "constituents_count": 9, "participants": [world.ids["township_deputy"]]},
        content_type="application/json")
    assert response.status_code == 201, response.content
    record = response.json()
    assert record["status"] == "pending" and [p["id"] for p in record["participants"]] == [world.ids["township_deputy"]]
    listed = deputy.get("/api/v1/duty-records/?status=pending").json()
    assert [r["id"] for r in listed["results"]] == [record["id"]]
    response = deputy.post(f"/api/v1/duty-records/{record['id']}/confirm/")
    assert response.json()["status"] == "confirmed"
    assert [t["to_status"] for t in response.json()["transitions"]] == ["pending", "confirmed"]
    response = deputy.post(f"/api/v1/duty-records/{record['id']}/dispute/", {"reason": "x"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该履职登记当前为“已确认”，不能改为“代表有异议”。"]}


def test_beta_pages_show_nothing_of_alpha(as_, alpha, world):
    with alpha():
        from people.actors import actor_for
        from people.models import Deputy

        record = duty_record_log(actor=actor_for(world.deputy_a), deputy=Deputy.objects.get(pk=world.ids["deputy"]),
                                 kind="visit", occurred_on=dt.date(2025, 3, 4), title="甲县的走访")
    beta = login(BETA_HOST, world.admin_b)
    assert beta.get(f"/duty/records/{record.pk}/").status_code == 404
    assert "甲县的走访" not in beta.get("/duty/records/").content.decode()
    assert "甲县" not in beta.get("/duty/three-ones/?year=2025").content.decode().split("</header>")[1]
    # Alpha's administrator is nobody on Beta's host
    assert login(BETA_HOST, None).get("/duty/records/").status_code == 302


def test_a_future_date_is_refused_in_chinese(as_):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = as_("deputy_a").post("/api/v1/duty-records/", {"kind": "visit", "occurred_on": tomorrow,
                                                              "title": "走访"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"occurred_on": ["履职日期不能晚于今天。"]}


def test_photo_upload_checks_the_file(as_, world, media):
    deputy = as_("deputy_a")
    record = deputy.post("/api/v1/duty-records/", {"kind": "visit", "occurred_on": "2025-03-04", "title": "走访"},
                         content_type="application/json").json()
    response = deputy.post(f"/api/v1/duty-records/{record['id']}/photos/", {"photo": image_upload()})
    assert response.status_code == 201, response.content
    thumbnail = response.json()["thumbnail"]
    assert thumbnail.endswith("?size=thumb")
    served = deputy.get(thumbnail)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert as_("station_staff_a").get(thumbnail).status_code == 404
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = deputy.post(f"/api/v1/duty-records/{record['id']}/photos/",
                           {"photo": SimpleUploadedFile("a.jpg", b"not an image" * 20)})
    assert response.status_code == 400
    detail = deputy.get(f"/api/v1/duty-records/{record['id']}/").json()
    assert len(detail["photos"]) == 1


def test_beta_sees_nothing_of_alphas_duties(as_, alpha, world):
    with alpha():
        from people.actors import actor_for
        from people.models import Deputy

        record = duty_record_log(actor=actor_for(world.deputy_a), deputy=Deputy.objects.get(pk=world.ids["deputy"]),
                                 kind="visit", occurred_on=dt.date(2025, 3, 4), title="甲县走访")
    beta = login(BETA_HOST, world.admin_b)
    assert beta.get("/api/v1/duty-records/").json()["count"] == 0
    assert beta.get(f"/api/v1/duty-records/{record.pk}/").status_code == 404
    assert beta.post(f"/api/v1/duty-records/{record.pk}/confirm/").status_code == 404
    report = beta.get("/api/v1/three-ones/?year=2025").json()
    assert {r["deputy"]["name"] for r in report["rows"]} == {"乙县县代表", "乙县镇代表", "乙县乡代表"}
    assert all(r["months_ok"] == 0 for r in report["rows"])
    assert all(r["score"] == 0 for r in beta.get("/api/v1/duty-evaluation/?year=2025").json()["rows"])
    assert beta.get("/api/v1/training-events/").json()["count"] == 0
    # and Alpha's people on Beta's host are nobody
    assert login(BETA_HOST, None).get("/api/v1/duty-records/").status_code == 403


def test_reports_through_the_api(as_, alpha, world):
    admin = as_("admin_a")
    admin.post("/api/v1/duty-records/", {"deputy": world.ids["deputy"], "kind": "report_to_voters",
                                         "occurred_on": "2025-06-01", "title": "述职"}, content_type="application/json")
    deputy = as_("deputy_a")
    record = deputy.get("/api/v1/duty-records/").json()["results"][0]
    deputy.post(f"/api/v1/duty-records/{record['id']}/confirm/")
    three = admin.get("/api/v1/three-ones/?year=2025").json()
    row = next(r for r in three["rows"] if r["deputy"]["id"] == world.ids["deputy"])
    assert row["report_ok"] and len(row["months"]) == 12
    assert {s["name"] for s in three["stations"]} >= {"东村联络站", "西村联络站"}
    evaluation = admin.get("/api/v1/duty-evaluation/?year=2025").json()
    assert evaluation["rows"][0]["deputy"]["id"] == world.ids["deputy"] and evaluation["rows"][0]["score"] == 5
    assert admin.get("/api/v1/three-ones/?year=abc").status_code == 400
    response = admin.put("/api/v1/duty-rule/", {"reports_per_year": 2}, content_type="application/json")
    assert response.json()["reports_per_year"] == 2
    three = admin.get("/api/v1/three-ones/?year=2025").json()
    assert not next(r for r in three["rows"] if r["deputy"]["id"] == world.ids["deputy"])["report_ok"]


def test_pairing_compliance_counts_pair_contacts(as_, alpha, world):
    from people.actors import actor_for
    from people.models import Deputy

    today = dt.date.today()
    with alpha():
        d, td = Deputy.objects.get(pk=world.ids["deputy"]), Deputy.objects.get(pk=world.ids["township_deputy"])
        pairing = pairing_create(actor=actor_for(world.admin_a), county_deputy=d, township_deputy=td,
                                 started_on=dt.date(2024, 1, 1))
        duty_record_log(actor=actor_for(world.deputy_a), deputy=d, kind="pair_contact", occurred_on=today,
                        title="结对走访", participants=[td])
    report = as_("admin_a").get("/api/v1/pairings/compliance/").json()
    assert report["contacts_year"] == today.year
    assert report["contacts"] == [{"pairing": pairing.pk, "county_deputy": {"id": d.pk, "name": "甲县县代表"},
                                   "township_deputy": {"id": td.pk, "name": "甲县镇代表"},
                                   "contacts": 1, "required": 2, "met": False,
                                   "presidium_visits": 0, "presidium_visits_required": 2,
                                   "presidium_visits_met": False}]


def test_training_attendance_through_the_api(as_, alpha, world):
    admin = as_("admin_a")
    event = admin.post("/api/v1/training-events/", {"title": "履职能力培训", "held_on": "2025-04-01",
                                                    "venue": world.ids["home"]}, content_type="application/json")
    assert event.status_code == 201, event.content
    event_id = event.json()["id"]
    staff = as_("township_staff_a")
    response = staff.post(f"/api/v1/training-events/{event_id}/attendance/",
                          {"deputy": world.ids["deputy"], "status": "present"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "present"
    detail = as_("deputy_a").get(f"/api/v1/training-events/{event_id}/").json()
    assert [(a["deputy"]["id"], a["status"]) for a in detail["attendances"]] == [(world.ids["deputy"], "present")]
    assert as_("unit_a").get(f"/api/v1/training-events/{event_id}/").json()["attendances"] == []
    with alpha():
        assert DutyRecord.objects.filter(source=f"training:{event_id}:{world.ids['deputy']}").count() == 1


def _bulk(alpha, world, n: int) -> None:
    from duties.models import DutyPhoto, DutyRecord

    with alpha():
        records = DutyRecord.objects.bulk_create([
            DutyRecord(deputy_id=world.ids["deputy"], kind="visit", occurred_on=dt.date(2025, 1, 1 + i % 28),
                       title=f"走访{i}", author_id=world.deputy_a.pk, venue_id=world.ids["v1"]) for i in range(n)])
        DutyPhoto.objects.bulk_create([DutyPhoto(record=r, image="x.jpg", thumbnail="x_thumb.jpg") for r in records])
        for r in records:
            r.participants.add(world.ids["township_deputy"])
        from duties.models import TrainingAttendance, TrainingEvent

        events = TrainingEvent.objects.bulk_create([
            TrainingEvent(title=f"培训{i}", held_on=dt.date(2025, 2, 1), venue_id=world.ids["home"]) for i in range(n)])
        TrainingAttendance.objects.bulk_create([
            TrainingAttendance(event=e, deputy_id=world.ids["deputy"], status="present") for e in events])


@pytest.mark.parametrize("path", ["/api/v1/duty-records/", "/duty/records/", "/duty/mine/", "/training/",
                                  "/api/v1/training-events/", "/duty/three-ones/?year=2025",
                                  "/duty/evaluation/?year=2025", "/api/v1/three-ones/?year=2025",
                                  "/registers/activity/{v1}/?start=2025-01-01&end=2025-12-31"])
def test_list_queries_do_not_grow(as_, alpha, world, path):
    path = path.replace("{v1}", str(world.ids["v1"]))
    client = as_("deputy_a") if path == "/duty/mine/" else as_("admin_a")
    client.get(path)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    _bulk(alpha, world, 3)
    few = count()
    _bulk(alpha, world, 40)
    assert count() == few
