"""API routes of the roster (included by api/urls.py)."""

urlpatterns: list = []
