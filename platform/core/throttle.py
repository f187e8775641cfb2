"""Fixed-window counters in the cache for every throttle (the public form, SMS codes, sign-in).

Keys go through django-tenants' make_key (settings.CACHES), so each county counts its own. Count by
core.http.client_address(request), never by a header a client can write.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError


class Throttled(ValidationError):
    pass


def throttle_count(key: str, *, seconds: int) -> int:
    """One more hit on `key`; the hits within the window (which starts at the first hit)."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def throttle(key: str, *, limit: int, seconds: int, message: str) -> None:
    """Count one more hit; past `limit` within the window, refuse with `message` (Throttled)."""
    if throttle_count(key, seconds=seconds) > limit:
        raise Throttled(message)


def throttle_exceeded(key: str, *, limit: int) -> bool:
    """Whether `key` is already past `limit`, without counting a hit."""
    return (cache.get(key) or 0) >= limit
