"""Every endpoint x every actor: own county by role and scope, other county, upper tier, anonymous.

Rows live in tests/api/matrix_*.py; see tests/api/matrix.py for the vocabulary.
"""

import importlib
import json
import pkgutil

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

import tests.api
from tests.api.matrix import ACTORS, Row
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


def _rows() -> list[Row]:
    rows = []
    for module in pkgutil.iter_modules(tests.api.__path__):
        if module.name.startswith("matrix_"):
            rows += importlib.import_module(f"tests.api.{module.name}").ROWS
    return rows


ROWS = _rows()


def _client(world, host: str, actor: str) -> Client:
    client = Client(HTTP_HOST=host)
    if actor != "anonymous":
        # A refused login leaves the client anonymous, as it would a person.
        client.post("/login/", {"mobile": getattr(world, actor).mobile, "password": PASSWORD})
    return client


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(world, row, actor):
    client = _client(world, row.host, actor)
    path = row.path.format(ids=world.ids)
    kwargs = {}
    if row.data is not None:
        body = row.data if row.content_type != "application/json" else json.dumps(row.data)
        kwargs = {"data": body, "content_type": row.content_type}
    response = getattr(client, row.method.lower())(path, **kwargs)
    assert response.status_code == row.expected[actor], response.content[:300]


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def test_matrix_covers_every_api_endpoint():
    listed = [row.path.removeprefix("/api/v1/") for row in ROWS if row.path.startswith("/api/v1/")]
    for route in _routes(get_resolver("api.urls").url_patterns):
        if "<" in route or "(?P" in route:
            stem = route.split("<")[0].split("(?P")[0]
            assert any(path.startswith(stem) and path != stem for path in listed), \
                f"/api/v1/{route}: no detail row in the permission matrix"
            continue
        if route.endswith(r"\.(?P<format>[a-z0-9]+)/?"):
            continue
        assert route in listed, f"/api/v1/{route} has no row in the permission matrix"


def test_province_staff_sees_counties_of_their_province_only(world):
    client = login("localhost", world.province_staff)
    slugs = {row["slug"] for row in client.get("/api/v1/counties/").json()["results"]}
    assert slugs == {"alpha", "beta"}


def test_deputy_sees_only_own_membership(world):
    client = login("alpha.localhost", world.deputy_a)
    rows = client.get("/api/v1/memberships/").json()["results"]
    assert [row["account"]["mobile"] for row in rows] == [world.deputy_a.mobile]
