"""API routes of the roster (included by api/urls.py)."""

from django.urls import path

from api.views.roster import RosterExportView, RosterImportJobView, RosterImportView, RosterTemplateView

urlpatterns = [
    path("roster/template/", RosterTemplateView.as_view(), name="roster-template"),
    path("roster/import/", RosterImportView.as_view(), name="roster-import"),
    path("roster/import/<int:pk>/", RosterImportJobView.as_view(), name="roster-import-job"),
    path("roster/export/", RosterExportView.as_view(), name="roster-export"),
]
