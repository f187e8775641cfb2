"""How the domain's errors leave the API (REST_FRAMEWORK's EXCEPTION_HANDLER).

The services speak Django: a ValidationError with Chinese messages becomes a 400 (a field's messages
under its name, the rest under non_field_errors, as DRF's serializers answer); a PermissionDenied a 403
that keeps its Chinese message; Http404 and a missing row a 404. DRF's own exceptions are DRF's.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def validation_detail(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
                for name, messages in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


def exception_handler(exc: Exception, context: dict):
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, (Http404, ObjectDoesNotExist)):
        exc = exceptions.NotFound(_("未找到。"))
    return drf_exception_handler(exc, context)


def not_found(request, exception):
    """Django's 404 for a path no route matches (an id such as `1.5` in /api/v1/deputies/1.5/): on the API the
    same JSON as a missing row, elsewhere the page (handler404 of both hosts' URLs)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return page_not_found(request, exception)
