"""Pages of the roster (included by frontend/urls.py, under the frontend namespace)."""

# (label, url name, who sees the link: a set of roles, or None for every member of the county)
NAV_ITEMS: list[tuple[str, str, set[str] | None]] = []

urlpatterns: list = []
