"""The Celery app: tenant-schemas-celery runs each task in the schema it was sent from."""

import os

from celery.schedules import crontab
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = CeleryApp("jiazhan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Proves web -> broker -> beat -> worker end to end; /healthz reads the stamp it leaves.
    "heartbeat": {"task": "tenants.tasks.heartbeat", "schedule": 15.0},
    "refill-spare-schemas": {"task": "tenants.tasks.refill_spares", "schedule": 300.0},
    "clear-expired-sessions": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(hour=3, minute=17),
        "args": ["access.tasks.clear_expired_sessions"],
    },
    # Re-drives anything left in an outbox (a publish lost while the broker was down, a worker killed).
    "deliver-outboxes": {
        "task": "tenants.tasks.fan_out",
        "schedule": 60.0,
        "args": ["notifications.tasks.deliver_pending"],
    },
    "casework-deadlines": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(hour=8, minute=5),
        "args": ["casework.tasks.deadline_scan"],
    },
}
