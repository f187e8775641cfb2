"""The roster page in a real browser: township staff upload a file with a bad row, read the Chinese
row error, fix the file, upload again and see what was imported."""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest

from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx, xlsx_rows
from tests.browser.conftest import open_menu, shot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

MOBILE = "13912399001"


def _roster(mobile: str) -> bytes:
    from people.services.roster import COLUMNS

    row = {"姓名": "浏览器测试代表", "手机号码": mobile, "身份证号码": "990101197503041215", "代表层级": "乡",
           "乡级届次": 19, "所属乡镇": "东镇", "驻站站点": "东村联络站", "小组职务": "组员"}
    return rows_to_xlsx([str(h) for _k, h in COLUMNS], [[row.get(str(h), "") for _k, h in COLUMNS]])


def _off_the_loop(function):
    """ORM work while Playwright's event loop runs in this thread: do it in another thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


@pytest.fixture
def forget_import(world, django_db_blocker):
    """The web server commits what the browser imports: take it away again afterwards, so the rest of
    the session sees the world as it was."""

    def marks():
        from django.db import connection
        from django_tenants.utils import tenant_context

        from audit.models import AuditEntry
        from people.models import DeputyGroup

        try:
            with django_db_blocker.unblock(), tenant_context(world.alpha):
                return (DeputyGroup.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
                        AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        finally:
            connection.close()

    def clean(group_mark: int, audit_mark: int):
        from django.db import connection
        from django_tenants.utils import tenant_context

        from access.models import Membership
        from audit.models import AuditEntry
        from people.models import Deputy, DeputyGroup
        from tenants.models import Account

        try:
            with django_db_blocker.unblock(), tenant_context(world.alpha):
                account_ids = list(Account.objects.filter(mobile=MOBILE).values_list("pk", flat=True))
                Deputy.objects.filter(account_id__in=account_ids).delete()
                Membership.objects.filter(account_id__in=account_ids).delete()
                DeputyGroup.objects.filter(pk__gt=group_mark).delete()
                AuditEntry.objects.filter(pk__gt=audit_mark).delete()
                Account.objects.filter(pk__in=account_ids).delete()
        finally:
            connection.close()

    group_mark, audit_mark = _off_the_loop(marks)
    yield
    _off_the_loop(lambda: clean(group_mark, audit_mark))


def _login(page, base: str, mobile: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("手机号码").fill(mobile)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="甲县").wait_for()


def _upload(page, content: bytes) -> None:
    page.get_by_label("名册文件（.xlsx）").set_input_files(
        files=[{"name": "代表名册.xlsx", "mimeType": XLSX_CONTENT_TYPE, "buffer": content}])
    page.get_by_role("button", name="导入").click()


def test_staff_fix_a_bad_row_and_import_on_a_phone(web_server, phone, world, forget_import):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.township_staff_a.mobile)
    open_menu(phone)
    phone.get_by_role("link", name="名册导入").click()
    phone.get_by_role("heading", name="名册导入").wait_for()
    assert urlparse(phone.url).path == "/roster/"

    _upload(phone, _roster("1391239900"))  # ten digits
    alert = phone.locator(".roster-errors")
    alert.wait_for()
    assert "文件中有 1 处错误，未导入任何数据。" in alert.inner_text()
    cells = alert.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells == ["第2行", "手机号码格式不正确（应为11位数字）"]
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"
    shot(phone, "roster-errors-phone")

    _upload(phone, _roster(MOBILE))
    phone.get_by_text("导入成功：新增代表 1 名，更新 0 名。").wait_for()
    done = " ".join(phone.locator(".roster-done").inner_text().split())  # on a phone the table is a card
    assert "新增代表 1" in done and "新增驻站 1" in done and "新增代表职务 1" in done
    assert phone.locator(".roster-errors").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"
    shot(phone, "roster-imported-phone")


def test_admin_downloads_the_template_on_a_desktop(web_server, desktop, world):
    _login(desktop, f"http://alpha.localhost:{web_server}", world.admin_a.mobile)
    desktop.goto(f"http://alpha.localhost:{web_server}/roster/")
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="下载名册模板（.xlsx）").click()
    with open(download.value.path(), "rb") as handle:
        headers, body = xlsx_rows(handle.read())
    assert headers[:3] == ["姓名", "手机号码", "身份证号码"] and body[0][1][0] == "张三（示例）"
    shot(desktop, "roster-desktop")
