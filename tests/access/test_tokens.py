"""API tokens: one county, one role, shown once, revocable, audited."""

import pytest
from django.test import Client

from access.models import ApiToken, Membership, Role
from audit.models import AuditEntry
from tests.conftest import ALPHA_HOST, BETA_HOST

pytestmark = pytest.mark.django_db


def _make(as_, **body) -> dict:
    response = as_("admin_a").post("/api/v1/tokens/", {"name": "统计系统", "role": "county_admin", **body},
                                   content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def _api(host: str, key: str) -> Client:
    return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Token {key}")


def test_the_key_is_shown_once_and_kept_only_as_a_hash(world, as_, alpha):
    made = _make(as_)
    assert made["key"].startswith("jz_")
    listed = as_("admin_a").get(f"/api/v1/tokens/{made['id']}/").json()
    assert "key" not in listed and listed["prefix"] == made["key"][:10]
    with alpha():
        token = ApiToken.objects.get(pk=made["id"])
        assert made["key"] not in (token.key_hash, token.prefix)
        assert AuditEntry.objects.filter(action="token.create", target_id=str(token.pk)).exists()


def test_a_token_works_on_its_own_county_only(world, as_):
    key = _make(as_)["key"]
    assert _api(ALPHA_HOST, key).get("/api/v1/townships/").status_code == 200
    assert _api(BETA_HOST, key).get("/api/v1/townships/").status_code in (401, 403)
    assert _api("localhost", key).get("/api/v1/counties/").status_code in (401, 403)


def test_a_token_acts_with_its_role_only(world, as_, alpha):
    """The deputy's token of an account that is also the county administrator cannot read the audit."""
    with alpha():
        Membership.objects.create(account=world.admin_a, role=Role.DEPUTY)
    key = _make(as_, role="deputy")["key"]
    assert _api(ALPHA_HOST, key).get("/api/v1/audit/").status_code == 403
    admin_key = _make(as_)["key"]
    assert _api(ALPHA_HOST, admin_key).get("/api/v1/audit/").status_code == 200
    # Who am I, and whose memberships: the token's role, not every role of its account.
    assert _api(ALPHA_HOST, key).get("/api/v1/me/").json()["roles"] == ["deputy"]
    own = _api(ALPHA_HOST, key).get("/api/v1/memberships/").json()
    rows = own["results"] if isinstance(own, dict) else own
    assert {row["account"]["id"] for row in rows} == {world.admin_a.pk}
    everyone = _api(ALPHA_HOST, admin_key).get("/api/v1/memberships/").json()
    assert len(everyone["results"] if isinstance(everyone, dict) else everyone) > len(rows)


def test_a_role_the_account_does_not_hold_is_refused(world, as_):
    response = as_("admin_a").post("/api/v1/tokens/", {"name": "x", "role": "handling_unit"},
                                   content_type="application/json")
    assert response.status_code == 400 and "role" in response.json()


def test_a_revoked_token_is_refused_and_the_revocation_audited(world, as_, alpha):
    made = _make(as_)
    client = _api(ALPHA_HOST, made["key"])
    assert client.get("/api/v1/townships/").status_code == 200
    assert as_("admin_a").post(f"/api/v1/tokens/{made['id']}/revoke/").json()["is_active"] is False
    assert client.get("/api/v1/townships/").status_code in (401, 403)
    with alpha():
        assert AuditEntry.objects.filter(action="token.revoke", target_id=str(made["id"])).exists()


def test_a_token_stops_when_its_role_is_taken_away(world, as_, alpha):
    with alpha():
        Membership.objects.create(account=world.admin_a, role=Role.OPINION_OBSERVER)
    key = _make(as_, role="opinion_observer")["key"]
    with alpha():
        Membership.objects.filter(account=world.admin_a, role=Role.OPINION_OBSERVER).update(is_active=False)
    assert _api(ALPHA_HOST, key).get("/api/v1/townships/").status_code in (401, 403)


def test_a_wrong_key_is_refused():
    assert _api(ALPHA_HOST, "jz_nothing").get("/api/v1/townships/").status_code in (401, 403)


def test_the_page_shows_the_new_key_once(world, as_):
    client = as_("admin_a")
    response = client.post("/tokens/", {"name": "页面令牌", "role": "county_admin", "mobile": ""})
    text = response.content.decode()
    assert "请立即复制保存" in text and "jz_" in text
    assert "请立即复制保存" not in client.get("/tokens/").content.decode()
