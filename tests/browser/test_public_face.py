"""The county's public face in a real browser, on a phone (390×844) and a desktop (1366×768): every public page
and the kiosk pass axe-core's WCAG 2.1 AA rules with no serious or critical violation and never scroll sideways;
a visitor reaches the form from `/` in one tap; the kiosk goes back to its start after being left idle,
leaving nothing typed behind."""

import pytest

from tests.browser.axe import page_problems, serious_violations
from tests.browser.conftest import LAPTOP, PHONE, shot
from tests.browser.test_casework_deputy import _in_thread

pytestmark = pytest.mark.browser
SUMMARY = "东村桥面破损，车辆通行困难"


@pytest.fixture(scope="module")
def published(world, django_db_blocker):
    """A published answer and a published activity at v1, so that those pages show what they are for."""
    def make():
        import datetime as dt

        from django_tenants.utils import schema_context

        from casework.models import Case, Opinion, OpinionCategory
        from casework.services import case_answer, case_publish, case_route, opinion_receive
        from duties.services.records import duty_record_log
        from organisation.models import Venue, Village
        from people.actors import actor_for
        from people.models import Deputy

        with schema_context(world.alpha.schema_name):
            admin, deputy = actor_for(world.admin_a), actor_for(world.deputy_a)
            opinion = opinion_receive(actor=deputy, content=SUMMARY, channel="reception", constituent_name="李四",
                                      village=Village.objects.get(pk=world.ids["village_east"]),
                                      category=OpinionCategory.objects.get(name="城建交通"))
            Case.objects.filter(pk=opinion.case_id).update(summary=SUMMARY)
            case = case_route(actor=admin, case=Case.objects.get(pk=opinion.case_id), jurisdiction="village")
            case = case_answer(actor=admin, case=case, answer="镇政府已安排维修，预计两周内完成。")
            case_publish(actor=admin, case=case, published=True)
            record = duty_record_log(actor=deputy, deputy=Deputy.objects.get(pk=world.ids["deputy"]),
                                     kind="reception", occurred_on=dt.date(2026, 3, 2), title="三月接待日",
                                     venue=Venue.objects.get(pk=world.ids["v1"]))
            record.published = True
            record.save(update_fields=["published"])
            return {"case": case.pk, "record": record.pk, "opinion": opinion.pk, "Opinion": Opinion, "Case": Case}

    with django_db_blocker.unblock():
        made = _in_thread(make)
    yield made

    def remove():
        from django_tenants.utils import schema_context

        from duties.models import DutyRecord

        with schema_context(world.alpha.schema_name):
            DutyRecord.objects.filter(pk=made["record"]).delete()
            made["Opinion"].objects.filter(pk=made["opinion"]).delete()
            case = made["Case"].objects.get(pk=made["case"])
            case.transitions.all().delete()
            case.delete()
    with django_db_blocker.unblock():
        _in_thread(remove)


def _public_paths(world) -> list[str]:
    v1 = world.ids["v1"]
    return ["/", "/online/", "/online/track/?code=NOSUCHCODE", "/reception/calendar/", "/stations/",
            f"/stations/{v1}/", "/directory/", "/answers/", "/login/",
            f"/kiosk/{v1}/", f"/kiosk/{v1}/opinion/", f"/kiosk/{v1}/track/"]


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_every_public_page_is_accessible_and_fits(web_server, published, browser, world, device):
    context = browser.new_context(**(PHONE if device == "phone" else LAPTOP))
    page = context.new_page()
    base = f"http://alpha.localhost:{web_server}"
    try:
        problems = page_problems(page, base, _public_paths(world))
        shot(page, f"public-kiosk-track-{device}")
    finally:
        context.close()
    assert problems == {}


def test_a_visitor_reaches_the_form_from_the_root_in_one_tap(web_server, published, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    phone.goto(base + "/")
    phone.get_by_role("heading", name="甲县网上代表联络站").wait_for()
    shot(phone, "public-home-phone")
    # The tracking code's field is for typing into, not squeezed aside by its button (a full-width one was).
    field, form = (phone.locator(selector).bounding_box() for selector in ("#track-code", "form.track"))
    assert field["width"] >= form["width"] / 2, (field, form)
    phone.get_by_role("link", name="我要反映问题").first.tap()
    phone.get_by_role("heading", name="网上联络站：向人大代表反映问题").wait_for()
    assert phone.url == base + "/online/"
    phone.goto(base + "/answers/")
    assert SUMMARY in phone.content() and "李四" not in phone.content()
    phone.goto(base + f"/stations/{world.ids['v1']}/")
    assert "三月接待日" in phone.content()
    shot(phone, "public-station-phone")


def test_the_kiosk_goes_back_to_its_start_when_left_idle(web_server, browser, world):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, has_touch=True, locale="zh-CN")
    page = context.new_page()
    start = f"http://alpha.localhost:{web_server}/kiosk/{world.ids['v1']}/?idle=5"
    try:
        page.goto(start)
        page.get_by_role("link", name="我要反映问题").tap()
        page.get_by_label("您要反映的问题或建议").fill("我家门前的路灯坏了")
        page.get_by_label("手机号码（选填，用于接收办理情况）").fill("13911112222")
        shot(page, "public-kiosk-opinion")
        page.wait_for_url(start, timeout=15_000)  # 5 s idle, then back to the start
        page.get_by_role("heading", name=page.locator("h1").inner_text()).wait_for()
        assert "我家门前的路灯坏了" not in page.content()
        page.go_back()
        assert "我家门前的路灯坏了" not in page.content() and "13911112222" not in page.content()
        assert not [c for c in context.cookies() if c["name"] == "sessionid"]
        assert page.evaluate("window.sessionStorage.length + window.localStorage.length") == 0
    finally:
        context.close()


def test_the_checker_sees_a_violation(browser, world):
    """axe-core runs offline from the wheel and does report: a page with an unlabelled image and field fails."""
    context = browser.new_context(**LAPTOP)
    page = context.new_page()
    try:
        page.set_content('<html lang="zh"><body><main><img src="data:,"><input type="text"></main></body></html>')
        found = " ".join(serious_violations(page))
        assert "image-alt (critical)" in found and "label (critical)" in found
    finally:
        context.close()
