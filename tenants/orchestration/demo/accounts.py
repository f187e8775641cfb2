"""The demo's logins: one account per mobile, made once, all with the demo password."""

from __future__ import annotations

from tenants.models import Account

DEMO_PASSWORD = "jiazhan-demo-2026"


def demo_account(mobile: str, name: str, **extra) -> Account:
    account = Account.objects.filter(mobile=mobile).first()
    if account is None:
        account = Account.objects.create_user(mobile, name, password=DEMO_PASSWORD, **extra)
    return account
