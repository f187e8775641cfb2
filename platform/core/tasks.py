"""Publishing Celery tasks from domain code."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from celery import current_app
from django.db import connection, transaction
from django_tenants.utils import schema_context

log = logging.getLogger(__name__)
_coalescing = threading.local()


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Publish `task` (a task, or its registered name) once the current transaction commits, in the
    schema it was asked for from.

    tenant-schemas-celery stamps a task with the connection's schema when it is *published*; by the
    time an on_commit callback runs, the connection may have moved to another schema, so the schema
    is captured now. A broker that is down loses the message but not the request: the failure is
    logged (work that must not be lost is kept in a table and re-driven by beat, not by this call).
    A service names its app's task by name, so that the task module (which calls the services) and the
    services need not import each other.
    A name is sent with `send_task`: a web process has not imported every app's task module (Celery
    discovers them in the worker), so the name need not be in this process's registry; the tenant app's
    send_task stamps the schema as apply_async does.
    """
    schema = connection.schema_name
    name = task if isinstance(task, str) else task.name
    transaction.on_commit(lambda: publish(name, schema, *args, **kwargs))


def publish(name: str, schema: str, *args, **kwargs) -> None:
    """Publish the task named `name` now, stamped with `schema` (a broker that is down is logged). By name,
    with send_task: this process may never have imported the task's module (see enqueue_on_commit)."""
    held = getattr(_coalescing, "held", None)
    if held is not None:
        if name not in _coalescing.drop:
            held.setdefault((name, schema, repr(args), repr(sorted(kwargs.items()))), (name, schema, args, kwargs))
        return
    with schema_context(schema):
        try:
            current_app.send_task(name, args=args, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - kombu raises many kinds; the request must survive
            log.exception("could not publish %s for schema %s", name, schema)


@contextlib.contextmanager
def coalesced(*, drop: frozenset[str] = frozenset()) -> Iterator[None]:
    """Hold the publishes made inside (a bulk load committing thousands of writes) and send each distinct
    one once on the way out; tasks named in `drop` are not sent at all (the caller does their work itself,
    e.g. rebuilding the rollups at the end). Not nested; for loaders, not for requests."""
    _coalescing.held, _coalescing.drop = {}, drop
    try:
        yield
    finally:
        held, _coalescing.held = _coalescing.held, None
    for name, schema, args, kwargs in held.values():
        publish(name, schema, *args, **kwargs)
