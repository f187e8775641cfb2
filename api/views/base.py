"""What the county endpoints share: county hosts only, logged in, the acting person's scope; the year
parameter; the .xlsx download. The domain's errors become 400/403/404 in api.errors, for every view."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.serializers import Serializer

from access.scope import Actor
from api.permissions import CountyHostOnly
from core.xlsx import XLSX_CONTENT_TYPE, xlsx_disposition
from people.actors import actor_of


class CountyAPI:
    """The base of every county endpoint (first among the bases, so that its permissions count)."""

    permission_classes = [IsAuthenticated, CountyHostOnly]

    @property
    def actor(self) -> Actor:
        return actor_of(self.request)

    def swagger(self) -> bool:
        """True while drf-spectacular builds the schema (no request, no actor)."""
        return getattr(self, "swagger_fake_view", False)


def query(serializer_class: type[Serializer], request) -> dict:
    """A list's query parameters read through its serializer (api.serializers.filters): a bad value is a 400
    naming the parameter, never a filter silently dropped; absent and empty ones are left out."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return {name: value for name, value in serializer.validated_data.items() if value not in ("", None)}


def parse_year(value: str | None) -> int:
    """?year=: this year when absent; a 400 unless between 2000 and 2100."""
    if value in (None, ""):
        return dt.date.today().year
    try:
        year = int(value)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("年度应为2000至2100之间的整数。")]})
    return year


def xlsx_response(content: bytes, *, filename: str, ascii_fallback: str = "download.xlsx") -> HttpResponse:
    """An .xlsx attachment; a Chinese file name arrives intact (see core.xlsx.xlsx_disposition)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = xlsx_disposition(filename, ascii_fallback=ascii_fallback)
    return response
