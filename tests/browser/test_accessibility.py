"""The most used staff and deputy pages pass axe-core's WCAG 2.1 AA rules with no serious or critical
violation and never scroll sideways, on a phone (390×844) and a laptop (1366×768); on a phone the grouped
navigation folds away behind "菜单" and each list's table turns into cards."""

import pytest

from tests.browser.axe import overflows_sideways, page_problems
from tests.browser.conftest import LAPTOP, PHONE, open_menu, shot
from tests.browser.test_people_pages import _login

pytestmark = pytest.mark.browser
STAFF_PAGES = ["/", "/cases/", "/suggestions/", "/deputies/", "/reception/", "/duty/records/", "/organisation/venues/",
               "/members/", "/casework/rules/", "/reception/notices/"]
DEPUTY_PAGES = ["/", "/duty/mine/", "/duty/new/", "/reception/mine/", "/me/profile/", "/me/messages/"]


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_the_staffs_most_used_pages(web_server, browser, world, device):
    context = browser.new_context(**(PHONE if device == "phone" else LAPTOP))
    page = context.new_page()
    base = f"http://alpha.localhost:{web_server}"
    try:
        _login(page, base, world.admin_a.mobile)
        assert page_problems(page, base, STAFF_PAGES) == {}
        page.goto(base + "/cases/")
        shot(page, f"a11y-case-list-{device}")
    finally:
        context.close()


def test_the_deputys_most_used_pages_on_a_phone(web_server, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.deputy_a.mobile)
    assert page_problems(phone, base, DEPUTY_PAGES) == {}


def test_the_phone_menu_is_grouped_by_task_and_shows_only_what_the_role_uses(web_server, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.deputy_a.mobile)
    assert not phone.get_by_role("link", name="我的履职", exact=True).first.is_visible()  # folded away
    open_menu(phone)
    groups = phone.locator(".nav-group-title").all_inner_texts()
    assert groups[0] == "工作台" and "设置" not in groups  # a deputy has no settings to make
    assert phone.get_by_role("link", name="我的履职", exact=True).first.is_visible()
    assert phone.get_by_role("link", name="成员与权限").count() == 0
    shot(phone, "nav-grouped-phone")


def test_a_list_becomes_cards_on_a_phone(web_server, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.admin_a.mobile)
    phone.goto(base + "/deputies/")
    cell = phone.locator(".table-wrap table.grid tbody td").first
    assert cell.get_attribute("data-label")  # labelled by its column: the header row is off screen
    assert cell.evaluate("el => getComputedStyle(el).display") == "block"
    assert not overflows_sideways(phone)
    shot(phone, "deputy-list-cards-phone")
