"""Production hardening: the Content-Security-Policy allows no inline script or style, and the pages carry
none; behind HTTPS (SECURE_COOKIES=true) cookies are secure and HSTS is on."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.conftest import ALPHA_HOST, login

pytestmark = pytest.mark.django_db

# A script without src is inline code, except a data block (json_script's type="application/json"), which the
# browser never runs and CSP does not govern.
INLINE = [re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
          re.compile(r"<style\b", re.I),
          re.compile(r"\sstyle=\"", re.I), re.compile(r"\son[a-z]+=\"", re.I)]


def test_every_response_has_a_csp_without_unsafe_inline(world):
    response = Client(HTTP_HOST=ALPHA_HOST).get("/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def _plain_routes(patterns, prefix="/"):
    """Every page of the county UI that takes no parameter."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if "<" in route:
            continue
        if isinstance(pattern, URLResolver):
            yield from _plain_routes(pattern.url_patterns, route)
        else:
            yield route


PAGES = sorted(set(_plain_routes(get_resolver("frontend.urls").url_patterns)) - {"/logout/"}) + ["/api/v1/docs/"]


@pytest.mark.parametrize("who", [None, "admin_a", "deputy_a"])
def test_pages_carry_no_inline_script_or_style(world, who):
    client = login(ALPHA_HOST, getattr(world, who)) if who else Client(HTTP_HOST=ALPHA_HOST)
    checked = 0
    for path in PAGES:
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for pattern in INLINE:
            assert not pattern.search(html), f"{path}: {pattern.search(html).group(0)}"
        checked += 1
    assert checked >= (30 if who == "admin_a" else 4)


def _settings_with(env: dict) -> dict:
    code = ("import json, django; django.setup(); from django.conf import settings as s; print(json.dumps(["
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS]))")
    result = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
                            timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_turn_on_secure_cookies_and_hsts():
    assert _settings_with({"SECURE_COOKIES": "true"}) == [True, True, 31536000, True]
    assert _settings_with({"SECURE_COOKIES": "false"}) == [False, False, 0, False]
