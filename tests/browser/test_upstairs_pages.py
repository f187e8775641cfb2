"""Upstairs casework in a real browser on the platform host: the prefecture's staff forward an item to the
province; the province's staff accept it and assign it to a provincial unit; the unit drafts the answer and
the province's staff send it, which reaches the county case. The data is committed (tests/casework/upstairs_data)
and made and removed in a thread of its own, since Django refuses ORM calls while Playwright's loop runs."""

import pytest

from tests.browser.conftest import DESKTOP, shot
from tests.browser.test_people_pages import _login
from tests.casework.upstairs_data import SUMMARY, in_thread, make, remove

pytestmark = pytest.mark.browser


@pytest.fixture
def item(world, django_db_blocker):
    with django_db_blocker.unblock():
        ids = in_thread(lambda: make(world))
    yield ids
    with django_db_blocker.unblock():
        in_thread(lambda: remove(world, ids))


def _as(browser, base, mobile):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    _login(page, base, mobile)
    page.goto(f"{base}/inbox/")
    page.get_by_role("link", name=SUMMARY).click()
    return context, page


def _county_case(world, ids):
    from django_tenants.utils import schema_context

    from casework.models import Case

    with schema_context(world.alpha.schema_name):
        case = Case.objects.get(pk=ids["case"])
        return case.status, case.answer


def test_prefecture_forwards_and_a_unit_answers(web_server, browser, item, world, django_db_blocker):
    base = f"http://localhost:{web_server}"
    context, page = _as(browser, base, "13700000071")  # the prefecture's staff
    page.get_by_role("heading", name="原始意见").wait_for()
    assert "州道养护属州交通运输局" in page.content()  # the county's routing note
    forward = page.locator("section.step-forward")
    forward.get_by_label("理由").fill("涉及省道衔接，需省交通运输厅统筹")
    shot(page, "upstairs-prefecture-forwards")
    forward.get_by_role("button", name="转送").click()
    page.get_by_text("已转送。").wait_for()
    assert SUMMARY not in page.content()  # no longer in the prefecture's inbox
    context.close()

    context, page = _as(browser, base, world.province_staff.mobile)
    page.locator("section.step-accept").get_by_role("button", name="受理").click()
    page.get_by_text("已受理。").wait_for()
    assign = page.locator("section.step-assign")
    assign.get_by_label("测试省交通运输厅").check()
    assign.get_by_role("button", name="交办单位").click()
    page.get_by_text("已交办。").wait_for()
    context.close()

    context, page = _as(browser, base, "13700000074")  # the provincial unit
    draft = page.locator("section.step-draft")
    draft.get_by_label("答复草稿").fill("已列入明年省道养护计划，州县配合实施。")
    draft.get_by_role("button", name="起草答复").click()
    page.get_by_text("答复草稿已提交审核。").wait_for()
    shot(page, "upstairs-unit-drafts")
    context.close()

    context, page = _as(browser, base, world.province_staff.mobile)
    page.locator("section.step-approve").get_by_role("button", name="审核并发送答复").click()
    page.get_by_text("答复已发送给县人大。").wait_for()
    history = page.locator("ol.history").inner_text()
    assert "转送上报事项" in history and "起草上报事项答复" in history and "审核发送上报事项答复" in history
    shot(page, "upstairs-answered")
    context.close()
    with django_db_blocker.unblock():
        status, answer = in_thread(lambda: _county_case(world, item))
    assert (status, answer) == ("answered", "已列入明年省道养护计划，州县配合实施。")
