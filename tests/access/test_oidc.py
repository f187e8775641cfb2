"""Sign-in through the provincial identity provider: a provider the test starts on 127.0.0.1; the account is
found by the mobile in the phone_number claim, must be admitted on the host, and is never created."""

from urllib.parse import urlparse

import pytest
import requests
from django.test import Client

from access.oidc import mobile_from_claim
from tenants.models import Account
from tests.access.oidc_provider import Provider
from tests.conftest import ALPHA_HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    with Provider() as p:
        for name, value in p.settings().items():
            setattr(settings, name, value)
        settings.OIDC_ENABLED = True
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "access.oidc.ProvincialOIDCBackend"]
        yield p


def _sign_in(provider: Provider, claims: dict, host: str = ALPHA_HOST) -> tuple[Client, object]:
    provider.claims = claims
    client = Client(HTTP_HOST=host)
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"].startswith(provider.base + "/authorize")
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlparse(back.headers["Location"])
    assert callback.hostname == host
    return client, client.get(f"{callback.path}?{callback.query}")


def test_the_login_page_offers_the_provider_only_when_configured(world, provider, settings):
    assert "使用省级统一身份认证登录" in Client(HTTP_HOST=ALPHA_HOST).get("/login/").content.decode()
    settings.OIDC_ENABLED = False
    assert "使用省级统一身份认证登录" not in Client(HTTP_HOST=ALPHA_HOST).get("/login/").content.decode()
    assert Client(HTTP_HOST=ALPHA_HOST).get("/oidc/authenticate/").status_code == 404


def test_a_member_signs_in_by_the_mobile_the_provider_vouches_for(world, provider):
    client, response = _sign_in(provider, {"sub": "person-1", "phone_number": "+86 137-0000-0001",
                                           "phone_number_verified": True})
    assert response.status_code == 302 and "oidc=failed" not in response["Location"]
    assert client.get("/api/v1/me/").json()["account"]["mobile"] == world.admin_a.mobile


def test_an_unknown_mobile_creates_no_account(world, provider):
    before = Account.objects.count()
    client, response = _sign_in(provider, {"sub": "x", "phone_number": "13912377999"})
    assert "oidc=failed" in response["Location"]
    assert Account.objects.count() == before
    assert client.get("/api/v1/me/").status_code == 403


def test_a_person_without_a_role_in_this_county_is_refused(world, provider):
    _client, response = _sign_in(provider, {"sub": "x", "phone_number": world.admin_b.mobile})
    assert "oidc=failed" in response["Location"]


def test_an_unverified_number_is_refused(world, provider):
    _client, response = _sign_in(provider, {"sub": "x", "phone_number": world.admin_a.mobile,
                                            "phone_number_verified": False})
    assert "oidc=failed" in response["Location"]


def test_mobiles_in_claims_are_normalised():
    assert mobile_from_claim("+8613800000001") == "13800000001"
    assert mobile_from_claim("0086 138 0000 0001") == "13800000001"
    assert mobile_from_claim("010-12345678") == ""
    assert mobile_from_claim(None) == ""
