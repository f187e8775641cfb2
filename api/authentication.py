"""API tokens (access.ApiToken) for integrations: `Authorization: Token jz_…`. A token lives in its
county's schema, so on any other host (another county, the platform) it is unknown."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from access.tokens import token_authenticate
from tenants.models import Account


class CountyTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。"))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。")) from None
        token = None if request.tenant.is_public else token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已吊销。"))
        account = Account.objects.filter(pk=token.account_id, is_active=True).first()
        if account is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已吊销。"))
        return account, token

    def authenticate_header(self, request) -> str:
        return self.keyword
