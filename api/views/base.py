"""What the county endpoints share: county hosts only, logged in, the acting person's scope; the year
parameter; the .xlsx download. The domain's errors become 400/403/404 in api.errors, for every view."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from access.scope import Actor
from api.permissions import CountyHostOnly
from core.xlsx_import import RowError
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


MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # an imported workbook (nginx caps a request at 20 MB)

ROW_ERRORS = inline_serializer("ImportErrors", {
    "errors": serializers.ListField(child=inline_serializer("ImportRowError", {
        "row": serializers.IntegerField(allow_null=True, help_text="Excel 行号（第1行为表头）；整个文件的错误为 null"),
        "sheet": serializers.CharField(required=False, help_text="工作表名称（多张表的模板）"),
        "messages": serializers.ListField(child=serializers.CharField()),
    })),
})


def refused(errors: list) -> Response:
    """400 with an import's errors per row (RowError), nothing imported."""
    return Response({"errors": [e.as_dict() for e in errors]}, status=status.HTTP_400_BAD_REQUEST)


def xlsx_upload(request) -> bytes | Response:
    """The uploaded `file`'s content, or the 400 that refuses it."""
    upload = request.FILES.get("file")
    if upload is None:
        return refused([RowError(None, [_("请选择要导入的 .xlsx 文件。")])])
    if upload.size > MAX_UPLOAD_BYTES:
        return refused([RowError(None, [_("文件不能超过10MB。")])])
    return upload.read()
