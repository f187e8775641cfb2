"""Publishing Celery tasks from domain code."""

from __future__ import annotations

import logging

from celery import current_app
from django.db import connection, transaction
from django_tenants.utils import schema_context

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Publish `task` (a task, or its registered name) once the current transaction commits, in the
    schema it was asked for from.

    tenant-schemas-celery stamps a task with the connection's schema when it is *published*; by the
    time an on_commit callback runs, the connection may have moved to another schema, so the schema
    is captured now. A broker that is down loses the message but not the request: the failure is
    logged (work that must not be lost is kept in a table and re-driven by beat, not by this call).
    A service names its app's task by name, so that the task module (which calls the services) and the
    services need not import each other.
    """
    schema = connection.schema_name
    name = task if isinstance(task, str) else task.name
    transaction.on_commit(lambda: publish(name, schema, *args, **kwargs))


def publish(name: str, schema: str, *args, **kwargs) -> None:
    """Publish the task registered as `name` now, stamped with `schema` (a broker that is down is logged)."""
    with schema_context(schema):
        try:
            current_app.tasks[name].apply_async(args=args, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - kombu raises many kinds; the request must survive
            log.exception("could not publish %s for schema %s", name, schema)
