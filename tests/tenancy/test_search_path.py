"""The backend issues `SET search_path` only when needed, and never trusts a path the server dropped."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from access.models import Membership

pytestmark = pytest.mark.django_db


def _sets(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("SET search_path")]


def test_same_county_twice_sets_the_path_once(world):
    with CaptureQueriesContext(connection) as ctx:
        connection.set_tenant(world.alpha)
        Membership.objects.count()
        connection.set_schema_to_public()
        connection.set_tenant(world.alpha)
        Membership.objects.count()
    assert len(_sets(ctx.captured_queries)) == 1


def test_switching_county_sets_the_path(world):
    connection.set_tenant(world.alpha)
    Membership.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        connection.set_tenant(world.beta)
        Membership.objects.count()
    assert _sets(ctx.captured_queries) == ['SET search_path = "county_990102","public"']


def _admins_seen() -> set[str]:
    return set(Membership.objects.values_list("account__mobile", flat=True))


def test_rolled_back_set_is_not_trusted(world):
    """The bug behind TENANT_LIMIT_SET_CALLS: a SET inside a rolled-back savepoint is undone by the server."""
    connection.set_tenant(world.alpha)
    alpha_people = _admins_seen()
    with pytest.raises(RuntimeError), transaction.atomic():
        connection.set_tenant(world.beta)
        assert world.admin_b.mobile in _admins_seen()
        raise RuntimeError("roll back the savepoint that holds the SET")
    # The server is back on Alpha's path after the rollback; the wrapper must not think it is on Beta's.
    connection.set_tenant(world.beta)
    assert world.admin_b.mobile in _admins_seen()
    connection.set_tenant(world.alpha)
    assert _admins_seen() == alpha_people
