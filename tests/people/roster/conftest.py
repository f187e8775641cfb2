"""The roster tests run inside Alpha's schema (`alpha`, the World, in place of tests/conftest.py's context
manager), with its administrator's actor (`admin`)."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from people.actors import actor_for


@pytest.fixture
def alpha(world):
    with tenant_context(world.alpha):
        yield world


@pytest.fixture
def admin(alpha):
    return actor_for(alpha.admin_a)
