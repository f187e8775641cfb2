"""API routes of the roster (included by api/urls.py)."""

from django.urls import path

from api.views.roster import RosterExportView, RosterImportView, RosterTemplateView

urlpatterns = [
    path("roster/template/", RosterTemplateView.as_view(), name="roster-template"),
    path("roster/import/", RosterImportView.as_view(), name="roster-import"),
    path("roster/export/", RosterExportView.as_view(), name="roster-export"),
]
