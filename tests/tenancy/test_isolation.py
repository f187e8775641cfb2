"""A person of county A can neither log in to county B nor read anything of B's, by UI or API."""

import pytest
from django.test import Client

from access.models import Membership
from tests.conftest import ALPHA_HOST, BETA_HOST, PASSWORD, login

pytestmark = pytest.mark.django_db


def test_admin_logs_in_to_own_county_and_sees_its_name(world):
    client = login(ALPHA_HOST, world.admin_a)
    page = client.get("/")
    assert page.status_code == 200
    assert "甲县" in page.content.decode()
    assert "乙县" not in page.content.decode()


def test_admin_of_a_cannot_log_in_to_b(world):
    client = Client(HTTP_HOST=BETA_HOST)
    response = client.post("/login/", {"mobile": world.admin_a.mobile, "password": PASSWORD})
    assert response.status_code == 200
    assert "手机号码或密码不正确，或您在本站没有账号。" in response.content.decode()
    assert client.get("/api/v1/me/").status_code == 403


def test_session_cookie_of_a_replayed_on_b_authenticates_nobody(world):
    alpha = login(ALPHA_HOST, world.admin_a)
    assert alpha.get("/api/v1/me/").status_code == 200
    replay = Client(HTTP_HOST=BETA_HOST)
    replay.cookies = alpha.cookies
    assert replay.get("/api/v1/me/").status_code == 403
    assert "网上代表联络站" in replay.get("/").content.decode()  # what any visitor gets: the public page
    assert replay.get("/me/messages/").status_code == 302  # to the login page
    assert replay.get("/api/v1/memberships/").status_code == 403


def test_session_of_a_county_does_not_open_the_platform_host(world):
    alpha = login(ALPHA_HOST, world.admin_a)
    replay = Client(HTTP_HOST="localhost")
    replay.cookies = alpha.cookies
    assert replay.get("/api/v1/me/").status_code == 403


def test_api_lists_only_own_county_memberships(world):
    from django_tenants.utils import schema_context

    with schema_context(world.alpha.schema_name):
        expected = set(Membership.objects.values_list("account__mobile", flat=True))
    alpha = login(ALPHA_HOST, world.admin_a)
    rows = alpha.get("/api/v1/memberships/").json()["results"]
    mobiles = {row["account"]["mobile"] for row in rows}
    assert mobiles == expected
    assert world.admin_b.mobile not in mobiles and world.deputy_b.mobile not in mobiles


def test_object_of_b_is_not_found_on_a(world):
    from django_tenants.utils import schema_context

    with schema_context(world.beta.schema_name):
        b_ids = set(Membership.objects.values_list("pk", flat=True))
    with schema_context(world.alpha.schema_name):
        a_ids = set(Membership.objects.values_list("pk", flat=True))
    alpha = login(ALPHA_HOST, world.admin_a)
    for pk in b_ids - a_ids:
        assert alpha.get(f"/api/v1/memberships/{pk}/").status_code == 404
    # Where an id exists in both schemas, A's host answers with A's row, never B's.
    for pk in b_ids & a_ids:
        body = alpha.get(f"/api/v1/memberships/{pk}/").json()
        assert body["account"]["mobile"] != world.admin_b.mobile


def test_unknown_county_host_gets_a_404_page(world):
    response = Client(HTTP_HOST="nosuch.localhost").get("/")
    assert response.status_code == 404
    assert "未找到该站点" in response.content.decode()


def test_host_outside_the_platform_gets_a_404_page(world):
    response = Client(HTTP_HOST="evil.example.com").get("/api/v1/me/")
    assert response.status_code == 404
    assert "未找到该站点" in response.content.decode()


def test_suspended_county_is_not_served(world):
    world.alpha.status = world.alpha.Status.SUSPENDED
    world.alpha.save(update_fields=["status"])
    try:
        assert Client(HTTP_HOST=ALPHA_HOST).get("/login/").status_code == 404
    finally:
        world.alpha.status = world.alpha.Status.ACTIVE


def test_refused_and_missing_pages_answer_in_chinese(world):
    deputy = login(ALPHA_HOST, world.deputy_a)
    refused = deputy.get("/roster/")
    assert refused.status_code == 403 and "没有权限" in refused.content.decode()
    missing = deputy.get("/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
