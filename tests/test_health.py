"""/healthz reports database, broker and worker; a broker that is down does not stop the web."""

import time

import pytest
from django.core.cache import cache
from django.test import Client
from django_tenants.utils import schema_context

from config.celery import app
from tenants.tasks import HEARTBEAT_KEY
from tests.conftest import ALPHA_HOST

pytestmark = pytest.mark.django_db


def _fresh_heartbeat():
    with schema_context("public"):
        cache.set(HEARTBEAT_KEY, time.time(), timeout=60)


def test_healthy_on_county_and_platform_hosts(world):
    _fresh_heartbeat()
    for host in (ALPHA_HOST, "localhost"):
        response = Client(HTTP_HOST=host).get("/healthz")
        assert response.status_code == 200, response.json()
        assert response.json()["database"]["ok"] and response.json()["broker"]["ok"]


def test_stale_heartbeat_is_reported(world):
    with schema_context("public"):
        cache.set(HEARTBEAT_KEY, time.time() - 3600, timeout=60)
    body = Client(HTTP_HOST=ALPHA_HOST).get("/healthz").json()
    assert body["ok"] is False and body["worker"]["ok"] is False


def test_broker_down_is_reported_and_the_web_still_serves(world, monkeypatch):
    _fresh_heartbeat()
    real = app.connection_for_write
    monkeypatch.setattr(app, "connection_for_write", lambda: real("redis://127.0.0.1:1/0"))  # nothing listens
    client = Client(HTTP_HOST=ALPHA_HOST)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["database"]["ok"] is True
    assert client.get("/login/").status_code == 200


def test_readiness_needs_only_the_database(world, monkeypatch):
    real = app.connection_for_write
    monkeypatch.setattr(app, "connection_for_write", lambda: real("redis://127.0.0.1:1/0"))
    with schema_context("public"):
        cache.delete(HEARTBEAT_KEY)
    response = Client(HTTP_HOST=ALPHA_HOST).get("/readyz")
    assert response.status_code == 200 and response.json() == {"ok": True, "database": {"ok": True}}
