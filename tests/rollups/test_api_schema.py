"""The figures endpoints' OpenAPI schema says what the JSON is: every key of a real answer is described."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from api.serializers.figures import FiguresOut, PlatformFiguresOut
from tenants.figures import dashboard, scope_for
from tests.rollups.data import TODAY, fill, rebuild
from tests.rollups.test_rollups import FIRST, LAST

pytestmark = pytest.mark.django_db


def _undescribed(data, field, path="") -> list[str]:
    """Keys of `data` that `field` does not describe (recursively)."""
    if isinstance(field, serializers.ListSerializer):
        return [miss for i, item in enumerate(data) for miss in _undescribed(item, field.child, f"{path}[{i}]")]
    if isinstance(field, serializers.DictField):
        return [miss for key, value in data.items() for miss in _undescribed(value, field.child, f"{path}.{key}")]
    if isinstance(field, serializers.Serializer):
        fields = field.get_fields()
        missing = [f"{path}.{key}" for key in data if key not in fields]
        return missing + [miss for key, value in data.items() if key in fields
                          for miss in _undescribed(value, fields[key], f"{path}.{key}")]
    return []


def test_every_key_of_the_figures_is_in_the_schema(world):
    fill(world.alpha, seed=3)
    rebuild(world.alpha)
    province = dashboard(scope=scope_for(level="province", pk=world.province.pk), first=FIRST, last=LAST, today=TODAY)
    province["comparison_page"].update(next=None, previous=None)  # the API view's links
    assert province["comparison"] and province["suggestions"]["per_unit"]
    assert _undescribed(province, PlatformFiguresOut()) == []
    county = dashboard(scope=scope_for(level="county", pk=world.alpha.pk), first=FIRST, last=LAST, today=TODAY)
    assert county["comparison"]
    assert _undescribed(county, FiguresOut()) == []


def test_the_openapi_schema_names_the_figures():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    operation = next(path["get"] for url, path in schema["paths"].items() if url.endswith("/figures/"))
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("FiguresOut")
    assert {"number", "trend", "by_tier", "by_category", "by_channel"} <= set(components["CaseCount"]["properties"])
    assert {"from", "to", "today"} == set(components["PeriodOut"]["properties"])
