"""API routes of the organisation context (included by api/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api.views.organisation.places import TownshipViewSet, VenueViewSet, VillageViewSet
from api.views.organisation.redivision import RedivisionViewSet, ScheduledRedivisionViewSet
from api.views.organisation.reports import BuildProgressExportView, BuildProgressView, TreeView
from api.views.organisation.standards import AssessmentViewSet, FundingViewSet, StandardViewSet
from api.views.organisation.units import HandlingUnitViewSet
from api.views.organisation.workbook import (
    OrganisationExportView,
    OrganisationImportJobView,
    OrganisationImportView,
    OrganisationTemplateView,
)

router = SimpleRouter()
router.register("townships", TownshipViewSet, basename="township")
router.register("villages", VillageViewSet, basename="village")
router.register("venues", VenueViewSet, basename="venue")
router.register("handling-units", HandlingUnitViewSet, basename="handling-unit")
router.register("standards", StandardViewSet, basename="standard")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("fundings", FundingViewSet, basename="funding")
# before redivisions/: its detail route would take "scheduled" for an id
router.register("redivisions/scheduled", ScheduledRedivisionViewSet, basename="scheduled-redivision")
router.register("redivisions", RedivisionViewSet, basename="redivision")

urlpatterns = [
    path("build-progress/", BuildProgressView.as_view(), name="build-progress"),
    path("build-progress/export/", BuildProgressExportView.as_view(), name="build-progress-export"),
    path("tree/", TreeView.as_view(), name="organisation-tree"),
    path("organisation/template/", OrganisationTemplateView.as_view(), name="organisation-template"),
    path("organisation/import/", OrganisationImportView.as_view(), name="organisation-import"),
    path("organisation/import/<int:pk>/", OrganisationImportJobView.as_view(), name="organisation-import-job"),
    path("organisation/export/", OrganisationExportView.as_view(), name="organisation-export"),
    *router.urls,
]
