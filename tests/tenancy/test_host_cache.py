"""The host -> county memory is bounded: made-up host names (each a miss) cannot grow it without limit."""

import pytest
from django.test import Client

from tenants import middleware
from tenants.middleware import county_for_host
from tests.conftest import ALPHA_HOST

pytestmark = pytest.mark.django_db


def test_unknown_hosts_are_forgotten_least_recently_used_first(world, monkeypatch):
    assert middleware.HOSTS_KEPT == 1024
    monkeypatch.setattr(middleware, "HOSTS_KEPT", 10)
    assert county_for_host(ALPHA_HOST).pk == world.alpha.pk
    for n in range(30):
        assert Client(HTTP_HOST=f"scan{n}.localhost").get("/").status_code == 404
        county_for_host(ALPHA_HOST)  # in use: stays
    assert len(middleware._hosts) == 10
    assert ALPHA_HOST in middleware._hosts and "scan0.localhost" not in middleware._hosts
    assert "scan29.localhost" in middleware._hosts
