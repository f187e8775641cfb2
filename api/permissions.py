"""The API's side of the one permission layer: which host an endpoint belongs to.

Who sees which rows is decided by the domain selectors (role + scope); an endpoint never filters
on its own. A row outside the caller's scope is simply absent: missing and forbidden are both 404.
"""

from django.http import Http404
from rest_framework.permissions import BasePermission


class CountyHostOnly(BasePermission):
    """The endpoint exists on county hosts only; on the platform host it is not there at all."""

    def has_permission(self, request, view) -> bool:
        if request.tenant.is_public:
            raise Http404
        return True


class PlatformHostOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        if not request.tenant.is_public:
            raise Http404
        return True
