"""The client address comes from a proxy header only when the direct peer is a trusted proxy."""

import pytest
from django.test import RequestFactory

from core.http import client_address

rf = RequestFactory()


def _request(peer: str, **headers):
    return rf.get("/", REMOTE_ADDR=peer, **headers)


def test_headers_from_an_untrusted_peer_are_ignored(settings):
    settings.TRUSTED_PROXIES = []
    request = _request("203.0.113.7", HTTP_X_REAL_IP="10.9.9.9", HTTP_X_FORWARDED_FOR="10.8.8.8")
    assert client_address(request) == "203.0.113.7"


def test_a_trusted_proxy_names_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.0.0.5", HTTP_X_REAL_IP="198.51.100.4")) == "198.51.100.4"
    # nginx appends the peer it saw; whatever the client wrote further left is not believed.
    request = _request("10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.4", HTTP_X_REAL_IP="198.51.100.4")
    assert client_address(request) == "198.51.100.4"


def test_forwarded_chain_skips_every_trusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "10.0.0.6"]
    request = _request("10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.4, 10.0.0.6")
    assert client_address(request) == "198.51.100.4"


def test_garbage_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.0.0.5", HTTP_X_REAL_IP="not-an-ip")) == "10.0.0.5"
    assert client_address(_request("10.0.0.5", HTTP_X_FORWARDED_FOR="junk")) == "10.0.0.5"


def test_bad_trusted_proxies_setting_stops_start_up():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"],
                            env={**__import__("os").environ, "TRUSTED_PROXIES": "10.0.0.0/99",
                                 "DJANGO_SETTINGS_MODULE": "config.settings"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "TRUSTED_PROXIES" in result.stderr


@pytest.mark.django_db
def test_public_form_throttle_ignores_a_spoofed_x_real_ip(world, settings):
    """Five submissions an hour from one address; a new X-Real-IP per request from the same untrusted peer
    does not make a new address."""
    from django.core.cache import cache
    from django.test import Client

    settings.TRUSTED_PROXIES = []
    peer = "192.0.2.77"
    cache.delete(f"casework:throttle:submit:{peer}")
    client = Client(HTTP_HOST="alpha.localhost")
    for n in range(5):
        response = client.post("/online/", {"content": f"问题{n}", "privacy_consent": "on"},
                               REMOTE_ADDR=peer, HTTP_X_REAL_IP=f"10.1.1.{n}")
        assert response.status_code == 200
    response = client.post("/online/", {"content": "再一个", "privacy_consent": "on"},
                           REMOTE_ADDR=peer, HTTP_X_REAL_IP="10.1.1.99")
    assert response.status_code == 429
    cache.delete(f"casework:throttle:submit:{peer}")
