"""Platform-wide periodic work (runs in the public schema) and the per-county fan-out."""

import time

from celery import current_app, shared_task
from django.core.cache import cache
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import County, PendingOutbox
from tenants.services.spares import spares_fill

HEARTBEAT_KEY = "platform:worker-heartbeat"
# Counties published to per producer: a fan-out to 2,800 counties publishes 500 at a time over one
# producer (one broker connection and channel), not one pool checkout a task.
FAN_OUT_BATCH = 500


def _publish_in_batches(task_name: str, schemas, args: tuple = ()) -> int:
    """Send `task_name` once to each schema of the iterable `schemas`, each stamped with its schema."""
    task = current_app.tasks[task_name]
    sent = 0
    batch: list[str] = []

    def flush() -> None:
        with current_app.producer_or_acquire() as producer:
            for schema in batch:
                with schema_context(schema):
                    task.apply_async(args=args, producer=producer)
        batch.clear()

    for schema in schemas:
        batch.append(schema)
        sent += 1
        if len(batch) == FAN_OUT_BATCH:
            flush()
    if batch:
        flush()
    return sent


@shared_task(name="tenants.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Leave a timestamp that /healthz reads to tell that beat and a worker are alive."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=600)


@shared_task(name="tenants.tasks.fan_out", ignore_result=True)
def fan_out(task_name: str, *args) -> int:
    """Send `task_name` (with `args`) once to every active county, each running in that county's schema,
    published in batches (_publish_in_batches).

    The template schema is not a county and never receives work.
    """
    schemas = County.objects.filter(status=County.Status.ACTIVE).order_by("schema_name").values_list(
        "schema_name", flat=True)
    return _publish_in_batches(task_name, list(schemas), args)


@shared_task(name="tenants.tasks.fan_out_pending", ignore_result=True)
def fan_out_pending(task_name: str) -> int:
    """Send `task_name` to each active county marked as having an outbox to deliver (PendingOutbox): beat's
    minute re-drive costs one small query when nothing waits, and a task per county with work otherwise.
    The task clears the mark (notifications.services.messages_deliver); marks of schemas that are no
    county (a county removed) are dropped, a suspended county's kept until it is active again. The public
    schema's mark (the platform's outbox) is driven like a county's."""
    marked = list(PendingOutbox.objects.values_list("schema_name", flat=True))
    if not marked:
        return 0
    public = get_public_schema_name()  # the platform's own outbox (upper tiers' notices)
    counties = dict(County.objects.filter(schema_name__in=marked).values_list("schema_name", "status"))
    PendingOutbox.objects.filter(schema_name__in=[s for s in marked if s not in counties and s != public]).delete()
    active = sorted(s for s, status in counties.items() if status == County.Status.ACTIVE)
    return _publish_in_batches(task_name, ([public] if public in marked else []) + active)


@shared_task(name="tenants.tasks.refill_spares", ignore_result=True)
def refill_spares() -> int:
    """Keep TENANT_SPARE_SCHEMAS ready-made county schemas (after each provisioning, and on beat)."""
    return spares_fill()
