"""数据驾驶舱 in a real browser: provincial staff on a desktop see the charts drawn (canvas pixels, not an
empty box), change the period (htmx swaps the figures and the charts are drawn again) and drill down
province → prefecture (a bar) → county (a table row); county staff on a phone read their dashboard with
nothing wider than the screen."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import shot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

DRAWN = """(id) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas || !canvas.width || !canvas.height) { return 0; }
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i]) { drawn++; } }
  return drawn;
}"""
# The first bar of a chart, in page coordinates (ECharts' own layout of its data).
FIRST_BAR = """(id) => {
  const el = document.getElementById(id);
  const layout = echarts.getInstanceByDom(el).getModel().getSeriesByIndex(0).getData().getItemLayout(0);
  const box = el.getBoundingClientRect();
  return {x: box.left + layout.x + layout.width / 2, y: box.top + layout.y + layout.height * 0.8};
}"""


@pytest.fixture(scope="module")
def rollups(world, django_db_blocker):
    """This year's counts for Alpha and Beta and their townships, committed (the web server reads them) and
    taken away afterwards. Written as the rollup job would: a county total and a row per township, and the
    province's and prefectures' rows and the counties' headlines that follow from the totals (what the
    upper tiers read; the nightly region job builds them). (Made before the module's browser starts: Django
    refuses ORM calls while Playwright's loop runs.)"""
    from django.db import connection

    from tenants.models import COUNTY_TOTAL, RollupFact, RollupRun
    from tenants.orchestration.rollups import regions

    today = dt.date.today()
    months = [dt.date(today.year, m, 1) for m in range(1, today.month + 1)]
    made: list[int] = []
    runs: list[int] = []

    def make():
        rows = []
        ids = world.ids
        for county, towns, scale in ((world.alpha, [(ids["east"], "东镇"), (ids["west"], "西乡")], 3),
                                     (world.beta, [(ids["east_b"], "东乙镇"), (ids["west_b"], "西乙乡")], 2)):
            for i, month in enumerate(months):
                for t, (township, name) in enumerate(towns):
                    for metric, key, value in (("case.received.tier", "township", scale + i % 3 + t),
                                               ("case.received.tier", "county", 1 + t),
                                               ("case.received.channel", "reception", scale + t),
                                               ("case.answered.tier", "township", scale + t),
                                               ("case.on_time.tier", "township", scale),
                                               ("duty.kind", "visit", 2 * scale + t),
                                               ("duty.kind", "reception", scale),
                                               ("reception.session", "planned", 2),
                                               ("reception.session", "held", 1 + t)):
                        for unit, unit_name in ((township, name), (COUNTY_TOTAL, "")):
                            rows.append(RollupFact(county=county, township_id=unit, township_name=unit_name,
                                                   month=month, metric=metric, key=key, value=value))
        # The same (county, township, month, metric, key) twice: sum them first.
        merged: dict[tuple, RollupFact] = {}
        for row in rows:
            grain = (row.county_id, row.township_id, row.month, row.metric, row.key)
            if grain in merged:
                merged[grain].value += row.value
            else:
                merged[grain] = row
        with django_db_blocker.unblock():
            existing = set(RollupFact.objects.filter(county__in=[world.alpha, world.beta], month__in=months)
                           .values_list("county_id", "township_id", "month", "metric", "key"))
            fresh = [row for grain, row in merged.items() if grain not in existing]
            made.extend(f.pk for f in RollupFact.objects.bulk_create(fresh))
            runs.append(regions.rebuild().pk)  # the province's and prefectures' rows, as the nightly job makes them
            connection.close()

    def clean():
        with django_db_blocker.unblock():
            RollupFact.objects.filter(pk__in=made).delete()
            runs.append(regions.rebuild().pk)
            RollupRun.objects.filter(pk__in=runs).delete()
            connection.close()

    make()
    yield
    clean()


def _login(page, base: str, mobile: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("手机号码").fill(mobile)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _drawn(page, chart_id: str) -> None:
    """Drawn pixels on the chart's canvas, and its animation finished (so a click lands on a bar)."""
    page.locator(f"#{chart_id}[data-drawn]").wait_for(timeout=15000)
    page.wait_for_function(f"({DRAWN})('{chart_id}') > 500", timeout=15000)


def test_provincial_staff_see_the_charts_and_drill_down_to_a_county(rollups, web_server, desktop, world):
    desktop.set_viewport_size({"width": 1366, "height": 768})
    base = f"http://localhost:{web_server}"
    _login(desktop, base, world.province_staff.mobile)
    desktop.get_by_role("link", name="数据驾驶舱").click()
    desktop.get_by_role("heading", name="测试省 · 数据驾驶舱").wait_for()
    for chart in ("chart-compare-prefectures", "chart-cases-trend", "chart-cases-tier", "chart-duties-kind",
                  "chart-reception-trend"):
        _drawn(desktop, chart)
    size = desktop.locator("#chart-compare-prefectures canvas").bounding_box()
    assert size["width"] > 600 and size["height"] > 200
    shot(desktop, "dashboard-province-desktop")

    # Another period: htmx swaps the figures only, the charts are drawn again, the address follows.
    desktop.get_by_label("统计期间").select_option("month")
    desktop.get_by_label("起始月份").fill(dt.date.today().strftime("%Y-%m"))
    desktop.get_by_role("button", name="查询").click()
    desktop.get_by_text(f"统计期间：{dt.date.today().year}年{dt.date.today().month}月。").wait_for()
    _drawn(desktop, "chart-compare-prefectures")
    assert "period=month" in desktop.url
    desktop.get_by_label("统计期间").select_option("year")
    desktop.get_by_role("button", name="查询").click()
    desktop.get_by_text(f"统计期间：{dt.date.today().year}年。").wait_for()
    _drawn(desktop, "chart-compare-prefectures")

    # A click on the prefecture's bar opens the prefecture, its counties side by side.
    point = desktop.evaluate(f"({FIRST_BAR})('chart-compare-prefectures')")
    desktop.mouse.click(point["x"], point["y"])
    desktop.get_by_role("heading", name="测试州 · 数据驾驶舱").wait_for()
    assert "level=prefecture" in desktop.url and "period=year" in desktop.url
    _drawn(desktop, "chart-compare")

    # A click on a county's row opens that county, from the rollups, with its townships.
    desktop.locator("#table-counties tr[data-href]", has_text="甲县").locator("td").first.click()
    desktop.get_by_role("heading", name="甲县 · 数据驾驶舱").wait_for()
    assert "level=county" in desktop.url
    _drawn(desktop, "chart-compare")
    categories = desktop.evaluate("JSON.parse(document.getElementById('dashboard-charts').textContent)"
                                  ".find(c => c.id === 'chart-compare').categories")
    assert categories == ["东镇", "西乡"]
    crumbs = desktop.locator("nav.crumbs")
    assert crumbs.get_by_role("link", name="测试省").count() == 1
    assert crumbs.get_by_role("link", name="测试州").count() == 1
    shot(desktop, "dashboard-county-from-platform-desktop")


def test_county_staff_read_their_dashboard_on_a_phone(rollups, web_server, phone, world):
    base = f"http://alpha.localhost:{web_server}"
    _login(phone, base, world.admin_a.mobile)
    phone.get_by_role("heading", name="甲县 · 数据驾驶舱").wait_for()
    for chart in ("chart-compare", "chart-cases-trend", "chart-deputies-level"):
        _drawn(phone, chart)
    phone.wait_for_timeout(300)
    widths = phone.evaluate("({scroll: document.scrollingElement.scrollWidth, view: window.innerWidth})")
    assert widths["view"] == 390 and widths["scroll"] <= widths["view"], widths
    chart_width = phone.locator("#chart-cases-trend canvas").bounding_box()["width"]
    assert 250 < chart_width <= 390
    # The wide tables scroll inside their own box.
    table = phone.evaluate("(() => { const t = document.getElementById('table-townships');"
                           " return {table: t.scrollWidth, box: t.parentElement.clientWidth}; })()")
    assert table["box"] <= 390
    shot(phone, "dashboard-county-phone")
    # A township on the phone: its own dashboard, still no sideways overflow.
    phone.locator("#table-townships tr[data-href]", has_text="东镇").get_by_role("link").click()
    phone.get_by_role("heading", name="东镇 · 数据驾驶舱").wait_for()
    _drawn(phone, "chart-cases-trend")
    assert phone.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
