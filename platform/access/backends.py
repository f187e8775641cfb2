"""Log in with a mobile number; a county host admits only people who hold a role in that county."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django_tenants.utils import get_public_schema_name

from core.levels import MandateStatus

from .codes import code_check
from .selectors import memberships_active


def admitted_here(account) -> bool:
    if connection.schema_name == get_public_schema_name():
        # The platform host: operators, provincial and prefecture staff, the accounts of their units, and
        # serving province and prefecture deputies (their page of the counties they serve).
        return (account.is_staff or account.region_roles.exists() or account.region_units.exists()
                or account.region_mandates.filter(status=MandateStatus.SERVING).exists())
    return memberships_active(account_id=account.pk).exists()


def admitted_or_none(account):
    """The account when it is admitted on this host, else None (what every backend answers)."""
    return account if account is not None and admitted_here(account) else None


class CountyScopedBackend(ModelBackend):
    def authenticate(self, request, mobile=None, password=None, username=None, **kwargs):
        # Django's own forms (the admin's login) pass the login field as `username`.
        mobile = mobile or username or kwargs.get(get_user_model().USERNAME_FIELD)
        if not mobile or not password:
            return None
        account = super().authenticate(request, username=mobile, password=password)
        return admitted_or_none(account)

    def get_user(self, user_id):
        account = super().get_user(user_id)
        return admitted_or_none(account)


class SmsCodeBackend(CountyScopedBackend):
    """Sign in by a one-time SMS code (first login, forgotten password, access.codes), only on a county host:
    the outbox that sends the codes is the county's. Locks and failures are counted by django-axes alike."""

    def authenticate(self, request, mobile=None, code=None, purpose="login", **kwargs):
        if not mobile or not code or connection.schema_name == get_public_schema_name():
            return None
        account = get_user_model()._default_manager.filter(mobile=mobile).first()
        if account is None or not self.user_can_authenticate(account) or not admitted_here(account):
            return None
        if not code_check(purpose=purpose, mobile=mobile, code=code):
            return None
        return account
