"""The county's public face without a login: the online station at `/`, a page per station, the kiosk; the
login page names the county; signed-in people keep their home; the platform host has none of it."""

import pytest
from django.test import Client

from tests.conftest import ALPHA_HOST, PLATFORM_HOST, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(HTTP_HOST=ALPHA_HOST)


def test_a_visitor_gets_the_online_station_at_the_root(world, visitor):
    response = visitor.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "甲县网上代表联络站" in page
    for link in ('href="/online/"', 'action="/online/track/"', 'href="/reception/calendar/"', 'href="/directory/"',
                 'href="/answers/"', 'href="/stations/"', 'href="/login/"', f'href="/stations/{world.ids["v1"]}/"'):
        assert link in page, link
    assert "sessionid" not in response.cookies


def test_signed_in_staff_keep_their_home_and_the_platform_asks_to_sign_in(world):
    assert "网上代表联络站" not in login(ALPHA_HOST, world.admin_a).get("/").content.decode()
    response = Client(HTTP_HOST=PLATFORM_HOST).get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_login_page_names_the_county_not_the_host(world, visitor):
    page = visitor.get("/login/").content.decode()
    assert "甲县人大" in page and "alpha.localhost人大" not in page


def test_a_station_page_shows_where_when_who_and_a_qr_code(world, visitor, alpha):
    from organisation.models import Venue

    with alpha():
        Venue.objects.filter(pk=world.ids["v1"]).update(address="东村村委会一楼", opening_hours="工作日 9:00—17:00")
    page = visitor.get(f"/stations/{world.ids['v1']}/").content.decode()
    assert "东村村委会一楼" in page and "工作日 9:00—17:00" in page
    assert "甲县县代表" in page  # the stationed deputy's public card
    assert "<svg" in page and f"/stations/{world.ids['v1']}/" in page
    assert "13700000011" not in page  # the deputy's own mobile is not on a public card
    assert visitor.get("/stations/").status_code == 200


def test_a_closed_station_and_other_hosts_have_no_page(world, visitor, alpha):
    from organisation.models import Venue

    with alpha():
        Venue.objects.filter(pk=world.ids["v2"]).update(status=Venue.Status.CLOSED)
    try:
        assert visitor.get(f"/stations/{world.ids['v2']}/").status_code == 404
        assert visitor.get(f"/kiosk/{world.ids['v2']}/").status_code == 404
    finally:
        with alpha():
            Venue.objects.filter(pk=world.ids["v2"]).update(status=Venue.Status.OPEN)
    platform = Client(HTTP_HOST=PLATFORM_HOST)
    for path in ("/stations/", f"/stations/{world.ids['v1']}/", "/answers/", f"/kiosk/{world.ids['v1']}/"):
        assert platform.get(path).status_code == 404, path


def test_the_kiosk_keeps_nothing(world, visitor):
    home = visitor.get(f"/kiosk/{world.ids['v1']}/?idle=7")
    assert home.status_code == 200 and "no-store" in home["Cache-Control"]
    page = home.content.decode()
    assert 'data-kiosk-idle="7"' in page and f'data-kiosk-home="/kiosk/{world.ids["v1"]}/?idle=7"' in page
    assert "今日值班代表" in page and "sessionid" not in home.cookies
    form = visitor.get(f"/kiosk/{world.ids['v1']}/opinion/")
    assert form.status_code == 200 and 'autocomplete="off"' in form.content.decode()
    assert 'data-kiosk-idle="60"' in form.content.decode()
    assert visitor.get(f"/kiosk/{world.ids['v1']}/?idle=1").content.decode().count('data-kiosk-idle="5"') == 1
    track = visitor.get(f"/kiosk/{world.ids['v1']}/track/", {"code": "NOSUCHCODE"})
    assert "查询码不正确" in track.content.decode()


def test_an_opinion_from_the_kiosk_belongs_to_its_station(world, visitor, alpha):
    from django.core.cache import cache

    from casework.models import Opinion

    with alpha():
        cache.clear()
    response = visitor.post(f"/kiosk/{world.ids['v2']}/opinion/", {"content": "触摸屏提交的意见",
                                                                    "privacy_consent": "on"})
    assert response.status_code == 200 and 'id="tracking-code"' in response.content.decode()
    assert "sessionid" not in response.cookies
    with alpha():
        opinion = Opinion.objects.get(content="触摸屏提交的意见")
        assert opinion.venue_id == world.ids["v2"] and opinion.case.township_id == world.ids["west"]
        case = opinion.case
        opinion.delete()
        case.transitions.all().delete()
        case.delete()


def test_the_kiosk_idle_time_is_a_setting(world, visitor, settings):
    settings.KIOSK_IDLE_SECONDS = 90
    page = visitor.get(f"/kiosk/{world.ids['v1']}/").content.decode()
    assert 'data-kiosk-idle="90"' in page and "90 秒无操作将自动返回首页" in page


def test_the_reception_calendar_is_a_month(world, visitor, alpha):
    import datetime as dt

    from tests.reception.conftest import make_session

    with alpha():
        session = make_session(world.ids["v1"], dt.date(2026, 3, 10))
    try:
        page = visitor.get("/reception/calendar/", {"month": "2026-03"}).content.decode()
        assert '<table class="month">' in page and "2026年3月" in page and "2026年3月接待日一览" in page
        assert page.count('class="day-number"') in (35, 42) and "东村联络站" in page
        assert 'href="?month=2026-02"' in page and 'href="?month=2026-04"' in page
        assert visitor.get("/reception/calendar/", {"month": "nonsense"}).status_code == 200
    finally:
        with alpha():
            session.delete()
