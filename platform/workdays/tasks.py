"""Beat loads the official calendar daily (config/celery.py): a year becomes official on the first run after
the pinned `holidays` package carries its State Council notice, with nobody having to run `sync_holidays`.
Idempotent: operators' rows are kept and a year already official is not re-planned again."""

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import schema_context

from workdays.services import holidays_sync


@shared_task(name="workdays.tasks.sync_holidays", ignore_result=True)
def sync_holidays() -> dict[int, str]:
    this_year = timezone.localdate().year
    with schema_context("public"):
        return holidays_sync(years=[this_year, this_year + 1])
