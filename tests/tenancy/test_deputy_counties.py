"""A province deputy stationed in two counties: one page on the platform host with what is theirs in each."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from casework.services.intake import opinion_receive
from core.levels import Level
from duties.models import DutyKind
from duties.services.records import duty_record_log
from organisation.models import Venue
from people.actors import actor_for
from people.models import Deputy
from people.services.deputies import deputy_create, stationing_add
from reception.models import RotaEntry
from tenants.models import Account, Prefecture, RegionMandate
from tenants.orchestration.deputy_counties import counties_served_by
from tenants.orchestration.provisioning import county_provision
from tests.conftest import ALPHA_HOST, PASSWORD, PLATFORM_HOST, login
from tests.reception.conftest import make_session

pytestmark = pytest.mark.django_db

PAGE = "/me/counties/"


def _serve(county, admin, account, *, tag: str, other_id: int) -> None:
    """Station the account at the county's v1 station, with a reception day on its rota, a duty and a case."""
    with schema_context(county.schema_name):
        actor = actor_for(admin)
        deputy = deputy_create(actor=actor, mobile=account.mobile, name=account.name)
        venue = Venue.objects.get(name__endswith="联络站", name__startswith="东村")
        stationing_add(actor=actor, deputy=deputy, venue=venue, started_on=dt.date(2023, 2, 1))
        session = make_session(venue.pk, timezone.localdate() + dt.timedelta(days=3))
        RotaEntry.objects.create(session=session, deputy=deputy)
        duty_record_log(actor=actor, deputy=deputy, kind=DutyKind.VISIT, occurred_on=dt.date(2026, 3, 2),
                        title=f"走访{tag}养老院", venue=venue)
        opinion_receive(actor=actor, content=f"{tag}的路灯坏了，晚上出行不便", channel="phone", deputy=deputy)
        # another deputy's day, duty and case in the same county: never on this page
        other = Deputy.objects.get(pk=other_id)
        RotaEntry.objects.create(session=make_session(venue.pk, timezone.localdate() + dt.timedelta(days=5)),
                                 deputy=other)
        duty_record_log(actor=actor, deputy=other, kind=DutyKind.VISIT, occurred_on=dt.date(2026, 3, 3),
                        title=f"别人的{tag}走访", venue=venue)
        opinion_receive(actor=actor, content=f"别人收到的{tag}意见", channel="phone", deputy=other)


@pytest.fixture
def province_deputy(world):
    """Stationed in Alpha and Beta (both in the province); Gamma, a third county of the province, does not
    station them."""
    account = Account.objects.create_user("13700000061", "省人大代表", password=PASSWORD)
    RegionMandate.objects.create(account=account, level=Level.PROVINCE, province=world.province, term=14,
                                 started_on=dt.date(2023, 1, 1))
    gamma = county_provision(name="丙县", division_code="990103", slug="gamma", province=world.province,
                             prefecture=world.prefecture, admin_mobile="13700000062", admin_name="丙县管理员")
    _serve(world.alpha, world.admin_a, account, tag="甲县", other_id=world.ids["deputy"])
    _serve(world.beta, world.admin_b, account, tag="乙县", other_id=world.ids["deputy_b"])
    return account, gamma


def test_the_page_shows_both_counties_items_and_nothing_of_a_third(world, province_deputy):
    account, gamma = province_deputy
    client = login(PLATFORM_HOST, account)
    home = client.get("/").content.decode()
    assert PAGE in home and "我服务的县（市、区）" in home

    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "我服务的县（市、区）" in text
    for tag, host in [("甲县", "alpha.localhost"), ("乙县", "beta.localhost")]:
        assert f"走访{tag}养老院" in text and f"{tag}的路灯坏了" in text
        assert f"http://{host}/duty/new/" in text  # 登记履职 in that county
        assert f"http://{host}/reception/" in text
    assert text.count("/duty/new/\"") == 2  # one 登记履职 per county: the deputy picks the county
    assert "别人" not in text
    assert gamma.name not in text and gamma.slug not in text

    served = counties_served_by(account)
    assert [s.county.slug for s in served] == ["alpha", "beta"]
    assert [(s.sessions.total, s.duties.total, s.cases.total) for s in served] == [(1, 1, 1), (1, 1, 1)]


def test_queries_are_bounded_by_the_regions_counties(world, province_deputy):
    account, _ = province_deputy
    with CaptureQueriesContext(connection) as queries:
        served = counties_served_by(account)
    assert len(served) == 2
    # 3 public (mandates, counties, domains) + 2 per county of the province (3) + 3 per county served (2);
    # schema switches add none (django-tenants sets the search_path with the next query).
    assert len([q for q in queries.captured_queries if not q["sql"].upper().startswith("SET")]) <= 3 + 2 * 3 + 3 * 2


def test_others_find_nothing(world, province_deputy, upper):
    account, _ = province_deputy
    # a county deputy's and an outsider's login on the platform host is refused: the page asks them to sign in
    for person in (world.deputy_a, world.outsider):
        client = login(PLATFORM_HOST, None)
        client.post("/login/", {"mobile": person.mobile, "password": PASSWORD})
        response = client.get(PAGE)
        assert response.status_code == 302 and "/login/" in response["Location"]
    # upper-tier staff and operators are signed in, but have no mandate: nothing here
    for person in (world.province_staff, upper["prefecture_staff"], upper["operator"]):
        assert login(PLATFORM_HOST, person).get(PAGE).status_code == 404
        assert PAGE not in login(PLATFORM_HOST, person).get("/").content.decode()
    # on a county's host the page does not exist, even for the deputy (a member there)
    assert login(ALPHA_HOST, account).get(PAGE).status_code == 404
    assert login(PLATFORM_HOST, None).get(PAGE).status_code == 302


def test_a_mandate_no_longer_serving_closes_the_page(world, province_deputy):
    account, _ = province_deputy
    client = login(PLATFORM_HOST, account)
    RegionMandate.objects.filter(account=account).update(status="resigned")
    assert client.get(PAGE).status_code == 302  # no longer admitted on the platform host


def test_the_deputy_reads_nothing_else_on_the_platform_host(world, province_deputy):
    """Admitted on the platform host for this page only: the upper tiers' pages and API give them nothing."""
    account, _ = province_deputy
    client = login(PLATFORM_HOST, account)
    for path in ("/dashboard/", "/dashboard/report/", "/audit/"):
        response = client.get(path)
        assert response.status_code in (403, 404), (path, response.status_code)
    # the lists of the upper tiers hold what the account reaches: for a deputy, nothing
    for path in ("/api/v1/counties/", "/api/v1/escalations/", "/api/v1/figures/"):
        response = client.get(path)
        assert response.status_code in (403, 404) or response.json()["count"] == 0, (path, response.content[:200])
    assert client.get("/inbox/").status_code in (200, 404)


def test_only_the_mandates_region_is_asked(world, province_deputy):
    """With only a mandate of another prefecture, the counties of this one are not read, deputy rows or not."""
    account, _ = province_deputy
    other = Prefecture.objects.create(name="测试三州", division_code="990300", province=world.province)
    RegionMandate.objects.filter(account=account).update(level=Level.PREFECTURE, prefecture=other)
    assert counties_served_by(account) == []
    assert login(PLATFORM_HOST, account).get(PAGE).content.decode().count("served-county") == 0
