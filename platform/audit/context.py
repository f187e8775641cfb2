"""The request an audit row is written in: its client address, set once per request by
audit.middleware.AuditContextMiddleware, so every audit_record() call names the address without each
call site passing it. Outside a request (Celery, commands) there is none."""

from __future__ import annotations

from contextvars import ContextVar

from core.http import client_address as trusted_client_address

_client_address: ContextVar[str] = ContextVar("audit_client_address", default="")


def client_address(request) -> str:
    """The address the request came from, by the one trusted-proxy rule (core.http): a proxy header is
    believed only from a configured proxy."""
    address = trusted_client_address(request)
    return "" if address == "unknown" else address


def current_client_address() -> str:
    return _client_address.get()


def set_client_address(address: str):
    """Returns the token for reset_client_address()."""
    return _client_address.set(address)


def reset_client_address(token) -> None:
    _client_address.reset(token)
