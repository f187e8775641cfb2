def site(request) -> dict:
    """The county (or the platform) the page belongs to, for every template."""
    tenant = getattr(request, "tenant", None)
    return {"site": tenant, "is_platform": bool(getattr(tenant, "is_public", True))}
