"""Probes. /healthz: database, broker and worker heartbeat, each reported; 503 if any is down (for
operators and monitoring). /readyz: can this web process serve pages, i.e. reach its database (for a
load balancer: a broker or worker outage must not take the web out of service)."""

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django_tenants.utils import schema_context

from config.celery import app
from tenants.tasks import HEARTBEAT_KEY

HEARTBEAT_MAX_AGE = 90


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001 - the probe reports any failure
        return {"ok": False, "error": exc.__class__.__name__}


def _check_broker() -> dict:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}


def _check_worker() -> dict:
    try:
        with schema_context("public"):
            stamp = cache.get(HEARTBEAT_KEY)
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    if stamp is None:
        return {"ok": False, "error": "no heartbeat yet"}
    age = time.time() - float(stamp)
    return {"ok": age < HEARTBEAT_MAX_AGE, "age_seconds": round(age, 1)}


@never_cache
def healthz(request):
    checks = {"database": _check_database(), "broker": _check_broker(), "worker": _check_worker()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)


@never_cache
def readyz(request):
    database = _check_database()
    return JsonResponse({"ok": database["ok"], "database": database}, status=200 if database["ok"] else 503)
