"""Bad filter, page and id values are refused in Chinese (400, or 404 for ids), never ignored nor a 500:
the cases the schema fuzz (test_schema_fuzz) first found."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PLATFORM_HOST, login

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path, parameter", [
    ("/api/v1/reception-sessions/?venue=null", "venue"),
    ("/api/v1/reception-sessions/?month=2026-13", "month"),
    ("/api/v1/unit-scores/?year=-3056", "year"),
    ("/api/v1/cases/?status=maybe", "status"),
    ("/api/v1/deputies/?township=abc", "township"),
    ("/api/v1/duty-records/?venue=99999999999", "venue"),
    ("/api/v1/pairings/?all=perhaps", "all"),
    ("/api/v1/handling-units/?is_active=perhaps", "is_active"),
    ("/api/v1/opinions/?page=last", "page"),
])
def test_a_bad_filter_value_is_a_400_naming_it_in_chinese(as_, path, parameter):
    response = as_("admin_a").get(path)
    assert response.status_code == 400, response.content[:300]
    messages = response.json()[parameter]
    assert messages and CHINESE.search(messages[0])


def test_good_filter_values_still_filter(as_, world):
    client = as_("admin_a")
    assert client.get(f"/api/v1/reception-sessions/?venue={world.ids['v1']}&month=2026-01&past=true").status_code == 200
    rows = client.get(f"/api/v1/deputies/?township={world.ids['east']}").json()["results"]
    assert rows and all(row["id"] != world.ids["west_deputy"] for row in rows)


@pytest.mark.parametrize("path", ["/api/v1/absence-steps/abc/done/", "/api/v1/reception-schedules/abc/",
                                  "/api/v1/deputies/1.5/"])
def test_a_non_number_id_is_a_chinese_404(as_, path):
    client = as_("admin_a")
    response = client.post(path, {}) if path.endswith("done/") else client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_a_sign_in_rule_without_its_minutes_is_a_400(as_):
    response = as_("admin_a").put("/api/v1/signin-rule/", {}, content_type="application/json")
    assert response.status_code == 400 and CHINESE.search(response.json()["idle_minutes"][0])


def test_an_empty_value_where_none_is_offered_is_a_400(world):
    client = login(PLATFORM_HOST, world.province_staff)
    response = client.get("/api/v1/figures/?level=")
    assert response.status_code == 400 and CHINESE.search(response.json()["level"][0])
