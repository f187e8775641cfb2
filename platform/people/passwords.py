"""People's part in the password rules: the ID numbers this county keeps for an account (access.passwords
calls it through the hook it publishes; people registers it in PeopleConfig.ready)."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import get_public_schema_name

from access.passwords import PERSONAL_IDENTIFIERS
from people.models import Deputy


def id_numbers_of(account) -> list[str]:
    if account is None or account.pk is None or connection.schema_name == get_public_schema_name():
        return []
    return [n for n in Deputy.objects.filter(account_id=account.pk).values_list("id_number", flat=True) if n]


def register() -> None:
    if id_numbers_of not in PERSONAL_IDENTIFIERS:
        PERSONAL_IDENTIFIERS.append(id_numbers_of)
