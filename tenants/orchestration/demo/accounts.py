"""The demo's logins: one account per mobile, made once, all with the demo password; those who must pass a
second factor (administrators, upper-tier staff, the operator) have an authenticator already, whose current
code `manage.py demo_codes` prints (a person clicking through the demo has no authenticator app for it)."""

from __future__ import annotations

import hashlib

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.models import Account

DEMO_PASSWORD = "jiazhan-demo-2026"


def demo_account(mobile: str, name: str, **extra) -> Account:
    account = Account.objects.filter(mobile=mobile).first()
    if account is None:
        account = Account.objects.create_user(mobile, name, password=DEMO_PASSWORD, **extra)
    return account


def demo_authenticator(account: Account) -> TOTPDevice:
    """A confirmed TOTP device whose key follows from the mobile (the demo's only: made once)."""
    key = hashlib.sha256(f"jiazhan-demo:{account.mobile}".encode()).hexdigest()[:40]
    device = TOTPDevice.objects.filter(user=account, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=account, name="演示验证器", key=key, confirmed=True)


def demo_codes() -> list[tuple[str, str, str]]:
    """(mobile, name, the current six-digit code) of every demo authenticator."""
    rows = []
    for device in TOTPDevice.objects.filter(name="演示验证器", confirmed=True).select_related("user"):
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        rows.append((device.user.mobile, device.user.name, f"{code:0{device.digits}d}"))
    return sorted(rows)
