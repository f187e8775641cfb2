"""api.errors: the domain's Django errors leave every endpoint as Chinese 400 / 403 / 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import APIView

from api.errors import exception_handler

pytestmark = pytest.mark.django_db


def handle(exc):
    return exception_handler(exc, {"view": APIView(), "args": (), "kwargs": {}, "request": None})


def test_a_validation_error_by_field_is_a_400_under_each_field():
    response = handle(ValidationError({"name": ["名称不能为空。"], NON_FIELD_ERRORS: ["乡镇已撤销。"]}))
    assert response.status_code == 400
    assert response.data == {"name": ["名称不能为空。"], "non_field_errors": ["乡镇已撤销。"]}


def test_a_plain_or_listed_validation_error_is_a_400_under_non_field_errors():
    assert handle(ValidationError("不能撤销最后一名县人大常委会管理员。")).data == {
        "non_field_errors": ["不能撤销最后一名县人大常委会管理员。"]}
    response = handle(ValidationError(["第一条。", "第二条。"]))
    assert response.status_code == 400 and response.data == {"non_field_errors": ["第一条。", "第二条。"]}


def test_permission_denied_keeps_its_chinese_message():
    response = handle(PermissionDenied("您只能修改本人的简介、公开联系电话和照片。"))
    assert response.status_code == 403 and response.data == {"detail": "您只能修改本人的简介、公开联系电话和照片。"}
    bare = handle(PermissionDenied())
    assert bare.status_code == 403 and bare.data["detail"]  # DRF's own (translated) wording


@pytest.mark.parametrize("exc", [Http404("No Deputy matches the given query."), ObjectDoesNotExist()])
def test_missing_is_a_chinese_404(exc):
    response = handle(exc)
    assert response.status_code == 404 and response.data == {"detail": "未找到。"}


def test_drf_exceptions_stay_drf_s():
    response = handle(exceptions.ValidationError({"year": ["年度应为2000至2100之间的整数。"]}))
    assert response.status_code == 400 and response.data == {"year": ["年度应为2000至2100之间的整数。"]}
    assert handle(exceptions.NotAuthenticated()).status_code in (401, 403)
    assert handle(ValueError("boom")) is None  # not ours: a 500, as before


def test_the_handler_answers_for_real_endpoints(world, as_):
    client = as_("deputy_a")
    missing = client.get("/api/v1/deputies/999999/")
    assert missing.status_code == 404 and missing.json() == {"detail": "未找到。"}
    year = as_("admin_a").get("/api/v1/build-progress/?year=1999")
    assert year.status_code == 400 and year.json() == {"year": ["年度应为2000至2100之间的整数。"]}
