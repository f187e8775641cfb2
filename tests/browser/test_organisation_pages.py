"""The organisation pages in a real browser: the county tree and a venue on a phone (readable, no
sideways scrolling), the build-progress report on a desktop; screenshots in test-results/screenshots."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django_tenants.utils import schema_context

from tests.browser.conftest import shot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

YEAR = dt.date.today().year
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture(scope="module", autouse=True)
def organised(world, django_db_blocker):
    """What the pages show beyond the World, committed for the web server to read and removed after the
    module (before the browser starts and after it stops: Playwright's loop forbids ORM calls meanwhile)."""
    from PIL import Image

    from audit.models import AuditEntry
    from organisation.models import ConstructionFunding, StandardTemplate, Venue, VenuePhoto
    from organisation.services.standards import assessment_record, funding_set, standards_seed_defaults
    from people.actors import actor_for
    from people.models import Deputy, DeputyGroup
    from people.services.deputies import group_member_set

    ids = world.ids
    with django_db_blocker.unblock(), schema_context(world.alpha.schema_name):
        actor = actor_for(world.admin_a)
        last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        fields = ["address", "contact_name", "contact_phone", "opening_hours"]
        before = Venue.objects.filter(pk=ids["v1"]).values(*fields).get()
        had_templates = set(StandardTemplate.objects.values_list("pk", flat=True))
        standards_seed_defaults()
        v1 = Venue.objects.get(pk=ids["v1"])
        Venue.objects.filter(pk=v1.pk).update(
            address="东镇东村村民委员会一楼（东村大道88号）", contact_name="东村联络员", contact_phone="0739-8888888",
            opening_hours="每月第一个星期一及次日 8:30-17:30")
        group_member_set(actor=actor, venue=v1, deputy=Deputy.objects.get(pk=ids["deputy"]), role="leader")
        nine = StandardTemplate.objects.get(name="九有")
        items = list(nine.items.all())
        results = {item.pk: (i < 8, f"{item.text}：见台账") for i, item in enumerate(items)}
        assessment = assessment_record(actor=actor, venue=v1, template=nine, assessed_on=dt.date(YEAR, 1, 10),
                                       results=results)
        buffer = io.BytesIO()
        Image.new("RGB", (320, 200), (183, 28, 28)).save(buffer, "PNG")
        # Where the web server reads it: django-tenants' storage keeps MEDIA_ROOT/<schema> from its first use,
        # which an earlier test may have made under an overridden MEDIA_ROOT.
        storages["default"].__dict__.pop("relative_media_root", None)
        photo = VenuePhoto(venue=v1, caption="联络站外景")
        photo.image.save("front.png", ContentFile(buffer.getvalue()), save=True)
        funding_set(actor=actor, township=v1.township, year=YEAR, budget=Decimal("30"), disbursed=Decimal("20"),
                    spent=Decimal("12.5"), note="一期")
        funding_set(actor=actor, township=Venue.objects.get(pk=ids["v2"]).township, year=YEAR, budget=Decimal("18"),
                    disbursed=Decimal("18"), spent=Decimal("17"))
    yield
    with django_db_blocker.unblock(), schema_context(world.alpha.schema_name):
        ConstructionFunding.objects.filter(year=YEAR, township_id__in=[ids["east"], ids["west"]]).delete()
        photo.image.delete(save=False)
        photo.delete()
        assessment.items.all().delete()
        assessment.delete()
        DeputyGroup.objects.filter(venue_id=ids["v1"]).delete()  # its members go with it
        StandardTemplate.objects.exclude(pk__in=had_templates).delete()
        Venue.objects.filter(pk=ids["v1"]).update(**before)
        AuditEntry.objects.filter(id__gt=last_audit).delete()


def _login(page, base: str, mobile: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("手机号码").fill(mobile)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="甲县").wait_for()


def test_tree_on_a_phone_shows_townships_stations_and_deputies(web_server, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.deputy_a.mobile)
    phone.goto(f"{base}/organisation/")
    phone.get_by_role("heading", name="甲县组织架构").wait_for()
    station = phone.locator(".venue-node", has_text="东村联络站")
    station.wait_for()
    assert world.deputy_a.name in station.inner_text()
    assert f"组长 {world.deputy_a.name}" in station.inner_text()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), "the tree scrolls sideways on a phone"
    font = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.venue-node')).fontSize)")
    assert font >= 14, f"text too small to read on a phone: {font}px"
    shot(phone, "org-tree-phone")


def test_venue_page_on_a_phone_is_readable_with_photo_stars_and_deputies(web_server, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.township_staff_a.mobile)
    phone.goto(f"{base}/organisation/venues/{world.ids['v1']}/")
    phone.get_by_role("heading", name="东村联络站").wait_for()
    body = phone.locator("main").inner_text()
    for expected in ("东镇东村村民委员会一楼（东村大道88号）", "0739-8888888", "每月第一个星期一及次日 8:30-17:30",
                     "4星联络站", "80/90分", world.deputy_a.name, "组长", "联络站外景", "上传照片"):
        assert expected in body, expected
    image = phone.locator(".photos img").first
    served = phone.evaluate("async src => { const r = await fetch(src); "
                            "return [r.status, r.headers.get('content-type'), src]; }", image.get_attribute("src"))
    assert served[:2] == [200, "image/png"], served
    image.scroll_into_view_if_needed()
    phone.wait_for_function("img => img.complete && img.naturalWidth === 320", arg=image.element_handle(),
                            timeout=5000)
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), "the venue page scrolls sideways on a phone"
    shot(phone, "org-venue-phone")
    phone.goto(f"{base}/organisation/venues/")
    phone.get_by_role("heading", name="代表之家·联络站").wait_for()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), "the venue list scrolls sideways on a phone"
    shot(phone, "org-venues-phone")


def test_build_progress_report_on_a_desktop(web_server, desktop, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(desktop, base, world.admin_a.mobile)
    desktop.goto(f"{base}/organisation/progress/?year={YEAR}")
    desktop.get_by_role("heading", name=f"{YEAR}年代表之家、联络站建设进度").wait_for()
    table = desktop.locator("#progress")
    east = table.locator("tr", has_text="东镇").inner_text()
    assert "30.00" in east and "12.50" in east and "41.7%" in east
    totals = table.locator("tr.total").inner_text()
    assert "48.00" in totals and "38.00" in totals and "10.00" in totals and "29.50" in totals and "61.5%" in totals
    assert desktop.evaluate(NO_SIDEWAYS_SCROLL)
    assert desktop.evaluate("document.querySelector('.table-wrap').scrollWidth <= "
                            "document.querySelector('.table-wrap').clientWidth"), "the report does not fit a desktop"
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename == f"build-progress-{YEAR}.xlsx"
    shot(desktop, "org-progress-desktop")
