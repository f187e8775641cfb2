"""URLs of the platform host: operators' admin, provincial and prefecture staff, the API docs."""

from django.contrib import admin
from django.urls import include, path

from frontend.views.health import healthz, readyz

admin.site.site_header = "家站平台运维"
admin.site.site_title = "家站平台运维"
# A banner while this year or next has no official holiday arrangement (workdays).
admin.site.index_template = "workdays/admin_index.html"

handler404 = "api.errors.not_found"  # JSON under /api/

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("frontend.urls")),
]
