"""/healthz reports database, broker and worker; a broker that is down does not stop the web."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from config.celery import app
from tenants.models import Account, RollupRun
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


def test_last_nights_rollup_drift_is_a_warning_on_the_platform_host_not_a_failure(world):
    _fresh_heartbeat()
    now = timezone.now()
    RollupRun.objects.create(county=world.alpha, started_at=now, duration_ms=10, facts=100, drift=3)
    RollupRun.objects.create(county=world.beta, started_at=now, duration_ms=10, facts=100, drift=0)
    RollupRun.objects.create(county=None, started_at=now, duration_ms=10, facts=50, drift=2)
    RollupRun.objects.create(county=world.beta, started_at=now - dt.timedelta(days=2), duration_ms=10, facts=1,
                             drift=9)  # an older night
    response = Client(HTTP_HOST="localhost").get("/healthz")
    assert response.status_code == 200
    rollups = response.json()["warnings"]["rollups"]
    assert "error" not in rollups, rollups
    assert rollups["warning"] is True
    assert (rollups["drift"], rollups["counties_with_drift"], rollups["region_drift"]) == (5, 1, 2)
    assert "warnings" not in Client(HTTP_HOST=ALPHA_HOST).get("/healthz").json()  # a county sees its own probe


def test_the_platform_home_tells_operators_of_last_nights_drift(world):
    operator = Account.objects.create_user("13900000077", "运维", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(operator)
    assert "昨夜重建发现" not in client.get("/").content.decode()
    RollupRun.objects.create(county=world.alpha, started_at=timezone.now(), duration_ms=10, facts=100, drift=4)
    assert "昨夜重建发现并更正了 4 条偏差" in client.get("/").content.decode()
