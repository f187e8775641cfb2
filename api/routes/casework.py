"""API routes of the casework context (included by api/urls.py)."""

from rest_framework.routers import SimpleRouter

from api.views.casework import (
    CaseViewSet,
    CategoryViewSet,
    OpinionViewSet,
    RoutingRuleViewSet,
    SuggestionViewSet,
    UnitScoreViewSet,
)
from api.views.escalations import EscalationViewSet

router = SimpleRouter()
router.register("opinion-categories", CategoryViewSet, basename="opinion-category")
router.register("routing-rules", RoutingRuleViewSet, basename="routing-rule")
router.register("opinions", OpinionViewSet, basename="opinion")
router.register("cases", CaseViewSet, basename="case")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("unit-scores", UnitScoreViewSet, basename="unit-score")
router.register("escalations", EscalationViewSet, basename="escalation")

urlpatterns = [*router.urls]
