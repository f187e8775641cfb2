"""A deputy rates the answer to their suggestion on a phone (process and result apart); the data is made
and removed in a thread of its own, since Django refuses ORM calls while Playwright's loop runs here."""

import threading

import pytest

from tests.browser.conftest import open_menu, shot
from tests.browser.test_people_pages import _login, _no_sideways_scroll

pytestmark = pytest.mark.browser


def _in_thread(fn):
    result = {}

    def run():
        from django.db import connection

        try:
            result["value"] = fn()
        finally:
            connection.close()
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result.get("value")


@pytest.fixture
def answered(world, django_db_blocker):
    def make():
        from django_tenants.utils import schema_context

        from casework import services
        from organisation.models import HandlingUnit
        from people.actors import actor_for
        from people.models import Deputy

        with schema_context(world.alpha.schema_name):
            admin = actor_for(world.admin_a)
            s = services.suggestion_submit(actor=actor_for(world.deputy_a), title="关于村道安装路灯的建议",
                                           content="村道夜间无照明。",
                                           lead_deputy=Deputy.objects.get(pk=world.ids["deputy"]))
            services.suggestion_register(actor=admin, suggestion=s)
            services.suggestion_assign(actor=admin, suggestion=s,
                                       lead_unit=HandlingUnit.objects.get(pk=world.ids["unit"]))
            services.suggestion_answer(actor=actor_for(world.unit_a), suggestion=s, outcome="planned",
                                       content="已列入明年村道亮化计划。")
            return s.pk

    def remove():
        from django_tenants.utils import schema_context

        from casework.models import Suggestion
        from notifications.models import Message

        with schema_context(world.alpha.schema_name):
            Suggestion.objects.filter(pk=pk).delete()
            Message.objects.filter(kind__startswith="casework.").delete()

    with django_db_blocker.unblock():
        pk = _in_thread(make)
    yield pk
    with django_db_blocker.unblock():
        _in_thread(remove)


def test_deputy_rates_on_a_phone(web_server, answered, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.deputy_a.mobile)
    open_menu(phone)
    phone.get_by_role("link", name="代表建议").click()
    phone.get_by_role("link", name="关于村道安装路灯的建议").click()
    phone.get_by_role("heading", name="评价办理情况").wait_for()
    assert "已列入明年村道亮化计划" in phone.content()
    assert _no_sideways_scroll(phone), "the suggestion page scrolls sideways on a phone"
    section = phone.locator("#act-rate")
    section.get_by_role("group", name="对办理过程").get_by_label("满意", exact=True).check()
    section.get_by_role("group", name="对办理结果").get_by_label("基本满意").check()
    shot(phone, "casework-deputy-rates-phone")
    section.get_by_role("button", name="评价办理情况").click()
    phone.get_by_text("已保存。").wait_for()
    assert "代表满意办结" in phone.content()
    shot(phone, "casework-deputy-rated-phone")
