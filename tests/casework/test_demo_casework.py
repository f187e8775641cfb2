"""The demo counties' casework carries the reports' figures (Shuidong: 40+ opinions, 32 resolved, 6
proposals; Enshi: 241 problems, 171 suggestions)."""

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from tenants.models import County

pytestmark = pytest.mark.django_db


def test_demo_casework_figures(world):
    call_command("seed_demo")
    from casework.models import Case, Opinion, Suggestion

    with schema_context(County.objects.get(slug="dongkou").schema_name):
        # the report's 42, besides the issues raised on the demo's reception days
        assert Opinion.objects.filter(reception_issue__isnull=True).count() == 42
        assert Opinion.objects.filter(reception_issue__isnull=False, channel="reception").exists()
        assert Case.objects.filter(status="closed").count() == 32
        assert Suggestion.objects.count() == 6
    with schema_context(County.objects.get(slug="enshi").schema_name):
        assert Opinion.objects.filter(reception_issue__isnull=True).count() == 241
        assert Suggestion.objects.count() == 171
        assert Suggestion.objects.filter(period="in_session").count() == 118
        assert Suggestion.objects.filter(status="satisfied").exists()
