"""The public online form on the county host: no login, an optional mobile number confirmed by an SMS code
(through the outbox), a tracking code; floods from one address are throttled (the cache, tenant-keyed)."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import ANONYMOUS
from audit.services import audit_record
from core.throttle import (
    Throttled,  # noqa: F401  (re-exported: the form answers 429 on it)
    require_cache,
)
from core.throttle import throttle as core_throttle
from notifications.services import Outgoing, messages_enqueue
from organisation.models import Venue, Village
from people.models import Deputy

from ..models import Channel, Opinion, OpinionCategory
from ..privacy import CONSENT_REQUIRED, NOTICE_VERSION
from .intake import _check, _clean_mobile, _new_case, _venue_of
from .kiosks import throttle_key

SUBMISSIONS_PER_HOUR = 5
CODES_PER_HOUR = 3
CODE_SECONDS = 600
CODE_ATTEMPTS = 5


def throttle(*, kind: str, address: str, limit: int, seconds: int = 3600) -> None:
    """Count one more `kind` from `address` (core.http.client_address); refuse past `limit` within the hour."""
    core_throttle(f"casework:throttle:{kind}:{address}", limit=limit, seconds=seconds,
                  message=_("您提交得太频繁了，请一小时后再试。如有急事，请拨打联络站电话。"))


def verification_send(*, mobile: str, address: str, kiosk_venue: int | None = None) -> None:
    """`kiosk_venue`: the station of a registered screen (casework.services.kiosks), whose allowance counts."""
    mobile = _clean_mobile(mobile)
    if not mobile:
        raise ValidationError({"constituent_mobile": _("请输入手机号码。")})
    require_cache()  # a code that cannot be kept cannot be checked: "服务暂时不可用", not a code sent in vain
    key, limit = throttle_key(address, kiosk_venue)
    throttle(kind="code", address=key, limit=limit or CODES_PER_HOUR)
    throttle(kind="code-to", address=mobile, limit=CODES_PER_HOUR)  # nor one number flooded from many addresses
    code = f"{secrets.randbelow(1_000_000):06d}"
    cache.set(f"casework:code:{mobile}", code, timeout=CODE_SECONDS)
    cache.delete(f"casework:codefail:{mobile}")
    messages_enqueue([Outgoing(dedupe_key=f"casework:verify:{mobile}:{secrets.token_hex(8)}", kind="casework.verify",
                               mobile=mobile, body=_("您的验证码为%(code)s，10分钟内有效。") % {"code": code})])


def verification_ok(*, mobile: str, code: str) -> bool:
    """The code sent to `mobile`. After CODE_ATTEMPTS wrong guesses the code is gone: a new one must be sent
    (and sending is throttled), so a million guesses are not ten minutes' work."""
    expected = cache.get(f"casework:code:{mobile}")
    if expected and secrets.compare_digest(expected, (code or "").strip()):
        return True
    if expected:
        failures_key = f"casework:codefail:{mobile}"
        cache.add(failures_key, 0, timeout=CODE_SECONDS)
        try:
            failures = cache.incr(failures_key) or CODE_ATTEMPTS  # None: the cache went down meanwhile
        except ValueError:
            failures = CODE_ATTEMPTS
        if failures >= CODE_ATTEMPTS:
            cache.delete(f"casework:code:{mobile}")
    return False


@transaction.atomic
def opinion_submit_online(*, content: str, address: str, category: OpinionCategory | None = None,
                          village: Village | None = None, deputy: Deputy | None = None,
                          venue: Venue | None = None, constituent_mobile: str = "", code: str = "",
                          privacy_consent: bool = False, kiosk_venue: int | None = None) -> Opinion:
    """A constituent's own submission, only with their consent to the privacy notice (kept: its version and
    when). A mobile number is kept only once the SMS code confirms it. `venue`: the station whose kiosk took it
    (else the addressed deputy's station); `kiosk_venue`: that screen's station when it is registered, whose
    allowance the submission counts against (casework.services.kiosks)."""
    if not privacy_consent:
        raise ValidationError({"privacy_consent": CONSENT_REQUIRED})
    content = _check(content, Channel.ONLINE, category, timezone.localdate())
    mobile = _clean_mobile(constituent_mobile)
    if mobile and not verification_ok(mobile=mobile, code=code):
        raise ValidationError({"code": _("短信验证码不正确或已过期。")})
    if village is not None and village.ended_on is not None:
        raise ValidationError({"village": _("该村（社区）已撤销。")})
    key, limit = throttle_key(address, kiosk_venue if venue is not None and kiosk_venue == venue.pk else None)
    throttle(kind="submit", address=key, limit=limit or SUBMISSIONS_PER_HOUR)
    opinion = _new_case(dict(content=content, channel=Channel.ONLINE, category=category, village=village,
                             deputy=deputy, venue=venue or _venue_of(ANONYMOUS, deputy), constituent_mobile=mobile,
                             consent=bool(mobile), mobile_verified=bool(mobile), received_on=timezone.localdate(),
                             privacy_notice_version=NOTICE_VERSION, privacy_consent_at=timezone.now()),
                        actor=None, actor_label=_("选民（网上联络站）"))
    if mobile:
        cache.delete(f"casework:code:{mobile}")
        messages_enqueue([Outgoing(dedupe_key=f"casework:received:{opinion.pk}", kind="casework.received",
                                   mobile=mobile, body=_("您的意见已收到，查询码：%(code)s。") % {
                                       "code": opinion.tracking_code})])
    audit_record(actor=None, action="opinion.submit_online", target=opinion,
                 data={"privacy_notice_version": NOTICE_VERSION})
    return opinion
