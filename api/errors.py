"""How the domain's errors leave the API (REST_FRAMEWORK's EXCEPTION_HANDLER).

The services speak Django: a ValidationError with Chinese messages becomes a 400 (a field's messages
under its name, the rest under non_field_errors, as DRF's serializers answer); a PermissionDenied a 403
that keeps its Chinese message; Http404 and a missing row a 404. DRF's own exceptions are DRF's.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
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
