"""Pages of the roster (included by frontend/urls.py, under the frontend namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from frontend.views import roster

# (label, url name, who sees the link: a set of roles, or None for every member of the county)
NAV_ITEMS: list[tuple[str, str, set[str] | None]] = [
    (_("名册导入"), "frontend:roster", {"county_admin", "township_staff"}),
]

urlpatterns: list = [
    path("roster/", roster.roster_page, name="roster"),
    path("roster/import/<int:pk>/", roster.roster_job, name="roster-job"),
    path("roster/template/", roster.roster_template_download, name="roster-template"),
    path("roster/export/", roster.roster_export_download, name="roster-export"),
]
