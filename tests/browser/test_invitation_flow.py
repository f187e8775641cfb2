"""An imported deputy on a phone: the invitation SMS (read from the embedded gateway), first login by an SMS
code, a password of their own, out and in again with it."""

import re
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import shot
from tests.browser.test_roster_page import _off_the_loop
from tests.people.roster.files import id_number, person, roster

pytestmark = pytest.mark.browser

MOBILE = "13912388001"
PASSWORD = "chunfeng2026"


def _db(django_db_blocker, world, function):
    """ORM work in Alpha's schema, off Playwright's loop (see test_roster_page)."""

    def run():
        from django.db import connection
        from django_tenants.utils import tenant_context

        try:
            with django_db_blocker.unblock(), tenant_context(world.alpha):
                return function()
        finally:
            connection.close()

    return _off_the_loop(run)


def _delivered(kind: str) -> list[str]:
    """What the embedded gateway sent to MOBILE (after delivering the outbox, as the worker would)."""
    from notifications.models import GatewayRecord
    from notifications.services import messages_deliver

    messages_deliver()
    return list(GatewayRecord.objects.filter(message__mobile=MOBILE, message__kind=kind)
                .order_by("pk").values_list("message__body", flat=True))


@pytest.fixture
def imported_deputy(world, django_db_blocker):
    def import_():
        from people.actors import actor_for
        from people.services.roster import roster_import

        content = roster(person(name="邀请测试代表", mobile=MOBILE, id_number=id_number("19800101", 311),
                                group_role=""))
        assert roster_import(actor=actor_for(world.admin_a), content=content).ok

    def clean():
        from access.models import Membership
        from notifications.models import Message
        from people.models import Deputy
        from tenants.models import Account

        ids = list(Account.objects.filter(mobile=MOBILE).values_list("pk", flat=True))
        Deputy.objects.filter(account_id__in=ids).delete()
        Membership.objects.filter(account_id__in=ids).delete()
        Message.objects.filter(mobile=MOBILE).delete()
        Account.objects.filter(pk__in=ids).delete()

    _db(django_db_blocker, world, import_)
    yield
    _db(django_db_blocker, world, clean)


def test_imported_deputy_is_invited_logs_in_by_code_and_sets_a_password(web_server, phone, world, django_db_blocker,
                                                                         imported_deputy):
    [invitation] = _db(django_db_blocker, world, lambda: _delivered("access.invitation"))
    assert "甲县人大常委会" in invitation and "邀请测试代表" in invitation
    link = urlparse(re.search(r"https?://\S+/login/code/", invitation).group(0))
    assert link.hostname == "alpha.localhost"
    base = f"http://alpha.localhost:{web_server}"

    phone.goto(f"{base}{link.path}")
    phone.get_by_role("heading", name="首次登录").wait_for()
    phone.get_by_label("手机号码").fill(MOBILE)
    phone.get_by_role("button", name="获取短信验证码").click()
    phone.get_by_role("status").wait_for()
    [sms] = _db(django_db_blocker, world, lambda: _delivered("access.code.login"))
    code = re.search(r"验证码为(\d{6})", sms).group(1)
    phone.get_by_label("短信验证码").fill(code)
    shot(phone, "first-login-code-phone")
    phone.get_by_role("button", name="验证并登录").click()

    phone.get_by_role("heading", name="设置密码").wait_for()
    phone.get_by_label("新密码", exact=True).fill("12345678")
    phone.get_by_label("再次输入新密码").fill("12345678")
    phone.get_by_role("button", name="保存密码").click()
    assert "密码须同时包含英文字母和数字。" in phone.get_by_role("alert").first.inner_text()
    phone.get_by_label("新密码", exact=True).fill(PASSWORD)
    phone.get_by_label("再次输入新密码").fill(PASSWORD)
    shot(phone, "set-password-phone")
    phone.get_by_role("button", name="保存密码").click()
    phone.get_by_text("密码已设置，下次可用手机号码和密码登录。").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"

    phone.get_by_role("button", name="退出").click()
    phone.get_by_role("heading", name="登录").wait_for()
    phone.get_by_label("手机号码").fill(MOBILE)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.get_by_role("heading", name="甲县").wait_for()
    assert urlparse(phone.url).path == "/"
    shot(phone, "invited-deputy-home-phone")
