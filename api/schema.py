"""The OpenAPI schema says what the API answers (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS).

drf-spectacular documents the success answers; api.errors turns every refusal into a 400, 403 or 404 with a
Chinese message, on every operation: the schema documents those too, with their bodies. No 401: sessions are
the first authentication class, so a request without valid credentials is refused with a 403.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明")


class ValidationErrorSerializer(serializers.Serializer):
    """A field's messages under its name, the rest under non_field_errors (api.errors); DRF's parse and
    throttle errors under detail. Nested fields answer nested objects."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(required=False)

    class Meta:
        ref_name = "ValidationError"


ERRORS = {
    "400": (ValidationErrorSerializer, "请求有误：各字段的中文说明（字段名 → 说明列表）。"),
    "403": (ErrorSerializer, "未登录，或无权进行此操作。"),
    "404": (ErrorSerializer, "未找到（不存在与无权查看同样回答），或本主机不提供此接口。"),
}
# DRF's answer to a body in a media type the operation does not parse.
UNSUPPORTED = ("415", (ErrorSerializer, "不支持请求的媒体类型。"))
# A time of day as DRF writes it ("09:00:00"): JSON Schema's `time` format would demand a UTC offset.
TIME_OF_DAY = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "09:00:00"}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update([UNSUPPORTED])
        for code, (serializer, description) in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(serializer, code, direction=direction)
                responses[code]["description"] = description
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.TimeField):
            return {**TIME_OF_DAY, **({"readOnly": True} if field.read_only else {}),
                    **({"nullable": True} if field.allow_null else {})}
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if isinstance(serializer, ValidationErrorSerializer):
            schema["additionalProperties"] = {}  # each field's messages, under the field's name
        return schema


class CountyTokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Token jz_…`: an integration's token, made by a county's administrator (access.tokens)."""

    target_class = "api.authentication.CountyTokenAuthentication"
    name = "countyToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Token jz_…：县人大常委会管理员在“接口令牌”页面创建，只在本县主机有效。"}
