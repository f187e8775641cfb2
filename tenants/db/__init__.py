"""The database backend (`tenants.db.base`, named by DATABASES' ENGINE) and a typed handle on its connection."""

from typing import cast

from django.db import connection

from tenants.db.base import DatabaseWrapper


def tenant_connection() -> DatabaseWrapper:
    """The default connection as what it is: django-tenants' wrapper, with schema_name and set_schema()."""
    return cast(DatabaseWrapper, connection)
