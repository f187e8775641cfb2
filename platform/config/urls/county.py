"""URLs of a county host (<county>.<platform host>)."""

from django.urls import include, path

from frontend.views.health import healthz, readyz

handler404 = "api.errors.not_found"  # JSON under /api/

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", include("api.urls")),
    path("", include("frontend.urls")),
]
