"""What every organisation endpoint shares: the actor's scope, service errors as 400s, the year."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated

from access.scope import Actor, actor_of
from api.permissions import CountyHostOnly


def service_call(service, **kwargs):
    """Run a service; its Chinese ValidationError becomes a 400 (PermissionDenied is a 403 anyway)."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(validation_detail(exc)) from None


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
                for name, messages in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


def parse_year(value: str | None) -> int:
    if value in (None, ""):
        return dt.date.today().year
    try:
        year = int(value)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("年度应为2000至2100之间的整数。")]})
    return year


class OrganisationAPI:
    """What every endpoint here shares: county hosts only, logged in, and the acting person's scope."""

    permission_classes = [IsAuthenticated, CountyHostOnly]

    @property
    def actor(self) -> Actor:
        return actor_of(self.request)

    def swagger(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

