"""Reception in a real browser: a deputy signs in on a phone through the station's QR page; staff set a
session's rota on a desktop from the rule's proposal and print the station's sign-in code."""

import datetime as dt

import pytest

from tests.browser.conftest import shot
from tests.browser.test_people_pages import _login, _no_sideways_scroll

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reception_day(world, django_db_blocker):
    """Today's session at v1 (deputy_a's station), open now, committed for the web server; removed after."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from reception.models import ReceptionSession
    from reception.services.schedule import schedule_for

    with django_db_blocker.unblock(), schema_context(world.alpha.schema_name):
        now = timezone.now()
        session = ReceptionSession.objects.create(
            venue_id=world.ids["v1"], planned_on=dt.date(2000, 1, 3), date=timezone.localdate(now),
            starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=2))
        token = schedule_for(session.venue).sign_in_token
    yield {"session": session.pk, "token": token}
    with django_db_blocker.unblock(), schema_context(world.alpha.schema_name):
        from duties.models import DutyRecord

        DutyRecord.objects.filter(source__startswith=f"reception:{session.pk}:").delete()  # the sign-in's duty
        ReceptionSession.objects.filter(pk=session.pk).delete()


def test_a_deputy_signs_in_by_the_qr_code_on_a_phone(web_server, reception_day, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.deputy_a.mobile)
    phone.goto(f"{base}/reception/sign-in/{reception_day['token']}/")  # what scanning the printed code opens
    phone.get_by_role("heading", name="东村联络站").wait_for()
    assert _no_sideways_scroll(phone)
    shot(phone, "reception-sign-in-phone")
    phone.get_by_role("button", name="签到").click()
    phone.get_by_text("签到成功").wait_for()
    assert "已签到" in phone.locator(".session-cards").inner_text()
    assert _no_sideways_scroll(phone), "我的接待 scrolls sideways"
    shot(phone, "reception-mine-phone")


def test_staff_set_the_rota_from_the_proposal_on_a_desktop(web_server, reception_day, desktop, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(desktop, base, world.admin_a.mobile)
    desktop.get_by_role("link", name="接待日", exact=True).click()
    desktop.get_by_role("heading", name="接待日", exact=True).wait_for()
    desktop.goto(f"{base}/reception/{reception_day['session']}/")
    desktop.get_by_role("link", name="按规则推荐").click()
    desktop.get_by_text("已按规则").wait_for()
    assert desktop.get_by_label("甲县县代表").is_checked()
    desktop.get_by_role("button", name="保存值班安排").click()
    desktop.get_by_text("已保存值班安排").wait_for()
    assert "县级代表 1 名，少于规定的 5 名" in desktop.content()
    shot(desktop, "reception-session-desktop")
    desktop.goto(f"{base}/reception/stations/{world.ids['v1']}/")
    assert desktop.locator(".qr svg").count() >= 1
    shot(desktop, "reception-station-desktop")
