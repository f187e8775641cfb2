"""Platform-wide periodic work (runs in the public schema) and the per-county fan-out."""

import time

from celery import current_app, shared_task
from django.core.cache import cache
from django_tenants.utils import schema_context

from tenants.models import County
from tenants.services.spares import spares_fill

HEARTBEAT_KEY = "platform:worker-heartbeat"


@shared_task(name="tenants.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Leave a timestamp that /healthz reads to tell that beat and a worker are alive."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=600)


@shared_task(name="tenants.tasks.fan_out", ignore_result=True)
def fan_out(task_name: str, *args) -> int:
    """Send `task_name` (with `args`) once to every active county, each running in that county's schema.

    The template schema is not a county and never receives work.
    """
    task = current_app.tasks[task_name]
    sent = 0
    for schema in County.objects.filter(status=County.Status.ACTIVE).values_list("schema_name", flat=True):
        with schema_context(schema):
            task.apply_async(args=args)
        sent += 1
    return sent


@shared_task(name="tenants.tasks.refill_spares", ignore_result=True)
def refill_spares() -> int:
    """Keep TENANT_SPARE_SCHEMAS ready-made county schemas (after each provisioning, and on beat)."""
    return spares_fill()
