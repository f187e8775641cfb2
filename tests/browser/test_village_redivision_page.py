"""Village re-division (撤并村) on the re-division page in a real browser: a township chosen, then a village
renamed on a phone (no sideways scrolling); a rename dated next month registered, listed and withdrawn; the
three village forms side by side on a desktop. Screenshots in test-results/screenshots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.browser.conftest import open_menu, shot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(scope="module", autouse=True)
def village(world, django_db_blocker):
    """A village of east town that the phone renames, committed for the web server; what the rename wrote is
    removed after the module (before the browser starts and after it stops: Playwright's loop forbids ORM
    calls meanwhile)."""
    from audit.models import AuditEntry
    from organisation.models import Redivision, RedivisionVillageLink, ScheduledRedivision, Village

    with django_db_blocker.unblock(), schema_context(world.alpha.schema_name):
        last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        had_redivisions = set(Redivision.objects.values_list("pk", flat=True))
        had_scheduled = set(ScheduledRedivision.objects.values_list("pk", flat=True))
        made = Village.objects.create(township_id=world.ids["east"], name="浏览器村")
    yield made
    with django_db_blocker.unblock(), schema_context(world.alpha.schema_name):
        made_ids = [made.pk, *RedivisionVillageLink.objects.filter(predecessor=made).values_list("successor_id",
                                                                                                 flat=True)]
        Redivision.objects.exclude(pk__in=had_redivisions).delete()  # its links and moves go with it
        ScheduledRedivision.objects.exclude(pk__in=had_scheduled).delete()
        Village.objects.filter(pk__in=made_ids).delete()
        AuditEntry.objects.filter(id__gt=last_audit).delete()


def _login(page, base: str, mobile: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("手机号码").fill(mobile)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="甲县").wait_for()


def test_a_village_is_renamed_on_a_phone(web_server, phone, world, village):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.admin_a.mobile)
    open_menu(phone)
    phone.get_by_role("link", name="区划调整").click()
    phone.get_by_role("heading", name="村（社区）区划调整").wait_for()
    phone.get_by_label("村（社区）所属乡镇（街道）").select_option(label="东镇")
    phone.get_by_role("button", name="选择").click()
    card = phone.locator("#village-rename")
    card.get_by_role("heading", name="东镇：村（社区）更名").wait_for()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), "the village forms scroll sideways on a phone"
    card.get_by_label("村（社区）").select_option(label="浏览器村")
    card.get_by_label("新名称").fill("浏览器新村")
    card.get_by_label("生效日期").fill("2024-01-01")
    shot(phone, "village-redivision-phone")
    card.get_by_role("button", name="更名").click()
    phone.get_by_text("区划调整已生效（2024-01-01）：更名。").wait_for()
    history = phone.locator("#history table.grid").inner_text()
    assert "浏览器村（已撤销） → 浏览器新村" in history and "村（社区）更名" in history


def test_a_rename_dated_next_month_is_registered_listed_and_withdrawn_on_a_phone(web_server, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    later = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    _login(phone, base, world.admin_a.mobile)
    phone.goto(f"{base}/organisation/redivisions/?village-township={world.ids['east']}#village-rename")
    card = phone.locator("#village-rename")
    card.get_by_label("村（社区）").select_option(label="东村")
    card.get_by_label("新名称").fill("东村新名")
    card.get_by_label("生效日期").fill(later)
    card.get_by_role("button", name="更名").click()
    phone.get_by_text(f"更名已登记，将于 {later} 生效。").wait_for()
    pending = phone.locator("#scheduled")
    assert "东镇：东村 → 东村新名" in pending.inner_text() and "待生效" in pending.inner_text()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), "the pending list scrolls sideways on a phone"
    shot(phone, "village-redivision-scheduled-phone")
    phone.on("dialog", lambda dialog: dialog.accept())
    pending.get_by_role("button", name="撤销").click()
    phone.get_by_text(f"已撤销 {later} 起的区划调整：东镇：东村 → 东村新名。").wait_for()
    assert "东村新名" not in phone.locator("#scheduled").inner_text()  # the list holds pending and failed ones
    assert "东村新名" not in phone.locator("#history").inner_text()


def test_the_village_forms_side_by_side_on_a_desktop(web_server, desktop, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(desktop, base, world.admin_a.mobile)
    desktop.goto(f"{base}/organisation/redivisions/?village-township={world.ids['east']}"
                 f"&vsplit-source={world.ids['village_east']}&vsplit-parts=2#village-split")
    split = desktop.locator("#village-split")
    split.get_by_text("将 东村 拆分为 2 个新村（社区）").wait_for()
    assert "东村联络站" in split.inner_text()  # the village's station, to be sent to one part
    tops = [desktop.locator(f"#village-{name}").bounding_box()["y"] for name in ("merge", "split", "rename")]
    assert max(tops) - min(tops) < 2, f"the village forms are not side by side: {tops}"
    assert desktop.evaluate(NO_SIDEWAYS_SCROLL)
    shot(desktop, "village-redivision-desktop")
