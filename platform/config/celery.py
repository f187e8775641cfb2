"""The Celery app: tenant-schemas-celery runs each task in the schema it was sent from."""

import logging
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
    # Re-drives anything left in an outbox (a publish lost while the broker was down, a worker killed, a
    # message to retry): only the counties marked as having messages waiting (tenants.PendingOutbox).
    "deliver-outboxes": {
        "task": "tenants.tasks.fan_out_pending",
        "schedule": 60.0,
        "args": ["notifications.tasks.deliver_pending"],
    },
    # Reception reminders three days and one day before (dedupe keys make re-runs harmless).
    "reception-reminders": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(minute=5, hour="8-20/2"),
        "args": ["reception.tasks.send_due_reminders"],
    },
    # Next year's reception calendars, published in advance (and again daily in December: idempotent).
    "reception-publish-next-year": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(minute=30, hour=2, month_of_year=12),
        "args": ["reception.tasks.publish_next_year"],
    },
    "attendance-notices-yearly": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(minute=0, hour=3, day_of_month="5-10", month_of_year=1),
        "args": ["reception.tasks.yearly_attendance_notices"],
    },
    # Re-divisions registered in advance (自某日起) take effect just after midnight of their day, before
    # anyone can log a record there dated that day (which would make the re-division fail: backdating guard).
    "organisation-scheduled-redivisions": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(hour=0, minute=1),
        "args": ["organisation.tasks.apply_scheduled_redivisions"],
    },
    "casework-deadlines": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(hour=8, minute=5),
        "args": ["casework.tasks.deadline_scan"],
    },
    # Every county's rollups recomputed from its source rows; the drift found is kept (RollupRun, admin).
    "rollups-rebuild": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(hour=1, minute=40),
        "args": ["rollups.rebuild"],
    },
    # Then the province and prefecture rows and the counties' headlines, from the county totals (public schema).
    "rollups-rebuild-regions": {"task": "rollups.rebuild_regions", "schedule": crontab(hour=3, minute=10)},
    # Upstairs items near or past their deadline: the region's staff and units told (public schema).
    "upstairs-deadlines": {"task": "upstairs.deadline_scan", "schedule": crontab(hour=8, minute=15)},
    # Audit retention: rows past AUDIT_RETENTION_DAYS go to an archive file, per county and for the platform.
    "audit-archive": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(hour=2, minute=41),
        "args": ["audit.tasks.archive_expired"],
    },
    "audit-archive-platform": {"task": "audit.tasks.archive_expired", "schedule": crontab(hour=2, minute=47)},
    # PIPL: constituents' names and mobiles pseudonymised a county-set number of days after their case closes.
    # The official holidays and make-up days of this year and next, from the pinned `holidays` package: a year
    # turns official by itself once the package carries it (workdays.tasks; operators' rows are kept).
    "workdays-sync-holidays": {"task": "workdays.tasks.sync_holidays", "schedule": crontab(hour=4, minute=23)},
    "casework-pseudonymise": {
        "task": "tenants.tasks.fan_out",
        "schedule": crontab(hour=3, minute=33),
        "args": ["casework.tasks.pseudonymise_constituents"],
    },
}


# An idle platform is quiet: the worker's "received"/"succeeded" lines and beat's "Sending due task" lines
# are dropped for the periodic plumbing below, and the outbox delivery logs only a run that delivered
# something (failures are logged by notifications.services and by Celery at ERROR).
QUIET_TASKS = {"tenants.tasks.heartbeat", "tenants.tasks.fan_out_pending"}
QUIET_UNLESS_DONE = {"notifications.tasks.deliver_pending", "tenants.tasks.fan_out_pending"}
QUIET_BEAT_ENTRIES = {"heartbeat", "deliver-outboxes"}


class QuietPlumbing(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.name == "celery.beat":
            return not (isinstance(args, tuple) and args and args[0] in QUIET_BEAT_ENTRIES)
        if not isinstance(args, dict) or args.get("name") not in QUIET_TASKS | QUIET_UNLESS_DONE:
            return True
        if "return_value" not in args:  # "received": whether it did anything is known when it succeeds
            return False
        return args["name"] in QUIET_UNLESS_DONE and args["return_value"] not in ("0", "None")


for _name in ("celery.worker.strategy", "celery.app.trace", "celery.beat"):
    logging.getLogger(_name).addFilter(QuietPlumbing())
