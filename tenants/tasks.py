"""Platform-wide periodic work (runs in the public schema)."""

import time

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "platform:worker-heartbeat"


@shared_task(name="tenants.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Leave a timestamp that /healthz reads to tell that beat and a worker are alive."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=600)
