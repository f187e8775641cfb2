"""API routes of the duties context (included by api/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api.views.duties import DutyRecordViewSet, DutyRuleView, EvaluationView, ThreeOnesView, TrainingEventViewSet

router = SimpleRouter()
router.register("duty-records", DutyRecordViewSet, basename="duty-record")
router.register("training-events", TrainingEventViewSet, basename="training-event")

urlpatterns = [
    path("duty-rule/", DutyRuleView.as_view(), name="duty-rule"),
    path("three-ones/", ThreeOnesView.as_view(), name="three-ones"),
    path("duty-evaluation/", EvaluationView.as_view(), name="duty-evaluation"),
    *router.urls,
]
