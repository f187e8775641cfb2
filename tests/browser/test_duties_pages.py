"""The duties pages in a real browser: a deputy logs a duty from a phone in under a minute (kind, date
defaulting to today, title, content, a photo); staff read the three-ones matrix on a desktop."""

import io
import time

import pytest
from django_tenants.utils import schema_context

from tests.browser.conftest import open_menu, shot
from tests.browser.test_people_pages import _login, _no_sideways_scroll

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def leave_no_duties(world, django_db_blocker):
    """The World is shared by the session: what these tests log is removed once the browser is gone
    (while Playwright's loop runs, Django refuses ORM calls in this thread)."""
    yield
    from audit.models import AuditEntry
    from duties.models import DutyRecord

    with django_db_blocker.unblock(), schema_context(world.alpha.schema_name):
        DutyRecord.objects.all().delete()
        AuditEntry.objects.filter(action__startswith="duty_record.").delete()


def test_a_deputy_logs_a_duty_on_a_phone_in_under_a_minute(leave_no_duties, web_server, phone, world, tmp_path):
    from PIL import Image

    photo = tmp_path / "走访.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 120, 60)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.deputy_a.mobile)
    started = time.monotonic()
    open_menu(phone)
    phone.get_by_role("link", name="我的履职").click()
    phone.get_by_role("link", name="登记履职").click()
    phone.get_by_role("heading", name="登记履职").wait_for()
    assert _no_sideways_scroll(phone), "the log form scrolls sideways"
    phone.get_by_label("履职类别").select_option(label="走访")
    assert phone.get_by_label("日期").input_value()  # today, already filled in
    phone.get_by_label("标题").fill("走访东村五保户")
    phone.get_by_label("内容").fill("了解冬季取暖和饮水情况，群众反映村道路灯不亮。")
    phone.get_by_label("照片（可选）").set_input_files(str(photo))
    shot(phone, "duties-log-form-phone")
    phone.get_by_role("button", name="保存").click()
    phone.get_by_text("已登记：走访东村五保户").wait_for()
    elapsed = time.monotonic() - started
    print(f"\n[duties] a deputy logged a duty with a photo on a phone in {elapsed:.1f} s")
    assert elapsed < 60
    assert _no_sideways_scroll(phone), "my duties scrolls sideways"
    shot(phone, "duties-mine-phone")
    phone.get_by_role("link", name="走访东村五保户").click()
    phone.get_by_role("heading", name="走访东村五保户").wait_for()
    thumb = phone.locator(".photos img").first
    thumb.wait_for()
    assert phone.evaluate("(img) => img.complete && img.naturalWidth", thumb.element_handle()) == 320
    assert "已确认" in phone.content()
    shot(phone, "duties-detail-phone")


def test_staff_read_the_three_ones_matrix_on_a_desktop(leave_no_duties, web_server, desktop, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(desktop, base, world.township_staff_a.mobile)
    desktop.get_by_role("link", name="三个一").click()
    desktop.get_by_role("heading", name="三个一").wait_for()
    text = desktop.locator("table.three-ones").inner_text()
    assert "甲县县代表" in text and "甲县镇代表" in text and "甲县乡代表" not in text  # east town only
    shot(desktop, "duties-three-ones-desktop")
    desktop.get_by_role("link", name="履职登记").click()
    desktop.get_by_role("heading", name="履职登记").wait_for()
    desktop.get_by_label("类别").select_option(label="走访")
    desktop.get_by_role("button", name="查询").click()
    desktop.wait_for_url("**kind=visit*")
    shot(desktop, "duties-records-desktop")
