"""The demo duty records carry the report's figures and can be loaded again without change."""

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone
from django_tenants.utils import schema_context

from duties.models import DutyRecord
from tenants.models import Account
from tenants.orchestration.demo.duties import seed_duties

pytestmark = pytest.mark.django_db


def test_demo_duties_in_a_county(world):
    with schema_context(world.alpha.schema_name):
        seed_duties("alpha", Account.objects.get(mobile="13700000001"))
        count = DutyRecord.objects.count()
        last = timezone.localdate().year - 1
        year = DutyRecord.objects.filter(occurred_on__year=last)
        assert year.filter(kind="visit").count() == 77
        assert year.filter(kind="reception").aggregate(n=Sum("constituents_count"))["n"] == 124
        assert DutyRecord.objects.filter(status="pending").count() == 2
        assert not DutyRecord.objects.filter(occurred_on__gt=dt.date.today()).exists()
        seed_duties("alpha", Account.objects.get(mobile="13700000001"))
        assert DutyRecord.objects.count() == count
