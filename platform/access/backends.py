"""Log in with a mobile number; a county host admits only people who hold a role in that county."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django_tenants.utils import get_public_schema_name

from .selectors import memberships_active


def _admitted_here(account) -> bool:
    if connection.schema_name == get_public_schema_name():
        # The platform host: operators, and provincial and prefecture staff.
        return account.is_staff or account.region_roles.exists()
    return memberships_active(account_id=account.pk).exists()


class CountyScopedBackend(ModelBackend):
    def authenticate(self, request, mobile=None, password=None, username=None, **kwargs):
        # Django's own forms (the admin's login) pass the login field as `username`.
        mobile = mobile or username or kwargs.get(get_user_model().USERNAME_FIELD)
        if not mobile or not password:
            return None
        account = super().authenticate(request, username=mobile, password=password)
        if account is None or not _admitted_here(account):
            return None
        return account

    def get_user(self, user_id):
        account = super().get_user(user_id)
        if account is None or not _admitted_here(account):
            return None
        return account
