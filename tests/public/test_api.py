"""The public API: what a mini-program reads and sends, Chinese errors, throttles per address and per mobile
like the form, and nothing personal in what it returns."""

import pytest
from django.core.cache import cache
from django.test import Client

from notifications.models import Message
from tests.conftest import ALPHA_HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(alpha):
    with alpha():
        cache.clear()
    return Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.7.7.7")


def test_stations_directory_and_calendar_are_public_cards(world, app):
    stations = app.get("/api/v1/online/stations/").json()
    assert {s["id"] for s in stations} >= {world.ids["v1"], world.ids["v2"]}
    station = app.get(f"/api/v1/online/stations/{world.ids['v1']}/").json()
    assert [d["name"] for d in station["deputies"]] == ["甲县县代表"]
    directory = app.get("/api/v1/online/deputies/").json()
    assert directory["count"] >= 3
    body = str(directory) + str(station)
    assert "13700000011" not in body and "mobile" not in body and "id_number" not in body
    assert isinstance(app.get("/api/v1/online/calendar/", {"venue": world.ids["v1"]}).json(), list)


def test_an_opinion_with_a_confirmed_mobile_then_tracked(world, app, alpha):
    sent = app.post("/api/v1/online/codes/", {"constituent_mobile": "13955550001"}, content_type="application/json")
    assert sent.status_code == 202 and sent.json()["detail"] == "验证码已发送，请查收短信。"
    with alpha():
        code = Message.objects.filter(mobile="13955550001", kind="casework.verify").latest("pk").body[6:12]
    made = app.post("/api/v1/online/opinions/", {"content": "接口提交并追踪", "privacy_consent": True,
                                                 "constituent_mobile": "13955550001", "code": code},
                    content_type="application/json")
    assert made.status_code == 201
    tracked = app.get("/api/v1/online/track/", {"code": made.json()["tracking_code"].lower()}).json()
    assert tracked["status"] == "received" and tracked["status_display"] == "已登记"
    assert tracked["answer"] == "" and tracked["timeline"][0]["status"] == "received"
    assert "13955550001" not in str(tracked)
    missing = app.get("/api/v1/online/track/", {"code": "NOSUCHCODE"})
    assert missing.status_code == 404 and missing.json()["detail"] == "查询码不正确，请核对后再试。"
    with alpha():
        from casework.models import Opinion

        opinion = Opinion.objects.get(content="接口提交并追踪")
        case = opinion.case
        opinion.delete()
        case.transitions.all().delete()
        case.delete()


def test_codes_are_throttled_per_address_and_per_mobile(app):
    for _ in range(3):
        assert app.post("/api/v1/online/codes/", {"constituent_mobile": "13955550002"},
                        content_type="application/json").status_code == 202
    refused = app.post("/api/v1/online/codes/", {"constituent_mobile": "13955550003"},
                       content_type="application/json")
    assert refused.status_code == 429 and "太频繁" in refused.json()["non_field_errors"][0]
    other = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.7.7.8")  # another address, the same mobile
    assert other.post("/api/v1/online/codes/", {"constituent_mobile": "13955550002"},
                      content_type="application/json").status_code == 429
    bad = other.post("/api/v1/online/codes/", {"constituent_mobile": "123"}, content_type="application/json")
    assert bad.status_code == 400


def test_tracking_is_throttled_per_address(app, settings):
    from api.views import public

    for _ in range(public.TRACKS_PER_HOUR):
        assert app.get("/api/v1/online/track/", {"code": "NOSUCHCODE"}).status_code == 404
    refused = app.get("/api/v1/online/track/", {"code": "NOSUCHCODE"})
    assert refused.status_code == 429 and "太频繁" in refused.json()["non_field_errors"][0]


def test_the_public_api_is_in_the_schema(app):
    schema = app.get("/api/v1/schema/", {"format": "json"}).json()
    for path in ("/api/v1/online/codes/", "/api/v1/online/track/", "/api/v1/online/calendar/",
                 "/api/v1/online/stations/", "/api/v1/online/stations/{id}/", "/api/v1/online/deputies/",
                 "/api/v1/online/answers/"):
        assert path in schema["paths"], path
