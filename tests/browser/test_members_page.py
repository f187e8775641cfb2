"""成员与权限 in a real browser (desktop): the county administrator gives a new person a station staff
role through the form, sees it in the list, and is refused a role without its station."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.browser.conftest import shot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

MOBILE = "13912366001"


def _off_the_loop(function):
    """ORM work while Playwright's event loop runs in this thread: do it in another thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


@pytest.fixture
def forget_grant(world, django_db_blocker):
    """The web server commits the grant: take it away again afterwards, so the rest of the session sees
    the world as it was."""

    def _in_alpha(work):
        from django.db import connection
        from django_tenants.utils import tenant_context

        try:
            with django_db_blocker.unblock(), tenant_context(world.alpha):
                return work()
        finally:
            connection.close()

    def mark():
        from audit.models import AuditEntry

        return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def clean(audit_mark: int):
        from access.models import Membership
        from audit.models import AuditEntry
        from tenants.models import Account

        account_ids = list(Account.objects.filter(mobile=MOBILE).values_list("pk", flat=True))
        Membership.objects.filter(account_id__in=account_ids).delete()
        AuditEntry.objects.filter(pk__gt=audit_mark).delete()
        Account.objects.filter(pk__in=account_ids).delete()

    audit_mark = _off_the_loop(lambda: _in_alpha(mark))
    yield
    _off_the_loop(lambda: _in_alpha(lambda: clean(audit_mark)))


def test_admin_grants_station_staff_and_sees_it_in_the_list(web_server, desktop, world, forget_grant):
    base = f"http://alpha.localhost:{web_server}"
    desktop.goto(f"{base}/login/")
    desktop.get_by_label("手机号码").fill(world.admin_a.mobile)
    desktop.get_by_label("密码").fill(PASSWORD)
    desktop.get_by_role("button", name="登录").click()
    desktop.get_by_role("heading", name="甲县").wait_for()

    desktop.get_by_role("link", name="成员与权限").click()
    desktop.get_by_role("heading", name="成员与权限").wait_for()
    desktop.get_by_role("link", name="授予角色").click()

    desktop.get_by_label("手机号码").fill(MOBILE)
    desktop.get_by_label("姓名").fill("浏览器站长")
    desktop.get_by_label("角色").select_option("station_staff")
    desktop.get_by_role("button", name="授予").click()
    # No station chosen: a Chinese error next to the field, nothing saved.
    desktop.get_by_text("该角色须指定站点。").wait_for()
    shot(desktop, "members-grant-error-desktop")

    desktop.get_by_label("站点（联络站工作人员）").select_option(label="东村联络站")
    desktop.get_by_label("站内职务（联络站工作人员）").select_option("head")
    desktop.get_by_role("button", name="授予").click()
    desktop.get_by_text("已授予 浏览器站长：联络站工作人员").wait_for()

    row = desktop.locator("table.members tbody tr", has_text="浏览器站长")
    assert row.locator("td").all_inner_texts()[:5] == ["浏览器站长", MOBILE, "联络站工作人员", "东村联络站", "站长"]
    desktop.get_by_label("角色").select_option("station_staff")
    desktop.get_by_role("button", name="查询").click()
    desktop.locator("table.members tbody tr", has_text="西村站联络员").wait_for()
    assert desktop.locator("table.members tbody tr", has_text="东镇主席团").count() == 0
    shot(desktop, "members-list-desktop")
