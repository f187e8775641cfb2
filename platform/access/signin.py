"""Getting in: SMS invitations, sign-in by SMS code, setting / resetting / changing a password, the lockout
(django-axes) and its unlock, the second factor (TOTP via django-otp, or an SMS code on county hosts), and
what a session remembers about its sign-in (for access.middleware's timeouts).

Audit rows (in the county's chain, or the platform's on the platform host):
auth.login, auth.login_failed, auth.locked, auth.logout, auth.password_set, auth.password_reset,
auth.password_change, auth.otp_enrol, auth.otp_disable, auth.unlock, auth.timeout.
"""

from __future__ import annotations

import time
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name

from audit.services import audit_record
from core.http import client_address, site_url
from core.throttle import require_cache, throttle_count, throttle_exceeded
from notifications.services import Outgoing, messages_enqueue
from tenants.models import Account, Domain

from .backends import admitted_here
from .codes import code_send
from .models import Membership, Role, SigninRule
from .scope import require
from .selectors import is_county_admin

# Per client address (a county office shares one), failures of any account: a higher limit than an account's.
ADDRESS_FAILURES = 30
ADDRESS_WINDOW_SECONDS = 15 * 60
STAFF_ROLES = {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_STAFF, Role.HANDLING_UNIT}

# What a session keeps about its sign-in.
SIGNED_IN_AT = "jz_signed_in_at"
LAST_SEEN = "jz_last_seen"
IDLE_MINUTES = "jz_idle_minutes"
SECOND_FACTOR = "jz_second_factor"  # "pending" until passed; absent when not needed


def in_county() -> bool:
    return connection.schema_name != get_public_schema_name()


def audit(*, actor, action: str, target=None, data: dict | None = None) -> None:
    """An audit row in this county's chain, or in the platform's (audit_record picks by schema)."""
    audit_record(actor=actor, action=action, target=target, data=data)


# --- who is signing in (django-axes' callables) -------------------------------------------------------

def signin_username(request, credentials) -> str:
    """The mobile number a sign-in attempt names (AXES_USERNAME_CALLABLE): our forms pass `mobile`,
    Django's admin login `username`."""
    credentials = credentials or {}
    data = getattr(request, "POST", {}) if request is not None else {}
    value = (credentials.get("mobile") or credentials.get("username") or data.get("mobile")
             or data.get("username") or "")
    return str(value).strip()


def address_blocked(request) -> bool:
    return throttle_exceeded(f"access:signin-fail:{client_address(request)}", limit=ADDRESS_FAILURES)


def signin_failed(request, credentials) -> None:
    """A failed attempt (user_login_failed): counted against the client address, and an audit row."""
    if request is None:
        return
    address = client_address(request)
    throttle_count(f"access:signin-fail:{address}", seconds=ADDRESS_WINDOW_SECONDS)
    mobile = signin_username(request, credentials)
    account = Account.objects.filter(mobile=mobile).first() if mobile else None
    audit(actor=None, action="auth.login_failed", target=account, data={"address": address})


def signin_locked(request, username: str) -> None:
    account = Account.objects.filter(mobile=username).first()
    audit(actor=None, action="auth.locked", target=account,
          data={"address": client_address(request) if request is not None else ""})


def locked_mobiles(mobiles) -> set[str]:
    """Which of these mobile numbers are locked out now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(AccessAttempt.objects.filter(username__in=list(mobiles), attempt_time__gte=since,
                                            failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
               .values_list("username", flat=True))


@transaction.atomic
def account_unlock(*, actor, account: Account) -> int:
    """The county administrator lifts the lock of someone who holds a role in this county."""
    require(actor.is_admin)
    if not Membership.objects.filter(account_id=account.pk).exists():
        require(False)
    removed = axes_reset(username=account.mobile)
    audit(actor=actor, action="auth.unlock", target=account)
    return removed


# --- what a session remembers ---------------------------------------------------------------------------

def second_factor_required(account) -> bool:
    """County administrators, upper-tier staff and platform operators; anyone else who enrolled a device."""
    if totp_device(account) is not None:
        return True
    return settings.SIGNIN_SECOND_FACTOR_REQUIRED and _must_have_second_factor(account)


def signed_in(request, account) -> None:
    """After django.contrib.auth.login (the user_logged_in signal): the session's clocks, whether a second
    factor is still owed, and the audit row."""
    now = time.time()
    session = request.session
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now
    staff = (not in_county()) or bool(STAFF_ROLES & set(
        Membership.objects.filter(account_id=account.pk, is_active=True).values_list("role", flat=True)))
    session[IDLE_MINUTES] = SigninRule.current().idle_minutes if staff and in_county() else (
        30 if staff else None)
    if second_factor_required(account):
        session[SECOND_FACTOR] = "pending"
    else:
        session.pop(SECOND_FACTOR, None)
    audit(actor=account, action="auth.login", target=account,
          data={"address": client_address(request), "method": getattr(account, "backend", "").rsplit(".", 1)[-1]})


def second_factor_pending(request) -> bool:
    return request.session.get(SECOND_FACTOR) == "pending"


def second_factor_passed(request, *, how: str) -> None:
    request.session.pop(SECOND_FACTOR, None)
    audit(actor=request.user, action="auth.second_factor", target=request.user, data={"how": how})


# --- invitations -------------------------------------------------------------------------------------

def county_login_url(path: str = "/login/code/") -> str:
    domain = Domain.objects.filter(tenant__schema_name=connection.schema_name, is_primary=True).first()
    return site_url(domain.domain if domain else settings.PLATFORM_HOST, path)


def invitations_send(*, accounts) -> int:
    """An SMS invitation to each account that has no password yet, naming this county's login page.
    One per account and county (the dedupe key): a re-import or a second grant sends nothing again.
    Addressed by mobile only, like every SMS: an account id would list it among the in-app messages."""
    accounts = [a for a in accounts if not a.has_usable_password()]
    if not accounts or not in_county():
        return 0
    county = Domain.objects.filter(tenant__schema_name=connection.schema_name).values_list(
        "tenant__name", flat=True).first() or ""
    url = county_login_url()
    text = _("【家站】%(name)s您好，%(county)s人大常委会已为您开通代表之家·联络站账号。请打开 %(url)s ，"
             "用本手机号码获取短信验证码登录，然后设置密码。")
    return messages_enqueue([
        Outgoing(dedupe_key=f"access:invitation:{a.pk}", kind="access.invitation", mobile=a.mobile,
                 body=text % {"name": a.name, "county": county, "url": url})
        for a in accounts])


# --- codes and passwords ------------------------------------------------------------------------------

def signin_code_send(*, request, mobile: str, purpose: str) -> None:
    """A code to a mobile that may sign in here. The answer is the same for a number that may not (the
    page says 'if the number is registered here'), so the page does not tell who has an account. With the
    cache down, refused for every number alike (core.throttle.Unavailable)."""
    require_cache()
    account = Account.objects.filter(mobile=mobile, is_active=True).first()
    if account is not None and admitted_here(account):
        code_send(purpose=purpose, mobile=mobile, address=client_address(request))
    else:
        # Throttled the same way, so a probe cannot tell by timing out.
        throttle_count(f"access:code-from:{client_address(request)}", seconds=3600)


def _validated(password: str, account) -> str:
    if "\x00" in password:
        raise ValidationError({"new_password1": _("含有无效字符。")})
    try:
        password_validation.validate_password(password, account)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    return password


@transaction.atomic
def password_set(*, account: Account, password: str, action: str = "auth.password_set") -> None:
    """The first password (after signing in by code), or a new one after 'forgot password'."""
    account.set_password(_validated(password, account))
    account.save(update_fields=["password"])
    audit(actor=account, action=action, target=account)


@transaction.atomic
def password_change(*, account: Account, old_password: str, password: str) -> None:
    if not account.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确。")})
    account.set_password(_validated(password, account))
    account.save(update_fields=["password"])
    audit(actor=account, action="auth.password_change", target=account)


# --- TOTP (django-otp) -----------------------------------------------------------------------------------

def totp_device(account) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=account.pk, confirmed=True).first()


def totp_draft(account) -> TOTPDevice:
    """The unconfirmed device whose key the enrolment page shows as a QR code (one per account)."""
    device = TOTPDevice.objects.filter(user_id=account.pk, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=account, name=_("身份验证器"), confirmed=False)


@transaction.atomic
def totp_confirm(*, account, token: str) -> bool:
    device = TOTPDevice.objects.select_for_update().filter(user_id=account.pk, confirmed=False).first()
    if device is None or not device.verify_token((token or "").strip()):
        return False
    TOTPDevice.objects.filter(user_id=account.pk, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit(actor=account, action="auth.otp_enrol", target=account)
    return True


def totp_verify(*, account, token: str) -> bool:
    device = totp_device(account)
    return device is not None and device.verify_token((token or "").strip())


@transaction.atomic
def totp_disable(*, account) -> None:
    """An account that must have a second factor keeps it (it can enrol a new device instead)."""
    if settings.SIGNIN_SECOND_FACTOR_REQUIRED and _must_have_second_factor(account):
        raise ValidationError(_("您的角色须使用两步验证，不能关闭。"))
    TOTPDevice.objects.filter(user_id=account.pk).delete()
    audit(actor=account, action="auth.otp_disable", target=account)


def _must_have_second_factor(account) -> bool:
    if not in_county():
        return account.is_staff or account.region_roles.exists()
    return is_county_admin(account_id=account.pk)


def timeout_reached(session, now: float) -> str | None:
    """'absolute' or 'idle' when the session has outlived its sign-in or sat idle too long."""
    started = session.get(SIGNED_IN_AT)
    if started is not None and now - started > settings.SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    idle = session.get(IDLE_MINUTES)
    seen = session.get(LAST_SEEN)
    if idle and seen is not None and now - seen > timedelta(minutes=idle).total_seconds():
        return "idle"
    return None
