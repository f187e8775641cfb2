import datetime as dt

import pytest
from celery import current_app
from django.core.management import call_command
from django_tenants.utils import schema_context

from access.models import Membership
from casework.models import Case, Opinion
from core.tasks import coalesced, publish
from people.models import Deputy
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
    # The demo's dashboards have figures at once (not after the first night), and no drift is reported for it.
    from tenants.models import RegionFact, RollupFact, RollupRun
    assert RollupFact.objects.filter(county__slug="enshi").exists() and RegionFact.objects.exists()
    assert not RollupRun.objects.exists()


def test_demo_logins_that_owe_a_second_factor_can_pass_it(world, capsys):
    """Administrators, upper-tier staff and the operator must pass a second factor: the demo gives them an
    authenticator and `demo_codes` prints its current code, which signs them in on the platform host."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("seed_demo")
    capsys.readouterr()
    call_command("demo_codes")
    codes = {line.split()[0]: line.split()[-1] for line in capsys.readouterr().out.splitlines()[1:]}
    assert {"13900000000", "13900000001", "13900000002", "13800000001"} <= set(codes)
    assert TOTPDevice.objects.filter(user__mobile="13900000001", confirmed=True).count() == 1
    call_command("seed_demo")  # again: still one authenticator each
    assert TOTPDevice.objects.filter(user__mobile="13900000001", confirmed=True).count() == 1
    client = Client(HTTP_HOST="localhost")
    assert client.post("/login/", {"mobile": "13900000001", "password": "jiazhan-demo-2026"}).status_code == 302
    capsys.readouterr()
    call_command("demo_codes")
    code = {line.split()[0]: line.split()[-1] for line in capsys.readouterr().out.splitlines()[1:]}["13900000001"]
    response = client.post("/login/verify/", {"token": code})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_demo_counties_have_reception_days_to_click_through(world):
    from django.utils import timezone

    from reception.models import Attendance, ReceptionRecord, ReceptionSession

    call_command("seed_demo")
    with schema_context(County.objects.get(slug="dongkou").schema_name):
        assert ReceptionSession.objects.filter(date__gt=timezone.localdate(), rota__isnull=False).exists()
        assert ReceptionSession.objects.filter(date__year=timezone.localdate().year + 1).count() >= 24
        assert Attendance.objects.filter(late=True).exists()
        assert ReceptionRecord.objects.filter(visitors_count=25).exists()


def test_demo_stations_publish_a_landline_that_the_contact_cards_print(world):
    """Open stations carry a number for the public pages and the cards; one still being built has none."""
    from duties.selectors.registers import contact_card
    from organisation.models import Venue
    from people.actors import actor_for

    call_command("seed_demo")
    with schema_context(County.objects.get(slug="enshi").schema_name):
        assert not Venue.objects.filter(status=Venue.Status.OPEN, contact_phone="").exists()
        assert not Venue.objects.filter(status=Venue.Status.BUILDING).exclude(contact_phone="").exists()
        deputy = Deputy.objects.filter(stationings__venue__status=Venue.Status.OPEN).select_related("account").first()
        card = contact_card(actor=actor_for(deputy.account), deputy_id=deputy.pk, year=2026)
        phone = dict(card.facts)["联系电话"]
        assert phone.startswith("0718-82") and deputy.account.mobile not in phone


def test_a_bulk_load_sends_each_distinct_task_once_and_none_of_those_it_does_itself(monkeypatch):
    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args, kwargs: sent.append((name, args)))
    with coalesced(drop=frozenset({"rollups.refresh"})):
        for _ in range(3):
            publish("notifications.tasks.deliver_pending", "county_1")
        publish("notifications.tasks.deliver_pending", "county_2")
        publish("rollups.refresh", "county_1", [["case.save", "casework.case", "1"]])
        assert sent == []
    assert sent == [("notifications.tasks.deliver_pending", ()), ("notifications.tasks.deliver_pending", ())]
    publish("rollups.refresh", "county_1", [])  # outside: sent at once again
    assert len(sent) == 3


def test_demo_cases_have_dates_that_agree_and_people_with_names(world):
    call_command("seed_demo")
    today = dt.date.today()
    with schema_context(County.objects.get(slug="enshi").schema_name):
        assert Case.objects.count() >= 241 and not Case.objects.filter(received_on__gt=today).exists()
        for received, due in Case.objects.filter(feedback_due_on__isnull=False).values_list(
                "received_on", "feedback_due_on"):
            assert received <= due and (due - received).days < 120  # no 2022 case due next month
        names = set(Opinion.objects.values_list("constituent_name", flat=True))
        assert len(names) > 200 and not any(name.startswith("村民") for name in names)
        assert Case.objects.values("township").distinct().count() >= 10  # spread over the townships
    deputies = set()
    for county in County.objects.filter(slug__in=["dongkou", "enshi", "haifeng"]):
        with schema_context(county.schema_name):
            deputies.add(Deputy.objects.order_by("pk").values_list("account__name", flat=True).first())
    assert len(deputies) == 3  # each county's demo deputy has a name of their own
