"""Rows of the platform-foundation endpoints."""

from tests.api.matrix import ALPHA, COUNTY_MEMBERS, PLATFORM, Row, everyone, members

ROWS = [
    Row("GET", ALPHA, "/api/v1/me/", members(200)),
    Row("GET", ALPHA, "/api/v1/county/", members(200)),
    Row("GET", ALPHA, "/api/v1/memberships/", members(200)),
    Row("GET", ALPHA, "/api/v1/memberships/999999/", members(404)),
    Row("GET", ALPHA, "/api/v1/counties/", members(404)),
    # The API's description is public; it holds no data.
    Row("GET", ALPHA, "/api/v1/schema/", everyone(200)),
    Row("GET", ALPHA, "/api/v1/docs/", everyone(200)),
    # Members get their home, everyone else the county's online station (tests/public).
    Row("GET", ALPHA, "/", everyone(200)),
    Row("GET", PLATFORM, "/api/v1/me/", {**everyone(403), "province_staff": 200}),
    Row("GET", PLATFORM, "/api/v1/counties/", {**everyone(403), "province_staff": 200}),
    Row("GET", PLATFORM, "/api/v1/counties/{ids[county_alpha]}/", {**everyone(403), "province_staff": 200}),
    Row("GET", PLATFORM, "/api/v1/counties/999999/", {**everyone(403), "province_staff": 404}),
    Row("GET", PLATFORM, "/api/v1/county/", {**everyone(403), "province_staff": 404}),
    Row("GET", PLATFORM, "/api/v1/memberships/", {**everyone(403), "province_staff": 404}),
    Row("GET", PLATFORM, "/", {**everyone(302), "province_staff": 200}),
    # 我服务的县（市、区）: a province or prefecture deputy's page on the platform host (tests/tenancy/
    # test_deputy_counties.py signs one in); no actor here holds such a mandate, and county hosts have no such page.
    Row("GET", PLATFORM, "/me/counties/", {**everyone(302), "province_staff": 404}),
    Row("GET", ALPHA, "/me/counties/", {**everyone(302), **dict.fromkeys(COUNTY_MEMBERS, 404)}),
]
