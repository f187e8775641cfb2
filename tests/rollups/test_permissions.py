"""Who reads which figures on the platform host, with the actors the permission matrix lacks: staff of
the same prefecture, of another prefecture, and of another province; and no personal data in them."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.rollups.data import fill, rebuild

pytestmark = pytest.mark.django_db

REGION_STAFF = ("province_staff", "prefecture_staff", "other_prefecture_staff", "other_province_staff")


def _expect(world, upper):
    alpha, prefecture, province = world.alpha.pk, world.prefecture.pk, world.province.pk
    return {
        f"/api/v1/figures/?level=county&id={alpha}": {
            "province_staff": 200, "prefecture_staff": 200, "other_prefecture_staff": 404,
            "other_province_staff": 404},
        f"/api/v1/figures/?level=prefecture&id={prefecture}": {
            "province_staff": 200, "prefecture_staff": 200, "other_prefecture_staff": 404,
            "other_province_staff": 404},
        f"/api/v1/figures/?level=province&id={province}": {
            "province_staff": 200, "prefecture_staff": 404, "other_prefecture_staff": 404,
            "other_province_staff": 404},
        "/api/v1/figures/": dict.fromkeys(REGION_STAFF, 200),  # each their own region
    }


def test_upper_tiers_read_their_own_regions_only(world, upper):
    for path, expected in _expect(world, upper).items():
        for name, status in expected.items():
            response = login("localhost", upper[name]).get(path)
            assert response.status_code == status, (name, path)


def test_the_default_scope_is_the_callers_region(world, upper):
    assert login("localhost", upper["prefecture_staff"]).get("/api/v1/figures/").json()["scope"]["level"] == \
        "prefecture"
    scope = login("localhost", upper["other_province_staff"]).get("/api/v1/figures/").json()["scope"]
    assert (scope["level"], scope["name"]) == ("province", "测试二省")


def test_the_figures_hold_counts_not_people(world, upper):
    fill(world.alpha, seed=5)
    rebuild(world.alpha)
    text = login("localhost", world.province_staff).get(
        f"/api/v1/figures/?level=county&id={world.alpha.pk}").content.decode()
    assert '"received"' in text
    for personal in ("甲县县代表", "甲县镇代表", "13700000011", "43052519800101"):
        assert personal not in text


def test_the_api_pages_the_counties_and_links_the_next_page(world, upper):
    for county, seed in ((world.alpha, 5), (world.beta, 6)):
        fill(county, seed=seed)
        rebuild(county)
    client = login("localhost", world.province_staff)
    path = f"/api/v1/figures/?level=province&id={world.province.pk}&from_month=2026-01&to_month=2026-12"
    path += "&sort=cases_received&page_size=1"
    first = client.get(path).json()
    page = first["comparison_page"]
    assert (page["number"], page["pages"], page["total"], page["sort"], page["order"]) == (1, 2, 2, "cases_received",
                                                                                          "desc")
    assert page["previous"] is None and "page=2" in page["next"] and "sort=cases_received" in page["next"]
    second = client.get(page["next"]).json()
    assert second["comparison_page"]["next"] is None and "page=" not in second["comparison_page"]["previous"]
    rows = first["comparison"] + second["comparison"]
    assert len(first["comparison"]) == 1 and {row["id"] for row in rows} == {world.alpha.pk, world.beta.pk}
    assert rows[0]["cases_received"] > rows[1]["cases_received"]
    assert [row["name"] for row in first["comparison_prefectures"]] == ["测试州"]  # whole, whatever the page
    assert client.get(f"{path}&order=asc").json()["comparison"][0]["id"] == rows[1]["id"]
    assert client.get("/api/v1/figures/?sort=name").status_code == 400
    assert client.get("/api/v1/figures/?page_size=500").status_code == 400
