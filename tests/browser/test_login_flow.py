"""Logging in and out in a real browser, on a phone and on a desktop, in Chinese."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import shot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, base: str, mobile: str, password: str = PASSWORD) -> None:
    """From the county's front page (the online station for visitors) through its "登录" link."""
    page.goto(f"{base}/")
    if "/login/" not in page.url:
        page.get_by_role("link", name="登录", exact=True).click()
    page.get_by_label("手机号码").fill(mobile)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_county_admin_logs_in_on_a_phone_and_out_again(web_server, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.admin_a.mobile)
    phone.get_by_role("heading", name="甲县").wait_for()
    assert "县人大常委会管理员" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"
    shot(phone, "county-home-phone")
    phone.get_by_role("button", name="退出").click()
    phone.get_by_role("heading", name="登录").wait_for()
    assert urlparse(phone.url).path == "/login/"


def test_person_of_another_county_is_refused_in_chinese(web_server, phone, world):
    _login(phone, f"http://beta.localhost:{web_server}", world.admin_a.mobile)
    phone.get_by_role("alert").wait_for()
    assert "手机号码或密码不正确，或您在本站没有账号。" in phone.get_by_role("alert").inner_text()
    shot(phone, "login-refused-phone")


def test_malformed_mobile_number_is_explained(web_server, phone, world):
    _login(phone, f"http://alpha.localhost:{web_server}", "12345")
    assert "请输入11位中国大陆手机号码。" in phone.content()


def test_provincial_staff_see_their_counties_on_a_desktop(web_server, desktop, world):
    _login(desktop, f"http://localhost:{web_server}", world.province_staff.mobile)
    desktop.get_by_role("heading", name="辖区内的县（市、区）").wait_for()
    table = desktop.locator("table").inner_text()
    assert "甲县" in table and "乙县" in table
    shot(desktop, "platform-home-desktop")


def test_unknown_county_shows_a_chinese_404(web_server, phone):
    response = phone.goto(f"http://nosuch.localhost:{web_server}/")
    assert response.status == 404
    assert "未找到该站点" in phone.content()


def test_api_docs_load_without_any_outside_request(web_server, desktop):
    hosts = set()
    desktop.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    desktop.goto(f"http://alpha.localhost:{web_server}/api/v1/docs/")
    desktop.locator(".swagger-ui .info .title").wait_for()
    assert "Jiazhan API" in desktop.locator(".swagger-ui .info .title").inner_text()
    assert hosts == {"alpha.localhost"}, hosts
    shot(desktop, "api-docs-desktop")
