import re

import pytest
from django_tenants.utils import tenant_context

from notifications.models import Message
from tests.conftest import forget_cache_keys


@pytest.fixture(autouse=True)
def _fresh_code_counters():
    """Codes and their send limits live in the (shared) cache: each test starts without them."""
    forget_cache_keys("*access:code*")
    yield
    forget_cache_keys("*access:code*")


def sms_to(county, mobile: str, kind: str) -> list[Message]:
    with tenant_context(county):
        return list(Message.objects.filter(mobile=mobile, kind=kind).order_by("pk"))


def last_code(county, mobile: str, purpose: str = "login") -> str:
    body = sms_to(county, mobile, f"access.code.{purpose}")[-1].body
    return re.search(r"验证码为(\d{6})", body).group(1)
