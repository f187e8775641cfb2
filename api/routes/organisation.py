"""API routes of the organisation context (included by api/urls.py)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = [*router.urls]
