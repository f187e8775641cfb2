from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from frontend.routes import access, casework, duties, organisation, people, reception, roster
from people.actors import actor_of

# The navigation grouped by task (工作台, 组织, 代表, 履职, 接待, 民意, 设置): each page's link by its URL name; a
# link of no group here lands in 工作台. Which links a person sees is still each page's own rule (NAV_ITEMS).
GROUPS: list[tuple[str, set[str]]] = [
    (_("工作台"), {"frontend:my_messages", "frontend:my_profile", "frontend:duty_mine", "frontend:my_reception"}),
    (_("组织"), {"frontend:org_tree", "frontend:org_venue_list", "frontend:org_township_list", "frontend:org_progress",
                "frontend:org_standard_list", "frontend:org_unit_list", "frontend:org_redivisions",
                "frontend:org_import"}),
    (_("代表"), {"frontend:deputy_list", "frontend:group_list", "frontend:pairing", "frontend:roster"}),
    (_("履职"), {"frontend:duty_records", "frontend:duty_three_ones", "frontend:duty_evaluation",
                "frontend:training_list", "frontend:registers"}),
    (_("接待"), {"frontend:reception_sessions", "frontend:reception_notices"}),
    (_("民意"), {"frontend:case_list", "frontend:suggestion_list", "frontend:opinion_box", "frontend:casework_rules"}),
    (_("设置"), {"frontend:members", "frontend:tokens", "frontend:audit"}),
]


def site(request) -> dict:
    """The county (or the platform) the page belongs to, and the navigation this person may use."""
    tenant = getattr(request, "tenant", None)
    is_platform = bool(getattr(tenant, "is_public", True))
    nav = _nav(request) if not is_platform else []
    return {"site": tenant, "is_platform": is_platform, "nav": [(label, url) for label, url, _name in nav],
            "nav_groups": _grouped(nav)}


def _grouped(nav: list[tuple[str, str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    if not nav:
        return []
    home = (_("首页"), reverse("frontend:home"))
    groups = [(title, [(label, url) for label, url, name in nav if name in names]) for title, names in GROUPS]
    known = set().union(*(names for _title, names in GROUPS))
    groups[0][1][:0] = [home, *((label, url) for label, url, name in nav if name not in known)]
    return [(title, links) for title, links in groups if links]


def _nav(request) -> list[tuple[str, str, str]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    actor = actor_of(request)
    return [
        (label, reverse(name), name)
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
