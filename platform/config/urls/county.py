"""URLs of a county host (<county>.<platform host>)."""

from django.urls import include, path

from frontend.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("api.urls")),
    path("", include("frontend.urls")),
]
