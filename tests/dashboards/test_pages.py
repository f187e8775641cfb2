"""数据驾驶舱 pages: who sees which dashboard (county host and platform host, with staff of another
prefecture and of another province), the drill-down links, the period picker, the htmx partial, every
table's Excel export, the monthly report (page and Chinese PDF), and no personal data anywhere."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from urllib.parse import unquote

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from frontend.dashboards import period_from
from tests.conftest import ALPHA_HOST, PASSWORD, login
from tests.rollups.data import fill, rebuild

pytestmark = pytest.mark.django_db

PERSONAL = ("甲县县代表", "甲县镇代表", "甲县乡代表", "乙县县代表", "13700000011", "13700000012", "43052519800101",
            "东镇主席团", "甲县管理员")


@pytest.fixture
def figures(world):
    fill(world.alpha, seed=3)
    fill(world.beta, seed=4)
    rebuild(world.alpha)
    rebuild(world.beta)


def _charts(html: str) -> list[dict]:
    found = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no chart data on the page"
    return json.loads(found.group(1))


# --- county host ------------------------------------------------------------------------------------------------

def test_the_county_administrators_home_is_the_county_dashboard(world, figures):
    response = login(ALPHA_HOST, world.admin_a).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "甲县 · 数据驾驶舱" in html
    assert "本县成员" not in html  # the member table is gone
    # Recent actions are shown by their Chinese labels, never as raw codes (membership.grant, …).
    text = re.sub(r"<script.*?</script>|<[^>]*>", " ", html, flags=re.S)
    codes = re.findall(r"\b[a-z_]+\.[a-z_]+\b", text)
    assert "最近操作" in html and not codes, codes
    charts = {c["id"]: c for c in _charts(html)}
    assert {"chart-compare", "chart-cases-trend", "chart-cases-tier", "chart-suggestions-status",
            "chart-duties-kind", "chart-reception-trend", "chart-stations-kind", "chart-deputies-level"} <= set(charts)
    # The townships side by side, each a link to its own dashboard on this host.
    compare = charts["chart-compare"]
    assert "东镇" in compare["categories"] and "西乡" in compare["categories"]
    assert f"township={world.ids['east']}" in compare["links"][compare["categories"].index("东镇")]
    # Chinese labels, never raw codes.
    tiers = [d["name"] for d in charts["chart-cases-tier"]["series"][0]["data"]]
    assert tiers and not {"village", "township", "county", "unrouted"} & set(tiers)
    for code in ("pair_contact", "village_station", "basically_satisfied", "township_handling"):
        assert code not in json.dumps(charts, ensure_ascii=False), code
    for personal in PERSONAL:
        assert personal not in html.replace(world.admin_a.name, ""), personal  # the greeting names the reader


def test_a_township_clicked_on_the_county_dashboard_opens_its_own(world, figures):
    response = login(ALPHA_HOST, world.admin_a).get(f"/dashboard/?township={world.ids['east']}&period=year")
    html = response.content.decode()
    assert response.status_code == 200 and "东镇 · 数据驾驶舱" in html
    assert 'href="/dashboard/?period=year' in html  # back to the county


def test_township_staff_read_their_township_only(world, figures):
    client = login(ALPHA_HOST, world.township_staff_a)
    html = client.get("/").content.decode()
    assert "东镇 · 数据驾驶舱" in html
    assert client.get(f"/?township={world.ids['west']}").status_code == 404
    assert client.get(f"/dashboard/?township={world.ids['west']}").status_code == 404


def test_other_county_members_get_no_dashboard(world, figures):
    html = login(ALPHA_HOST, world.deputy_a).get("/").content.decode()
    assert "数据驾驶舱" not in html and "记录履职" in html
    assert login(ALPHA_HOST, world.station_staff_a).get("/dashboard/").status_code == 403
    # (people with no role in Alpha cannot log in on its host at all)
    assert login(ALPHA_HOST, None).get("/dashboard/").status_code == 302


# --- platform host ----------------------------------------------------------------------------------------------

def _matrix(world):
    alpha, prefecture, province = world.alpha.pk, world.prefecture.pk, world.province.pk
    ok_region = {"operator": 200, "province_staff": 200, "prefecture_staff": 200, "other_prefecture_staff": 404,
                 "other_province_staff": 404, "outsider": 302, "county_admin": 302}
    return {
        f"/dashboard/?level=province&id={province}": {**ok_region, "prefecture_staff": 404},
        f"/dashboard/?level=prefecture&id={prefecture}": ok_region,
        f"/dashboard/?level=county&id={alpha}": ok_region,
        f"/dashboard/?level=township&id={world.ids['east']}&county={alpha}": ok_region,
        f"/dashboard/report/?level=province&id={province}": {**ok_region, "prefecture_staff": 404},
        f"/dashboard/report/?level=prefecture&id={prefecture}": ok_region,
        f"/dashboard/report/?level=county&id={alpha}": {**dict.fromkeys(ok_region, 404), "outsider": 302,
                                                        "county_admin": 302},
        "/dashboard/": {**ok_region, "other_prefecture_staff": 200, "other_province_staff": 200},
        "/dashboard/?level=province&id=999999": {**dict.fromkeys(ok_region, 404), "outsider": 302,
                                                 "county_admin": 302},
    }


def test_who_reads_which_dashboard_on_the_platform_host(world, upper, figures):
    clients = {}
    for name, account in upper.items():
        if name in ("outsider", "county_admin"):  # the platform's login form refuses them: never logged in
            clients[name] = Client(HTTP_HOST="localhost")
            assert clients[name].post("/login/", {"mobile": account.mobile, "password": PASSWORD}).status_code == 200
        else:
            clients[name] = login("localhost", account)
    for path, expected in _matrix(world).items():
        for name, status in expected.items():
            assert clients[name].get(path).status_code == status, (name, path)


def test_each_reader_opens_on_their_own_region(world, upper, figures):
    html = login("localhost", upper["prefecture_staff"]).get("/dashboard/").content.decode()
    assert "测试州 · 数据驾驶舱" in html
    html = login("localhost", upper["other_province_staff"]).get("/dashboard/").content.decode()
    assert "测试二省 · 数据驾驶舱" in html
    html = login("localhost", upper["operator"]).get("/dashboard/").content.decode()
    assert "请选择省份" in html and f"level=province&amp;id={world.province.pk}" in html
    assert "数据驾驶舱" in login("localhost", upper["province_staff"]).get("/").content.decode()


def test_the_province_compares_its_prefectures_and_counties_and_drills_down(world, upper, figures):
    html = login("localhost", upper["province_staff"]).get(
        f"/dashboard/?level=province&id={world.province.pk}&period=year&from=2026-01").content.decode()
    charts = {c["id"]: c for c in _charts(html)}
    prefectures = charts["chart-compare-prefectures"]
    assert prefectures["categories"] == ["测试州"]
    assert f"level=prefecture&id={world.prefecture.pk}" in prefectures["links"][0]
    assert "from=2026-01" in prefectures["links"][0]  # the period goes along
    # The counties' table: a row per county, each linking to the county's dashboard.
    assert f'data-href="/dashboard/?level=county&amp;id={world.alpha.pk}' in html
    assert "甲县" in html and "乙县" in html
    # The county page (rollups, on the platform host) drills on to its townships.
    html = login("localhost", upper["province_staff"]).get(
        f"/dashboard/?level=county&id={world.alpha.pk}").content.decode()
    assert "甲县 · 数据驾驶舱" in html
    assert f"level=township&amp;id={world.ids['east']}&amp;county={world.alpha.pk}" in html
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', html, re.S).group(0)
    assert "测试省" in crumbs and "测试州" in crumbs
    for personal in PERSONAL:
        assert personal not in html, personal


def test_the_province_pages_its_counties_sorted_by_a_column(world, upper, figures, monkeypatch):
    from frontend.views import dashboard as views

    monkeypatch.setattr(views, "COUNTY_PAGE_SIZE", 1)
    client = login("localhost", upper["province_staff"])
    base = f"/dashboard/?level=province&id={world.province.pk}&period=year&from=2026-01"
    html = client.get(f"{base}&sort=cases_received").content.decode()
    table = re.search(r'<div class="table-box" id="box-counties">.*?</nav>', html, re.S).group(0)
    first = re.findall(r'<tr data-href="/dashboard/\?level=county&amp;id=(\d+)', table)
    assert len(first) == 1 and "第 1 / 2 页，共 2 个" in table and 'rel="prev"' not in table
    assert 'aria-sort="descending"' in table  # the sorted column, largest first
    following = re.search(r'hx-get="([^"]+)"[^>]*rel="next"', table).group(1).replace("&amp;", "&")
    assert "part=counties" in following and "sort=cases_received" in following and "page=2" in following
    # The prefectures stay whole on every page.
    assert _charts(html)[0]["categories"] == ["测试州"]
    # htmx asks for the next page: the table alone, the other county.
    part = client.get(following, HTTP_HX_REQUEST="true").content.decode()
    assert part.startswith('<div class="table-box" id="box-counties">') and "dashboard-charts" not in part
    second = re.findall(r'<tr data-href="/dashboard/\?level=county&amp;id=(\d+)', part)
    assert len(second) == 1 and {*first, *second} == {str(world.alpha.pk), str(world.beta.pk)}
    assert "第 2 / 2 页" in part and 'rel="prev"' in part and 'rel="next"' not in part
    cells = [re.findall(r"<td>(\d+)</td>", t)[0] for t in (table, part)]  # 收到社情民意 (所属州（市）: text)
    assert int(cells[0]) >= int(cells[1])
    # Reversed, the other county comes first; the export has every county whatever the page.
    rising = client.get(f"{base}&sort=cases_received&order=asc").content.decode()
    assert re.findall(r'<tr data-href="/dashboard/\?level=county&amp;id=(\d+)', rising)[0] == second[0]
    sheet = load_workbook(io.BytesIO(client.get(f"{base}&page=2&export=counties").content)).active
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["乙县", "甲县"]


def test_prefecture_staff_see_no_link_to_the_province(world, upper, figures):
    html = login("localhost", upper["prefecture_staff"]).get(
        f"/dashboard/?level=county&id={world.alpha.pk}").content.decode()
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', html, re.S).group(0)
    assert "level=province" not in crumbs and "测试省" in crumbs
    assert f"level=prefecture&amp;id={world.prefecture.pk}" in crumbs


def test_the_period_changes_only_the_figures_through_htmx(world, upper, figures):
    client = login("localhost", upper["province_staff"])
    path = f"/dashboard/?level=province&id={world.province.pk}&period=quarter&from=2026-11"
    partial = client.get(path, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200 and "HX-Request" in partial["Vary"]
    assert html.lstrip().startswith('<div id="figures"') and "<html" not in html
    assert "2026年第4季度" in html
    months = [p for p in _charts(html) if p["id"] == "chart-cases-trend"][0]["categories"]
    assert months == ["10月", "11月", "12月"]
    whole = client.get(path).content.decode()
    assert "<html" in whole and 'hx-get="/dashboard/"' in whole


def test_the_period_picker():
    today = dt.date(2026, 8, 20)
    default = period_from({}, today=today)
    assert (default.kind, default.first, default.last) == ("year", dt.date(2026, 1, 1), dt.date(2026, 8, 1))
    assert period_from({"period": "month", "from": "2026-03"}, today=today).label == "2026年3月"
    quarter = period_from({"period": "quarter", "from": "2026-05"}, today=today)
    assert (quarter.first, quarter.last, quarter.label) == (dt.date(2026, 4, 1), dt.date(2026, 6, 1), "2026年第2季度")
    year = period_from({"period": "year", "from": "2025-07"}, today=today)
    assert (year.first, year.last) == (dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    span = period_from({"period": "range", "from": "2026-06", "to": "2025-11"}, today=today)
    assert (span.first, span.last) == (dt.date(2025, 11, 1), dt.date(2026, 6, 1))
    assert period_from({"period": "range", "from": "2020-01", "to": "2026-06"}, today=today).first == \
        dt.date(2023, 7, 1)  # at most 36 months
    assert period_from({"period": "bogus", "from": "x"}, today=today).kind == "year"


def test_every_table_exports_to_excel(world, upper, figures):
    client = login("localhost", upper["province_staff"])
    path = f"/dashboard/?level=province&id={world.province.pk}&period=year&from=2026-01"
    html = client.get(path).content.decode()
    tables = re.findall(r'<table class="grid data" id="table-([a-z_]+)"', html)
    exports = re.findall(r'export=([a-z_]+)"', html)
    assert len(tables) >= 10 and exports == tables
    for table in tables:
        response = client.get(f"{path}&export={table}")
        assert response.status_code == 200, table
        assert unquote(response["Content-Disposition"]).startswith("attachment; filename=")
        assert "测试省-" in unquote(response["Content-Disposition"]), table
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert header and all(re.search(r"[\u4e00-\u9fff]", str(h)) for h in header), (table, header)
    counties = load_workbook(io.BytesIO(client.get(f"{path}&export=counties").content)).active
    assert sorted(row[0] for row in counties.iter_rows(min_row=2, values_only=True)) == ["乙县", "甲县"]
    assert client.get(f"{path}&export=nothing").status_code == 404
    # A county's administrator exports from their home page too.
    response = login(ALPHA_HOST, world.admin_a).get("/?export=townships")
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_the_monthly_report_prints_and_makes_a_chinese_pdf(world, upper, figures):
    client = login("localhost", upper["province_staff"])
    page = client.get(f"/dashboard/report/?level=province&id={world.province.pk}&month=2026-11")
    html = page.content.decode()
    assert page.status_code == 200
    assert "测试省代表之家·联络站工作月报（2026年11月）" in html
    assert "各县（市、区）主要指标" in html and "data-print" in html and "format=pdf" in html
    pdf = client.get(f"/dashboard/report/?level=province&id={world.province.pk}&month=2026-11&format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for words in ("测试省代表之家·联络站工作月报", "2026年11月", "总体情况", "收到社情民意", "各县（市、区）主要指标",
                  "甲县", "乙县", "测试州"):
        assert words in text, words
    for personal in PERSONAL:
        assert personal not in text and personal not in html, personal
    assert login("localhost", upper["prefecture_staff"]).get(
        f"/dashboard/report/?level=prefecture&id={world.prefecture.pk}&format=pdf").status_code == 200
