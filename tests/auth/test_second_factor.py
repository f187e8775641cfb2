"""Two-step sign-in: required of county administrators, upper-tier staff and platform operators (an SMS code
on county hosts, or TOTP via django-otp), optional for others; and the staff sessions' timeouts."""

import html
import re
import time
from urllib.parse import unquote

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from access import signin
from access.models import SigninRule
from tests.auth.conftest import last_code
from tests.conftest import ALPHA_HOST, PASSWORD, PLATFORM_HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.SIGNIN_SECOND_FACTOR_REQUIRED = True


def _password(host, account):
    client = Client(HTTP_HOST=host)
    assert client.post("/login/", {"mobile": account.mobile, "password": PASSWORD}).status_code == 302
    return client


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_county_admin_must_pass_an_sms_code(world, required):
    client = _password(ALPHA_HOST, world.admin_a)
    response = client.get("/members/")
    assert response.status_code == 302 and response["Location"] == "/login/verify/"
    assert client.get("/api/v1/memberships/").status_code == 403
    client.post("/login/verify/", {"send_code": "1"})
    assert client.post("/login/verify/", {"token": "999999x"}).status_code == 200
    response = client.post("/login/verify/", {"token": last_code(world.alpha, world.admin_a.mobile,
                                                                   "second_factor")})
    assert response.status_code == 302
    assert client.get("/members/").status_code == 200


def test_a_deputy_needs_no_second_factor_unless_they_enrol(world, required):
    client = _password(ALPHA_HOST, world.deputy_a)
    assert client.get("/").status_code == 200
    page = client.get("/account/totp/")
    assert page.status_code == 200
    # The QR code is a standalone SVG: markup without its namespace draws nothing as an <img> (it did).
    src = re.search(r'<img src="(data:image/svg\+xml[^"]*)"', page.content.decode()).group(1)
    svg = unquote(html.unescape(src).split(",", 1)[1])
    assert re.search(r"xmlns=['\"]http://www.w3.org/2000/svg['\"]", svg) and "<path" in svg
    device = TOTPDevice.objects.get(user=world.deputy_a, confirmed=False)
    assert client.post("/account/totp/", {"token": _token(device)}).status_code == 302
    with tenant_context(world.alpha):
        from audit.models import AuditEntry
        assert AuditEntry.objects.filter(action="auth.otp_enrol", target_id=str(world.deputy_a.pk)).exists()
    # Enrolled: the next sign-in asks for the authenticator's code.
    client = _password(ALPHA_HOST, world.deputy_a)
    assert client.get("/")["Location"] == "/login/verify/"
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert client.post("/login/verify/", {"token": _token(device)}).status_code == 302
    assert client.get("/").status_code == 200
    # A deputy may switch it off again.
    client.post("/account/totp/", {"disable": "1"})
    assert not TOTPDevice.objects.filter(user=world.deputy_a).exists()


def test_platform_staff_enrol_an_authenticator_on_first_sign_in(world, required):
    client = _password(PLATFORM_HOST, world.province_staff)
    assert client.get("/")["Location"] == "/login/verify/"
    assert client.get("/login/verify/")["Location"] == "/account/totp/"
    client.get("/account/totp/")
    device = TOTPDevice.objects.get(user=world.province_staff, confirmed=False)
    assert client.post("/account/totp/", {"token": _token(device)}).status_code == 302
    assert client.get("/").status_code == 200
    # A required second factor cannot be switched off.
    client.post("/account/totp/", {"disable": "1"})
    assert TOTPDevice.objects.filter(user=world.province_staff, confirmed=True).exists()


# --- timeouts -----------------------------------------------------------------------------------------------

def _age(client, **seconds):
    session = client.session
    for key, ago in seconds.items():
        session[key] = time.time() - ago
    session.save()


def test_a_staff_session_ends_after_the_county_idle_minutes(world):
    client = _password(ALPHA_HOST, world.admin_a)
    _age(client, **{signin.LAST_SEEN: 29 * 60})
    assert client.get("/members/").status_code == 200
    _age(client, **{signin.LAST_SEEN: 31 * 60})
    response = client.get("/members/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/members/")["Location"].startswith("/login/")  # signed out for good


def test_the_idle_minutes_are_the_countys_and_deputies_are_not_timed_out_when_idle(world):
    with tenant_context(world.alpha):
        rule = SigninRule.current()
        rule.idle_minutes = 10
        rule.save()
    client = _password(ALPHA_HOST, world.admin_a)
    _age(client, **{signin.LAST_SEEN: 11 * 60})
    assert client.get("/members/").status_code == 302
    deputy = _password(ALPHA_HOST, world.deputy_a)
    _age(deputy, **{signin.LAST_SEEN: 5 * 60 * 60})
    assert deputy.get("/").status_code == 200


def test_every_session_ends_after_the_absolute_timeout(world, settings):
    deputy = _password(ALPHA_HOST, world.deputy_a)
    _age(deputy, **{signin.SIGNED_IN_AT: settings.SESSION_ABSOLUTE_SECONDS + 60})
    assert deputy.get("/me/messages/").status_code == 302
