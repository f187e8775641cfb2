"""The reception API end to end: QR sign-in by a logged-in deputy, Chinese errors, and isolation between
counties (Beta's administrator never sees Alpha's sessions)."""

import datetime as dt

import pytest

from reception.models import Attendance, ReceptionSession
from reception.services.schedule import schedule_for
from tests.conftest import BETA_HOST, login
from tests.reception.conftest import make_session, make_session_now

pytestmark = pytest.mark.django_db


def test_a_deputy_signs_in_with_the_stations_code(world, alpha, as_, today):
    with alpha():
        session = make_session_now(world.ids["v1"])
        code = schedule_for(session.venue).sign_in_token
    client = as_("deputy_a")
    response = client.post("/api/v1/reception/sign-in/", {"code": code}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["method"] == "qr"
    with alpha():
        assert Attendance.objects.filter(session=session, deputy_id=world.ids["deputy"]).exists()
    mine = client.get(f"/api/v1/reception-sessions/{session.pk}/").json()
    assert [a["name"] for a in mine["attendances"]] == [world.deputy_a.name]


def test_moving_to_a_past_day_is_refused_in_chinese(world, alpha, as_, today):
    with alpha():
        session = make_session(world.ids["v1"], today + dt.timedelta(days=4))
    response = as_("admin_a").post(f"/api/v1/reception-sessions/{session.pk}/move/",
                                   {"date": (today - dt.timedelta(days=1)).isoformat(), "reason": "测试"},
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.json()["date"] == ["不能调整到已过去的日期。"]
    with alpha():
        assert ReceptionSession.objects.get(pk=session.pk).date == today + dt.timedelta(days=4)


def test_the_other_county_sees_none_of_alphas_sessions(world, alpha, today):
    with alpha():
        session = make_session(world.ids["v1"], today + dt.timedelta(days=6))
    beta = login(BETA_HOST, world.admin_b)
    listed = beta.get("/api/v1/reception-sessions/?past=1").json()["results"]
    assert all(row["venue_name"].endswith("乙联络站") or "乙" in row["venue_name"] for row in listed)
    # Ids overlap across counties (each schema counts from 1): Alpha's id on Beta's host is Beta's row or none.
    other = beta.get(f"/api/v1/reception-sessions/{session.pk}/")
    assert other.status_code == 404 or "乙" in other.json()["venue_name"]
