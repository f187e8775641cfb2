"""Hands the request's client address to audit_record() (audit.context) for the request's duration."""

from .context import client_address, reset_client_address, set_client_address


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_client_address(client_address(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_address(token)
