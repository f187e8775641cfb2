"""API routes of the people context (included by api/urls.py)."""

from rest_framework.routers import SimpleRouter

from api.views.deputies import DeputyGroupViewSet, DeputyViewSet
from api.views.pairing import PairingViewSet

router = SimpleRouter()
router.register("deputies", DeputyViewSet, basename="deputy")
router.register("deputy-groups", DeputyGroupViewSet, basename="deputy-group")
router.register("pairings", PairingViewSet, basename="pairing")

urlpatterns = [*router.urls]
