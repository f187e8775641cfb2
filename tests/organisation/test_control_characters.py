"""Text fields refuse control characters whatever path writes them, and exports never fail on stored text."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from organisation.models import Township
from tests.conftest import ALPHA_HOST, login

pytestmark = pytest.mark.django_db


def test_a_township_named_with_a_vertical_tab_is_refused_through_the_api(world, alpha):
    client = login(ALPHA_HOST, world.admin_a)
    answer = client.patch(f"/api/v1/townships/{world.ids['east']}/", {"name": "东\v镇"},
                          content_type="application/json")
    assert answer.status_code == 400 and "含有无效字符" in str(answer.json())
    created = client.post("/api/v1/townships/", {"name": "新\x1b镇", "kind": "town"}, content_type="application/json")
    assert created.status_code == 400
    with alpha():
        assert not Township.objects.filter(name__contains="\v").exists()
        with pytest.raises(ValidationError):  # any path through save(), not only the API
            Township.objects.create(name="坏\x00名", kind="town")


def test_exports_write_text_stored_before_the_check(world, alpha):
    with alpha():  # an update() goes past save(): as rows written before the check did
        Township.objects.filter(pk=world.ids["east"]).update(name="东\v镇")
    client = login(ALPHA_HOST, world.admin_a)
    for path in ("/api/v1/build-progress/export/", "/organisation/progress/export/"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        cells = [c for row in load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True) for c in row]
        assert "东镇" in cells and not any(isinstance(c, str) and "\v" in c for c in cells)
