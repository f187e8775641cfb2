"""The county administrator gives people roles with their scope and takes them away: through the
service, the API (/api/v1/memberships/) and the page (成员与权限)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from access.models import Membership, Role
from access.services import membership_grant_by_admin, membership_revoke_by_admin
from audit.models import AuditEntry
from core.xlsx import xlsx_rows
from organisation.models import HandlingUnit, Township, Venue
from people.actors import actor_for
from tenants.models import Account
from tests.api.matrix import ACTORS
from tests.conftest import ALPHA_HOST, BETA_HOST, PASSWORD, login

pytestmark = pytest.mark.django_db

NEW = "13912355001"


def _can_log_in(mobile: str, host: str = ALPHA_HOST) -> bool:
    from django.test import Client

    response = Client(HTTP_HOST=host).post("/login/", {"mobile": mobile, "password": PASSWORD})
    return response.status_code == 302


def _with_password(mobile: str) -> Account:
    account = Account.objects.get(mobile=mobile)
    account.set_password(PASSWORD)
    account.save()
    return account


def _memberships_of(world, mobile: str) -> list[tuple]:
    with tenant_context(world.alpha):
        return list(Membership.objects.filter(account__mobile=mobile)
                    .values_list("role", "township_id", "venue_id", "handling_unit_id", "position", "is_active"))


def _membership_of(world, account: Account, role: str) -> int:
    with tenant_context(world.alpha):
        return Membership.objects.get(account_id=account.pk, role=role).pk


# --- the API -------------------------------------------------------------------------------------------

def test_admin_grants_township_staff_who_then_sees_their_township(world):
    admin = login(ALPHA_HOST, world.admin_a)
    response = admin.post("/api/v1/memberships/", {"mobile": NEW, "name": "西乡主席团", "role": "township_staff",
                                                   "township": world.ids["west"]}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["township"] == world.ids["west"]
    assert response.json()["account"]["name"] == "西乡主席团"
    assert _memberships_of(world, NEW) == [("township_staff", world.ids["west"], None, None, "", True)]
    with tenant_context(world.alpha):
        assert AuditEntry.objects.filter(action="membership.grant", actor_id=world.admin_a.pk).exists()
    # The new account has no password yet; once it has one, its holder logs in and works in the west only.
    assert Account.objects.get(mobile=NEW).has_usable_password() is False
    staff = login(ALPHA_HOST, _with_password(NEW))
    assert staff.get(f"/organisation/townships/{world.ids['west']}/edit/").status_code == 200
    assert staff.get(f"/organisation/townships/{world.ids['east']}/edit/").status_code in (403, 404)
    assert not _can_log_in(NEW, BETA_HOST)


def test_admin_grants_station_staff_with_venue_and_position(world):
    admin = login(ALPHA_HOST, world.admin_a)
    response = admin.post("/api/v1/memberships/", {"mobile": NEW, "name": "东村站长", "role": "station_staff",
                                                   "venue": world.ids["v1"], "position": "head"},
                          content_type="application/json")
    assert response.status_code == 201, response.content
    assert _memberships_of(world, NEW) == [("station_staff", None, world.ids["v1"], None, "head", True)]
    with tenant_context(world.alpha):
        actor = actor_for(Account.objects.get(mobile=NEW))
    assert actor.venue_ids == {world.ids["v1"]} and actor.venue_township_ids == {world.ids["east"]}


def test_admin_grants_handling_unit_to_an_existing_account(world):
    admin = login(ALPHA_HOST, world.admin_a)
    response = admin.post("/api/v1/memberships/", {"mobile": world.outsider.mobile, "name": "",
                                                   "role": "handling_unit", "handling_unit": world.ids["unit"]},
                          content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["account"]["id"] == world.outsider.pk  # found by mobile, not made again
    assert _memberships_of(world, world.outsider.mobile) == [("handling_unit", None, None, world.ids["unit"], "",
                                                              True)]
    assert _can_log_in(world.outsider.mobile)


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"role": "township_staff"}, "township", "该角色须指定乡镇。"),
    ({"role": "station_staff", "township": "east"}, "township", "该角色不能指定乡镇。"),
    ({"role": "handling_unit", "venue": "v1"}, "venue", "该角色不能指定站点。"),
    ({"role": "opinion_observer", "position": "head"}, "position", "只有联络站工作人员可以设站内职务。"),
    ({"role": "nobody"}, "role", "角色无效。"),
    ({"role": "opinion_observer", "mobile": "12345"}, "mobile", "请输入11位中国大陆手机号码。"),
    ({"role": "opinion_observer", "name": ""}, "name", "新成员须填写姓名。"),
])
def test_wrong_scope_for_the_role_is_refused_in_chinese_and_nothing_is_saved(world, body, field, message):
    admin = login(ALPHA_HOST, world.admin_a)
    data = {"mobile": NEW, "name": "新人", **body}
    for key in ("township", "venue"):
        if key in data:
            data[key] = world.ids[data[key]]
    with tenant_context(world.alpha):
        audits = AuditEntry.objects.count()
    response = admin.post("/api/v1/memberships/", data, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Account.objects.filter(mobile=data["mobile"]).exists()
    with tenant_context(world.alpha):
        assert AuditEntry.objects.count() == audits


def test_ended_township_closed_venue_and_inactive_unit_are_refused(world):
    with tenant_context(world.alpha):
        import datetime as dt

        Township.objects.filter(pk=world.ids["west"]).update(ended_on=dt.date(2025, 1, 1))
        Venue.objects.filter(pk=world.ids["v1"]).update(status=Venue.Status.CLOSED)
        HandlingUnit.objects.filter(pk=world.ids["unit"]).update(is_active=False)
        actor = actor_for(world.admin_a)
        cases = [("township_staff", {"township": Township.objects.get(pk=world.ids["west"])}, "已经撤销"),
                 ("station_staff", {"venue": Venue.objects.get(pk=world.ids["v1"])}, "已经关闭"),
                 ("handling_unit", {"handling_unit": HandlingUnit.objects.get(pk=world.ids["unit"])}, "已经停用")]
        for role, scope, message in cases:
            with pytest.raises(ValidationError) as caught:
                membership_grant_by_admin(actor=actor, mobile=NEW, name="新人", role=role, **scope)
            assert message in str(caught.value.message_dict)
        assert not Membership.objects.filter(account__mobile=NEW).exists()
    assert not Account.objects.filter(mobile=NEW).exists()


@pytest.mark.parametrize("actor", ["township_staff_a", "station_staff_a", "deputy_a", "unit_a"])
def test_other_members_may_not_grant(world, actor):
    client = login(ALPHA_HOST, getattr(world, actor))
    response = client.post("/api/v1/memberships/", {"mobile": NEW, "name": "新人", "role": "county_admin"},
                           content_type="application/json")
    assert response.status_code == 403
    assert not Account.objects.filter(mobile=NEW).exists()
    with tenant_context(world.alpha), pytest.raises(PermissionDenied):
        membership_grant_by_admin(actor=actor_for(getattr(world, actor)), mobile=NEW, name="新人",
                                  role="county_admin")


def test_revoke_ends_the_role_and_the_login(world):
    admin = login(ALPHA_HOST, world.admin_a)
    pk = _membership_of(world, world.unit_a, Role.HANDLING_UNIT)
    assert _can_log_in(world.unit_a.mobile)
    response = admin.post(f"/api/v1/memberships/{pk}/revoke/")
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert not _can_log_in(world.unit_a.mobile)
    with tenant_context(world.alpha):
        assert AuditEntry.objects.filter(action="membership.revoke", target_id=str(pk)).exists()


def test_revoking_one_of_two_roles_keeps_the_login(world):
    admin = login(ALPHA_HOST, world.admin_a)
    admin.post("/api/v1/memberships/", {"mobile": world.unit_a.mobile, "role": "opinion_observer"},
               content_type="application/json")
    pk = _membership_of(world, world.unit_a, Role.HANDLING_UNIT)
    assert admin.post(f"/api/v1/memberships/{pk}/revoke/").status_code == 200
    assert _can_log_in(world.unit_a.mobile)


# Who may revoke station_staff_a's membership: the administrator; its holder sees it but may not (403);
# other members do not see it (404); nobody from elsewhere gets in (403).
REVOKE = {"admin_a": 200, "station_staff_a": 403, "township_staff_a": 404, "deputy_a": 404, "unit_a": 404,
          "admin_b": 403, "province_staff": 403, "outsider": 403, "anonymous": 403}


@pytest.mark.parametrize("actor", ACTORS)
def test_revoke_of_a_real_membership_by_every_actor(world, actor):
    pk = _membership_of(world, world.station_staff_a, Role.STATION_STAFF)
    client = login(ALPHA_HOST, getattr(world, actor)) if actor in ACTORS[:5] else _outside_client(world, actor)
    assert client.post(f"/api/v1/memberships/{pk}/revoke/").status_code == REVOKE[actor]
    still_active = _memberships_of(world, world.station_staff_a.mobile)[0][-1]
    assert still_active is (actor != "admin_a")


def _outside_client(world, actor):
    from django.test import Client

    client = Client(HTTP_HOST=ALPHA_HOST)
    if actor != "anonymous":
        client.post("/login/", {"mobile": getattr(world, actor).mobile, "password": PASSWORD})
    return client


def test_the_last_county_admin_cannot_be_revoked(world):
    admin = login(ALPHA_HOST, world.admin_a)
    pk = _membership_of(world, world.admin_a, Role.COUNTY_ADMIN)
    response = admin.post(f"/api/v1/memberships/{pk}/revoke/")
    assert response.status_code == 400
    assert "不能撤销最后一名县人大常委会管理员。" in response.json()["non_field_errors"]
    assert _memberships_of(world, world.admin_a.mobile)[0][-1] is True
    # With a second administrator, the first may go.
    assert admin.post("/api/v1/memberships/", {"mobile": NEW, "name": "第二管理员", "role": "county_admin"},
                      content_type="application/json").status_code == 201
    assert admin.post(f"/api/v1/memberships/{pk}/revoke/").status_code == 200
    with tenant_context(world.alpha):
        second = Membership.objects.get(account__mobile=NEW, role=Role.COUNTY_ADMIN)
        with pytest.raises(ValidationError):
            membership_revoke_by_admin(actor=actor_for(Account.objects.get(mobile=NEW)), membership=second)


def test_another_countys_admin_cannot_see_or_touch_alphas_memberships(world):
    pk = _membership_of(world, world.station_staff_a, Role.STATION_STAFF)
    beta = login(BETA_HOST, world.admin_b)
    mobiles = {row["account"]["mobile"] for row in beta.get("/api/v1/memberships/?page_size=500").json()["results"]}
    assert world.station_staff_a.mobile not in mobiles and world.admin_b.mobile in mobiles
    # The same id on Beta's host names Beta's row, if any: never Alpha's.
    same_id = beta.get(f"/api/v1/memberships/{pk}/")
    assert same_id.status_code == 404 or same_id.json()["account"]["mobile"] != world.station_staff_a.mobile
    beta.post(f"/api/v1/memberships/{pk}/revoke/")
    assert _memberships_of(world, world.station_staff_a.mobile)[0][-1] is True
    # Granting on Beta's host gives a role in Beta, not in Alpha.
    beta.post("/api/v1/memberships/", {"mobile": NEW, "name": "乙县观察员", "role": "opinion_observer"},
              content_type="application/json")
    assert _memberships_of(world, NEW) == []
    # And on Alpha's own host, Beta's administrator is nobody.
    assert not _can_log_in(world.admin_b.mobile)
    assert _outside_client(world, "admin_b").get("/api/v1/memberships/").status_code == 403


def test_role_filter_in_the_api(world):
    admin = login(ALPHA_HOST, world.admin_a)
    rows = admin.get("/api/v1/memberships/?role=station_staff").json()["results"]
    assert [(row["account"]["mobile"], row["venue"], row["position"]) for row in rows] == [
        (world.station_staff_a.mobile, world.ids["v2"], "liaison_officer")]


# --- the page ------------------------------------------------------------------------------------------

def test_page_grants_station_staff_and_lists_it(world):
    admin = login(ALPHA_HOST, world.admin_a)
    response = admin.post("/members/grant/", {"mobile": NEW, "name": "东村联络员", "role": "station_staff",
                                              "venue": world.ids["v1"], "position": "liaison_officer"})
    assert response.status_code == 302
    page = admin.get("/members/?role=station_staff").content.decode()
    assert "东村联络员" in page and "东村联络站" in page and "联络员" in page
    assert "西村站联络员" in page
    assert "东镇主席团" not in page


def test_page_shows_scope_errors_in_chinese_and_saves_nothing(world):
    admin = login(ALPHA_HOST, world.admin_a)
    response = admin.post("/members/grant/", {"mobile": NEW, "name": "新人", "role": "station_staff",
                                              "township": world.ids["east"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "该角色须指定站点。" in page and "该角色不能指定乡镇。" in page
    assert not Account.objects.filter(mobile=NEW).exists()


def test_grant_form_offers_only_current_townships_open_venues_and_active_units(world):
    with tenant_context(world.alpha):
        import datetime as dt

        Township.objects.filter(pk=world.ids["west"]).update(ended_on=dt.date(2025, 1, 1))
        Venue.objects.filter(pk=world.ids["v1"]).update(status=Venue.Status.CLOSED)
        HandlingUnit.objects.filter(pk=world.ids["unit"]).update(is_active=False)
    page = login(ALPHA_HOST, world.admin_a).get("/members/grant/").content.decode()
    assert f'value="{world.ids["east"]}"' in page and f'value="{world.ids["west"]}"' not in page
    assert f'value="{world.ids["home"]}"' in page and f'value="{world.ids["v1"]}"' not in page
    assert "住建局" not in page


@pytest.mark.parametrize("actor", ["township_staff_a", "station_staff_a", "deputy_a", "unit_a"])
def test_pages_are_the_administrators_only(world, actor):
    client = login(ALPHA_HOST, getattr(world, actor))
    pk = _membership_of(world, world.unit_a, Role.HANDLING_UNIT)
    assert client.get("/members/").status_code == 403
    assert client.post("/members/grant/", {"mobile": NEW, "name": "新人", "role": "county_admin"}).status_code == 403
    assert client.post(f"/members/{pk}/revoke/").status_code == 403
    assert not Account.objects.filter(mobile=NEW).exists()
    assert _can_log_in(world.unit_a.mobile)
    assert "成员与权限" not in client.get("/").content.decode()
    assert "成员与权限" in login(ALPHA_HOST, world.admin_a).get("/").content.decode()


def test_page_revoke_asks_first_then_revokes(world):
    admin = login(ALPHA_HOST, world.admin_a)
    pk = _membership_of(world, world.unit_a, Role.HANDLING_UNIT)
    confirm = admin.get(f"/members/{pk}/revoke/")
    assert confirm.status_code == 200 and "确定撤销" in confirm.content.decode()
    assert _can_log_in(world.unit_a.mobile)  # asking changed nothing
    assert admin.post(f"/members/{pk}/revoke/").status_code == 302
    assert not _can_log_in(world.unit_a.mobile)
    assert admin.get(f"/members/{pk}/revoke/").status_code == 404  # nothing left to revoke


def test_page_refuses_to_revoke_the_last_admin(world):
    admin = login(ALPHA_HOST, world.admin_a)
    pk = _membership_of(world, world.admin_a, Role.COUNTY_ADMIN)
    response = admin.post(f"/members/{pk}/revoke/")
    assert response.status_code == 400
    assert "不能撤销最后一名县人大常委会管理员。" in response.content.decode()


def test_other_countys_admin_gets_nothing_from_alphas_pages(world):
    pk = _membership_of(world, world.unit_a, Role.HANDLING_UNIT)
    beta = login(BETA_HOST, world.admin_b)
    beta.post(f"/members/{pk}/revoke/")  # the id on Beta's host names Beta's row, if any
    assert "住建局承办人" not in beta.get("/members/").content.decode()
    assert "乙县住建局" in beta.get("/members/grant/").content.decode()  # Beta's own unit, not Alpha's
    assert "甲县住建局" not in beta.get("/members/grant/").content.decode()
    assert _can_log_in(world.unit_a.mobile)


def test_list_filters_searches_and_exports(world):
    admin = login(ALPHA_HOST, world.admin_a)
    page = admin.get("/members/?q=0042").content.decode()
    assert "西村站联络员" in page and "东镇主席团" not in page
    page = admin.get("/members/?q=主席团").content.decode()
    assert "东镇主席团" in page and "西村站联络员" not in page
    response = admin.get("/members/?role=township_staff&export=xlsx")
    headers, rows = xlsx_rows(response.content)
    assert headers == ["姓名", "手机号码", "角色", "范围", "站内职务", "状态"]
    assert [values[:4] for _n, values in rows] == [["东镇主席团", world.township_staff_a.mobile,
                                                    "乡镇人大主席团工作人员", "东镇"]]


def test_list_runs_a_constant_number_of_queries(world):
    with tenant_context(world.alpha):
        actor = actor_for(world.admin_a)
        venues = list(Venue.objects.all())
        townships = list(Township.objects.current())
        for n in range(200):
            role = [Role.TOWNSHIP_STAFF, Role.STATION_STAFF, Role.OPINION_OBSERVER][n % 3]
            scope = ({"township": townships[n % len(townships)]} if role == Role.TOWNSHIP_STAFF else
                     {"venue": venues[n % len(venues)], "position": "liaison_officer"}
                     if role == Role.STATION_STAFF else {})
            membership_grant_by_admin(actor=actor, mobile=f"139200{n:05d}", name=f"成员{n}", role=role, **scope)
    admin = login(ALPHA_HOST, world.admin_a)
    counts = []
    for url in ("/members/", "/members/?page=2", "/members/?role=station_staff"):
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(url).status_code == 200
        counts.append(len(queries))
    assert max(counts) <= 10, counts
    assert "成员" in admin.get("/members/?page=4").content.decode()
