"""Every endpoint x every actor: own county, same-county non-admin, other county, upper tier, anonymous.

Expected status codes are written out in full, so adding an endpoint without adding its row fails.
"""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.conftest import ALPHA_HOST, PLATFORM_HOST, login

pytestmark = pytest.mark.django_db

ACTORS = ["admin_a", "deputy_a", "admin_b", "province_staff", "outsider", "anonymous"]

# (host, path): {actor: status}. On Alpha's host, Beta's administrator and everyone without a role in
# Alpha are not logged in at all (their login is refused), so they get what anonymous gets.
MATRIX = {
    (ALPHA_HOST, "/api/v1/me/"): dict(admin_a=200, deputy_a=200, admin_b=403, province_staff=403, outsider=403,
                                      anonymous=403),
    (ALPHA_HOST, "/api/v1/county/"): dict(admin_a=200, deputy_a=200, admin_b=403, province_staff=403,
                                          outsider=403, anonymous=403),
    (ALPHA_HOST, "/api/v1/memberships/"): dict(admin_a=200, deputy_a=200, admin_b=403, province_staff=403,
                                               outsider=403, anonymous=403),
    (ALPHA_HOST, "/api/v1/counties/"): dict(admin_a=404, deputy_a=404, admin_b=403, province_staff=403,
                                            outsider=403, anonymous=403),
    # The API's description is public; it holds no data.
    (ALPHA_HOST, "/api/v1/schema/"): dict(admin_a=200, deputy_a=200, admin_b=200, province_staff=200,
                                          outsider=200, anonymous=200),
    (ALPHA_HOST, "/api/v1/docs/"): dict(admin_a=200, deputy_a=200, admin_b=200, province_staff=200,
                                        outsider=200, anonymous=200),
    (ALPHA_HOST, "/"): dict(admin_a=200, deputy_a=200, admin_b=302, province_staff=302, outsider=302,
                            anonymous=302),
    (PLATFORM_HOST, "/api/v1/me/"): dict(admin_a=403, deputy_a=403, admin_b=403, province_staff=200,
                                         outsider=403, anonymous=403),
    (PLATFORM_HOST, "/api/v1/counties/"): dict(admin_a=403, deputy_a=403, admin_b=403, province_staff=200,
                                               outsider=403, anonymous=403),
    (PLATFORM_HOST, "/api/v1/county/"): dict(admin_a=403, deputy_a=403, admin_b=403, province_staff=404,
                                             outsider=403, anonymous=403),
    (PLATFORM_HOST, "/api/v1/memberships/"): dict(admin_a=403, deputy_a=403, admin_b=403, province_staff=404,
                                                  outsider=403, anonymous=403),
    (PLATFORM_HOST, "/"): dict(admin_a=302, deputy_a=302, admin_b=302, province_staff=200, outsider=302,
                               anonymous=302),
}


def _client(world, host: str, actor: str) -> Client:
    account = None if actor == "anonymous" else getattr(world, actor)
    client = Client(HTTP_HOST=host)
    if account is not None:
        from tests.conftest import PASSWORD

        # A refused login leaves the client anonymous, as it would a person.
        client.post("/login/", {"mobile": account.mobile, "password": PASSWORD})
    return client


@pytest.mark.parametrize("host,path", list(MATRIX))
@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(world, host, path, actor):
    response = _client(world, host, actor).get(path)
    assert response.status_code == MATRIX[(host, path)][actor], response.content[:300]


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def test_matrix_covers_every_api_endpoint():
    listed = {path.removeprefix("/api/v1/") for _host, path in MATRIX if path.startswith("/api/v1/")}
    for route in _routes(get_resolver("api.urls").url_patterns):
        if "<" in route or "(?P" in route:
            continue  # detail routes: covered by the isolation tests
        assert route in listed, f"/api/v1/{route} has no row in the permission matrix"


def test_province_staff_sees_counties_of_their_province_only(world):
    client = login(PLATFORM_HOST, world.province_staff)
    slugs = {row["slug"] for row in client.get("/api/v1/counties/").json()["results"]}
    assert slugs == {"alpha", "beta"}


def test_deputy_sees_only_own_membership(world):
    client = login(ALPHA_HOST, world.deputy_a)
    rows = client.get("/api/v1/memberships/").json()["results"]
    assert [row["account"]["mobile"] for row in rows] == [world.deputy_a.mobile]
