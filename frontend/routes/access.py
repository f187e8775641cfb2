"""Pages of the access context: the county's members, their roles and scopes (included by frontend/urls.py)."""

# (label, url name, who sees the link: a set of roles, or None for every member of the county)
NAV_ITEMS: list[tuple[str, str, set[str] | None]] = []

urlpatterns: list = []
