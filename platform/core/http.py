"""Who is at the other end of a request: the one client address every throttle and the login lockout count.

A proxy header (X-Forwarded-For, X-Real-IP) is anyone's to write. It is believed only when the direct
peer (REMOTE_ADDR) is one of settings.TRUSTED_PROXIES (addresses or CIDRs; empty, the default: never).
Behind trusted proxies, X-Forwarded-For is read from the right, skipping the proxies' own addresses, so a
client that sends its own X-Forwarded-For cannot choose the address it is counted under.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _ip(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """The client's address: the socket's peer, or what trusted proxies say the client was."""
    peer = _ip(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return "unknown"
    networks = trusted_networks()
    if not _trusted(peer, networks):
        return str(peer)
    forwarded = [_ip(part) for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if hop is None:
            break  # garbage in the chain: believe nothing left of it
        if not _trusted(hop, networks):
            return str(hop)
    real = _ip(request.META.get("HTTP_X_REAL_IP"))
    if real is not None and not forwarded:
        return str(real)
    return str(peer)


def site_url(host: str, path: str = "/") -> str:
    """An absolute address on one of the platform's hosts (a county's domain or the platform's), for links
    that leave the current host: in an SMS, or from the platform host to a county's page."""
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{scheme}://{host}{port}{path}"
