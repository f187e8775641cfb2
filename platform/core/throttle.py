"""Fixed-window counters in the cache for every throttle (the public form, SMS codes, sign-in).

Keys go through django-tenants' make_key (settings.CACHES), so each county counts its own. Count by
core.http.client_address(request), never by a header a client can write.

With Redis down (the cache ignores its errors: DJANGO_REDIS_IGNORE_EXCEPTIONS) a throttle fails open with a
log line: the public form and staff writes go on working, unthrottled until Redis returns. What cannot work
without the cache (one-time SMS codes) asks `cache_available()` and refuses in Chinese instead.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

UNAVAILABLE = _("服务暂时不可用，请稍后再试。")


class Throttled(ValidationError):
    pass


def throttle_count(key: str, *, seconds: int) -> int:
    """One more hit on `key`; the hits within the window (which starts at the first hit). 0 when the cache
    is down (fail open)."""
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1
    if count is None:  # the cache swallowed a connection error
        log.warning("cache unavailable: throttle %s not counted (failing open)", key)
        return 0
    return int(count)


def throttle(key: str, *, limit: int, seconds: int, message: str) -> None:
    """Count one more hit; past `limit` within the window, refuse with `message` (Throttled)."""
    if throttle_count(key, seconds=seconds) > limit:
        raise Throttled(message)


def throttle_exceeded(key: str, *, limit: int) -> bool:
    """Whether `key` is already past `limit`, without counting a hit."""
    return (cache.get(key) or 0) >= limit


class Unavailable(ValidationError):
    """What needs the cache (one-time codes) while it is down: a Chinese refusal, never a 500."""


def cache_available() -> bool:
    """Whether the cache takes a write now (django-redis answers None instead of raising when it is down)."""
    return bool(cache.set("core:cache-probe", 1, timeout=5))


def require_cache() -> None:
    if not cache_available():
        log.warning("cache unavailable: refusing an action that needs it")
        raise Unavailable(str(UNAVAILABLE))
