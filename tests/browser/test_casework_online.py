"""The public online station on a phone (submit, get a tracking code, read the status) and the staff's
case list on a desktop, in a real browser."""

import pytest

from tests.browser.conftest import shot
from tests.browser.test_casework_deputy import _in_thread
from tests.browser.test_people_pages import _login, _no_sideways_scroll

pytestmark = pytest.mark.browser
CONTENT = "村小学门口没有减速带，上下学时很危险。"


@pytest.fixture
def forget_submission(world, django_db_blocker):
    """The World is shared by the session: remove the case the browser made (in a thread: see
    test_casework_deputy)."""
    yield

    def remove():
        from django_tenants.utils import schema_context

        from casework.models import Case, Opinion

        with schema_context(world.alpha.schema_name):
            cases = list(Opinion.objects.filter(content=CONTENT).values_list("case_id", flat=True))
            Opinion.objects.filter(content=CONTENT).delete()
            Case.objects.filter(pk__in=cases).delete()
    with django_db_blocker.unblock():
        _in_thread(remove)


def test_constituent_submits_online_and_reads_the_status_on_a_phone(web_server, forget_submission, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    phone.goto(f"{base}/online/?deputy={world.ids['deputy']}")
    phone.get_by_role("heading", name="网上联络站：向人大代表反映问题").wait_for()
    assert "甲县县代表" in phone.locator(".addressed").inner_text()
    assert _no_sideways_scroll(phone), "the online form scrolls sideways"
    phone.get_by_label("您要反映的问题或建议").fill(CONTENT)
    phone.get_by_label("类别").select_option(label="城建交通")
    phone.get_by_label("所在村（社区）").select_option(label="东村")
    phone.get_by_label("我已阅读并同意《个人信息保护告知》").check()
    shot(phone, "casework-online-form-phone")
    phone.get_by_label("短信验证码").press("Enter")  # Enter submits the opinion, not "发送验证码"
    code = phone.locator("#tracking-code").inner_text()
    assert len(code) == 10
    shot(phone, "casework-online-done-phone")
    phone.get_by_role("link", name="查看办理进展").click()
    assert phone.locator("#case-status").inner_text() == "已登记"
    assert "村小学门口没有减速带" in phone.content()
    assert _no_sideways_scroll(phone), "the status page scrolls sideways"
    shot(phone, "casework-online-status-phone")


def test_staff_read_the_case_list_on_a_desktop(web_server, desktop, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(desktop, base, world.admin_a.mobile)
    desktop.get_by_role("link", name="社情民意").click()
    desktop.get_by_role("heading", name="社情民意").wait_for()
    desktop.get_by_label("状态").select_option(label="未办结")
    desktop.get_by_role("button", name="查询").click()
    desktop.wait_for_url("**/cases/?*status=open*")
    shot(desktop, "casework-case-list-desktop")
