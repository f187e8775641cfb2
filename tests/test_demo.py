import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from access.models import Membership
from tenants.models import Account, County, Domain

pytestmark = pytest.mark.django_db


def _counts():
    counts = [County.objects.count(), Domain.objects.count(), Account.objects.count()]
    for county in County.objects.filter(slug__in=["dongkou", "enshi", "haifeng"]):
        with schema_context(county.schema_name):
            counts.append(Membership.objects.count())
    return counts


def test_demo_data_loads_and_loading_again_changes_nothing(world, capsys):
    call_command("seed_demo")
    first = _counts()
    assert {"dongkou", "enshi", "haifeng"} <= set(County.objects.values_list("slug", flat=True))
    assert "http://dongkou.localhost:8000/" in capsys.readouterr().out
    call_command("seed_demo")
    assert _counts() == first


def test_demo_counties_have_reception_days_to_click_through(world):
    from django.utils import timezone

    from reception.models import Attendance, ReceptionRecord, ReceptionSession

    call_command("seed_demo")
    with schema_context(County.objects.get(slug="dongkou").schema_name):
        assert ReceptionSession.objects.filter(date__gt=timezone.localdate(), rota__isnull=False).exists()
        assert ReceptionSession.objects.filter(date__year=timezone.localdate().year + 1).count() >= 24
        assert Attendance.objects.filter(late=True).exists()
        assert ReceptionRecord.objects.filter(visitors_count=25).exists()
