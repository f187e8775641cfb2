"""Sign-in through the provincial identity provider (OpenID Connect). The provider vouches for a mobile
number (the `phone_number` claim); the account with that mobile signs in if it is admitted on this host
(access.backends: a role in this county, or on the platform host an operator or upper-tier staff). No
account is ever created, and a number the provider marks unverified is refused."""

from __future__ import annotations

import re

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .backends import admitted_or_none


def mobile_from_claim(value) -> str:
    """+86 138-0000-0001 → 13800000001; anything that is not a mainland mobile → ''."""
    digits = re.sub(r"[\s\-()]", "", str(value or ""))
    digits = re.sub(r"^(\+?86|0086)", "", digits)
    return digits if re.fullmatch(r"1\d{10}", digits) else ""


class ProvincialOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims) -> bool:
        if claims.get("phone_number_verified") is False:
            return False
        return bool(mobile_from_claim(claims.get(settings.OIDC_PHONE_CLAIM)))

    def filter_users_by_claims(self, claims):
        mobile = mobile_from_claim(claims.get(settings.OIDC_PHONE_CLAIM))
        if not mobile:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(mobile=mobile, is_active=True)

    def describe_user_by_claims(self, claims) -> str:
        return f"mobile ending {mobile_from_claim(claims.get(settings.OIDC_PHONE_CLAIM))[-4:]}"

    def create_user(self, claims):
        return None  # never: OIDC_CREATE_USER is False as well

    def get_or_create_user(self, access_token, id_token, payload):
        account = super().get_or_create_user(access_token, id_token, payload)
        return admitted_or_none(account)

    def get_user(self, user_id):
        account = super().get_user(user_id)
        return admitted_or_none(account)
