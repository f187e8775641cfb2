"""One-time SMS codes for getting in (first login, forgotten password, the SMS second factor).

The design of the public form's codes (casework.services.public), kept in the cache (tenant-keyed): a code
lives CODE_SECONDS; CODE_ATTEMPTS wrong guesses drop it; sending is throttled per mobile and per client
address. Unlike those, only a hash of the code is stored, and the purpose is part of the key, so a code
sent for a password reset cannot pass a second-factor check.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from core.throttle import require_cache, throttle
from notifications.services import Outgoing, messages_enqueue

CODE_SECONDS = 600
CODE_ATTEMPTS = 5
SENDS_PER_HOUR = 5  # to one mobile, and from one address

PURPOSES = {
    "login": _("登录"),
    "reset": _("找回密码"),
    "second_factor": _("两步验证"),
}


def _key(purpose: str, mobile: str) -> str:
    return f"access:code:{purpose}:{mobile}"


def _digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def code_send(*, purpose: str, mobile: str, address: str) -> None:
    """Send a fresh code to `mobile` through the outbox (a new code replaces any earlier one). With the cache
    down no code could be checked: refused ("服务暂时不可用") rather than sent in vain."""
    require_cache()
    message = _("获取验证码太频繁，请一小时后再试。")
    throttle(f"access:code-from:{address}", limit=SENDS_PER_HOUR, seconds=3600, message=message)
    throttle(f"access:code-to:{mobile}", limit=SENDS_PER_HOUR, seconds=3600, message=message)
    code = f"{secrets.randbelow(1_000_000):06d}"
    cache.set(_key(purpose, mobile), {"digest": _digest(code), "failures": 0, "until": time.time() + CODE_SECONDS},
              timeout=CODE_SECONDS)
    body = _("【家站】您的%(purpose)s验证码为%(code)s，10分钟内有效。请勿告诉他人。") % {
        "purpose": PURPOSES[purpose], "code": code}
    messages_enqueue([Outgoing(dedupe_key=f"access:code:{purpose}:{mobile}:{secrets.token_hex(8)}",
                               kind=f"access.code.{purpose}", body=body, mobile=mobile)])


def code_check(*, purpose: str, mobile: str, code: str) -> bool:
    """True once for the right code (it is used up); after CODE_ATTEMPTS wrong guesses the code is gone."""
    key = _key(purpose, mobile)
    entry = cache.get(key)
    if not entry:
        return False
    if hmac.compare_digest(entry["digest"], _digest((code or "").strip())):
        cache.delete(key)
        return True
    entry["failures"] += 1
    if entry["failures"] >= CODE_ATTEMPTS:
        cache.delete(key)
    else:
        cache.set(key, entry, timeout=max(1, int(entry["until"] - time.time())))
    return False
