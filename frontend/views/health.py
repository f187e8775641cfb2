"""Probes. /healthz: database, broker and worker heartbeat, each reported, and under the embedded runner
its processes (a component restarting after a crash); 503 if any is down (for operators and monitoring).
It also carries warnings that do not make it fail (platform host only): `calendar`, next year's holidays not
official (from October); `rollups`, last night's drift (figures that were wrong until the nightly rebuild
corrected them). /readyz: can this web process serve pages, i.e. reach its database (for a load balancer: a
broker or worker outage must not take the web out of service)."""

import os
import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tenants.utils import schema_context

from config.celery import app
from deploy.embedded.supervisor import read_status
from tenants.selectors import rollup_drift
from tenants.tasks import HEARTBEAT_KEY
from workdays.selectors import is_official_year

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


def _calendar_warning() -> dict:
    """From October: next year's holiday arrangement is not official yet (its reception days are provisional)."""
    today = timezone.localdate()
    if today.month < 10:
        return {}
    with schema_context("public"):
        official = is_official_year(today.year + 1)
    return {} if official else {"calendar": {"year": today.year + 1, "official": False, "warning": True}}


def _check_processes() -> dict | None:
    """Under the embedded runner: its processes, one restarting after a crash reported as such."""
    status = read_status(os.environ.get("JIAZHAN_RUNNER_STATUS"))
    if status is None:
        return None
    components = status["components"]
    return {"ok": all(c["state"] == "running" for c in components.values()), "components": components}


def _warnings(database_ok: bool) -> dict:
    if not database_ok:
        return {}
    try:
        calendar = _calendar_warning()
        with schema_context("public"):
            drift = rollup_drift()
    except Exception as exc:  # noqa: BLE001 - a warning must not take the probe down
        return {"rollups": {"error": exc.__class__.__name__}}
    found = drift["drift"] > 0
    return {**calendar, **({"rollups": {**drift, "warning": found}} if found or drift["runs"] else {})}


@never_cache
def healthz(request):
    checks = {"database": _check_database(), "broker": _check_broker(), "worker": _check_worker()}
    processes = _check_processes()
    if processes is not None:
        checks["processes"] = processes
    healthy = all(check["ok"] for check in checks.values())
    body = {"ok": healthy, **checks}
    if getattr(request, "tenant", None) is None or request.tenant.is_public:  # the platform's, not a county's
        body["warnings"] = _warnings(checks["database"]["ok"])
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def readyz(request):
    database = _check_database()
    return JsonResponse({"ok": database["ok"], "database": database}, status=200 if database["ok"] else 503)
