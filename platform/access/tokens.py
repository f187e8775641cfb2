"""API tokens (access.ApiToken): made and revoked by the county administrator, looked up by the API's
authentication. The key is random, shown once, and kept only as a sha256 hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from tenants.models import Account

from .models import ApiToken, Membership, Role
from .scope import Actor, require

KEY_PREFIX = "jz_"
LAST_USED_EVERY = dt.timedelta(minutes=5)  # how stale last_used_at may be (one write per token and period)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once


@transaction.atomic
def token_create(*, actor: Actor, name: str, role: str, account: Account | None = None) -> NewToken:
    """The administrator makes a token that acts as `account` (themself unless named) with `role`, which
    the account must hold here now."""
    require(actor.is_admin)
    name = (name or "").strip()
    account_id = account.pk if account is not None else actor.account_id
    errors = {}
    if not name:
        errors["name"] = _("请填写令牌名称（用途）。")
    if role not in Role.values:
        errors["role"] = _("角色无效。")
    elif not Membership.objects.filter(account_id=account_id, role=role, is_active=True).exists():
        errors["role"] = _("该账号在本县没有这个角色。")
    if errors:
        raise ValidationError(errors)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name[:100], account_id=account_id, role=role, prefix=key[:10],
                                    key_hash=key_hash(key), created_by_id=actor.account_id)
    audit_record(actor=actor, action="token.create", target=token,
                 data={"name": token.name, "role": role, "account": account_id})
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    require(actor.is_admin)
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        audit_record(actor=actor, action="token.revoke", target=token, data={"name": token.name})
    token.refresh_from_db()
    return token


def tokens_visible_to(actor: Actor) -> QuerySet[ApiToken]:
    """Tokens are the administrator's business; nobody else sees any."""
    return ApiToken.objects.all() if actor.is_admin else ApiToken.objects.none()


def token_authenticate(key: str) -> ApiToken | None:
    """The live token with this key, whose account still holds the token's role here; None otherwise."""
    if not key.startswith(KEY_PREFIX):
        return None
    token = ApiToken.objects.filter(key_hash=key_hash(key), revoked_at__isnull=True).first()
    if token is None:
        return None
    if not Membership.objects.filter(account_id=token.account_id, role=token.role, is_active=True).exists():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
