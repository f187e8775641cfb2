"""The people pages in a real browser: a deputy edits 我的资料 on a phone; staff filter the deputy list
and read the pairing page on a desktop; the public directory on a phone."""

import pytest

from tests.browser.conftest import open_menu, shot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, base: str, mobile: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("手机号码").fill(mobile)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出").wait_for()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_deputy_edits_my_profile_on_a_phone(web_server, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.deputy_a.mobile)
    open_menu(phone)
    phone.get_by_role("link", name="我的资料").click()
    phone.get_by_role("heading", name="我的资料").wait_for()
    assert _no_sideways_scroll(phone), "我的资料 scrolls sideways"
    bio = "二十年乡村医生，关注农村饮水安全。"
    try:
        phone.get_by_label("简介").fill(bio)
        phone.get_by_label("公开联系电话").fill("0739-7654321")
        phone.get_by_role("button", name="保存").click()
        phone.get_by_text("已保存您的资料。").wait_for()
        assert phone.locator("p.bio").inner_text() == bio
        assert phone.get_by_label("简介").input_value() == bio
        assert "0739-7654321" in phone.locator(".deputy-card .contact").inner_text()
        assert _no_sideways_scroll(phone)
        shot(phone, "people-my-profile-phone")
        open_menu(phone)
        phone.get_by_role("link", name="代表", exact=True).click()
        phone.get_by_role("heading", name="代表", exact=True).wait_for()
        assert _no_sideways_scroll(phone), "the deputy list scrolls sideways (tables scroll inside their wrapper)"
        phone.get_by_role("link", name="甲县县代表").click()
        phone.get_by_text(bio).wait_for()
        shot(phone, "people-deputy-detail-phone")
    finally:  # the World is shared by the session: leave the deputy as found
        phone.goto(f"{base}/me/profile/")
        phone.get_by_label("简介").fill("")
        phone.get_by_label("公开联系电话").fill("")
        phone.get_by_role("button", name="保存").click()
        phone.get_by_text("已保存您的资料。").wait_for()


def test_staff_filter_the_deputy_list_on_a_desktop(web_server, desktop, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(desktop, base, world.admin_a.mobile)
    desktop.get_by_role("link", name="代表", exact=True).click()
    table = desktop.locator("table.deputies")
    table.wait_for()
    for name in ("甲县县代表", "甲县镇代表", "甲县乡代表"):
        assert name in table.inner_text()
    desktop.get_by_label("乡镇").select_option(label="西乡")
    desktop.get_by_role("button", name="查询").click()
    desktop.wait_for_url("**/deputies/?*township=*")
    rows = table.locator("tbody tr")
    assert rows.count() == 1 and "甲县乡代表" in rows.inner_text()
    assert "13700000013" in rows.inner_text()  # the administrator sees the mobile
    shot(desktop, "people-deputy-list-filtered-desktop")
    desktop.get_by_label("层级").select_option(label="县级")
    desktop.get_by_label("乡镇").select_option(label="全部乡镇")
    desktop.get_by_role("button", name="查询").click()
    desktop.wait_for_url("**level=county*")
    assert table.locator("tbody tr").count() == 1 and "甲县县代表" in table.inner_text()
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename == "deputies.xlsx"


def test_staff_read_the_pairing_page_on_a_desktop(web_server, desktop, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(desktop, base, world.admin_a.mobile)
    desktop.get_by_role("link", name="结对联系").click()
    desktop.get_by_role("heading", name="落实情况").wait_for()
    assert desktop.locator("#unpaired-count").inner_text() == "2"
    desktop.get_by_role("link", name="自动结对建议").click()
    desktop.get_by_role("heading", name="自动结对建议").wait_for()
    assert "建议新增结对 2 对" in desktop.content()
    shot(desktop, "people-pairing-proposal-desktop")  # previewed only: applying would change the World


def test_public_directory_on_a_phone(web_server, phone, world):
    phone.goto(f"http://alpha.localhost:{web_server}/directory/")
    phone.get_by_role("heading", name="甲县人大代表名录").wait_for()
    cards = phone.locator(".deputy-card")
    assert cards.count() == 3
    assert "县级人大代表" in phone.content() and "1370000" not in phone.content()
    assert _no_sideways_scroll(phone), "the directory scrolls sideways"
    shot(phone, "people-directory-phone")
