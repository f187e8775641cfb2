from django.urls import reverse

from frontend.routes import access, casework, duties, organisation, people, reception, roster
from people.actors import actor_of


def site(request) -> dict:
    """The county (or the platform) the page belongs to, and the navigation this person may use."""
    tenant = getattr(request, "tenant", None)
    is_platform = bool(getattr(tenant, "is_public", True))
    return {"site": tenant, "is_platform": is_platform, "nav": _nav(request) if not is_platform else []}


def _nav(request) -> list[tuple[str, str]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    actor = actor_of(request)
    return [
        (label, reverse(name))
        for label, name, allowed in [*organisation.NAV_ITEMS, *people.NAV_ITEMS, *roster.NAV_ITEMS, *duties.NAV_ITEMS,
                                    *reception.NAV_ITEMS, *casework.NAV_ITEMS, *access.NAV_ITEMS]
        if _shown(allowed, actor)
    ]


def _shown(allowed, actor) -> bool:
    """A link is shown by the page's own rule (a predicate on the actor), by a set of roles, or (None) to
    every member of the county."""
    if callable(allowed):
        return bool(allowed(actor))
    return bool(actor.roles) if allowed is None else bool(actor.roles & allowed)
