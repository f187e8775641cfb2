"""Rows of the dashboards' figures. On Alpha's host: the administrator reads the county and any township,
east town's presidium staff their own township (west's is 404 to them); other members are refused (403).
On the platform host: the upper tiers within their regions (staff of another prefecture or province:
tests/rollups/test_permissions.py, whose actors this matrix does not have)."""

from tests.api.matrix import ALPHA, PLATFORM, Row, everyone, members

UPPER = {**everyone(403), "province_staff": 200}
UPPER_MISSING = {**everyone(403), "province_staff": 404}

ROWS = [
    Row("GET", ALPHA, "/api/v1/county/figures/", members(403, admin_a=200, township_staff_a=200)),
    Row("GET", ALPHA, "/api/v1/county/figures/?township={ids[east]}&from_month=2026-01&to_month=2026-06",
        members(403, admin_a=200, township_staff_a=200)),
    Row("GET", ALPHA, "/api/v1/county/figures/?township={ids[west]}", members(403, admin_a=200,
                                                                                township_staff_a=404)),
    Row("GET", ALPHA, "/api/v1/county/figures/?township=999999", members(403, admin_a=404, township_staff_a=404)),
    Row("GET", PLATFORM, "/api/v1/county/figures/", UPPER_MISSING),
    Row("GET", PLATFORM, "/api/v1/figures/", UPPER),
    Row("GET", PLATFORM, "/api/v1/figures/?level=county&id={ids[county_alpha]}&from_month=2025-12", UPPER),
    Row("GET", PLATFORM, "/api/v1/figures/?level=province&id=999999", UPPER_MISSING),
    Row("GET", PLATFORM, "/api/v1/figures/?from_month=2026-13", {**everyone(403), "province_staff": 400}),
    Row("GET", ALPHA, "/api/v1/figures/", members(404)),
]
