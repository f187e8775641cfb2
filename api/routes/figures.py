"""API routes of the dashboards' figures (included by api/urls.py)."""

from django.urls import path

from api.views.figures import CountyFiguresView, PlatformFiguresView

urlpatterns = [
    path("figures/", PlatformFiguresView.as_view(), name="figures"),
    path("county/figures/", CountyFiguresView.as_view(), name="county-figures"),
]
