"""The county's tree: county -> townships -> villages -> venues, with stationed deputies and groups."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import render

from organisation.models import Venue, Village
from organisation.selectors import TreeVenue, townships_current
from people.models import GroupMember, Stationing

from .common import member_view

OFFICER_ROLES = (GroupMember.Role.LEADER, GroupMember.Role.VICE_LEADER, GroupMember.Role.LIAISON_OFFICER)


def county_tree() -> tuple[list[TreeVenue], list]:
    """organisation.selectors.county_tree, with each venue's group read in the venue query: five queries
    instead of six, which keeps this page within ten with the request's own five (session, account,
    admission, actor). A stop-gap until the selector has this change (reported); then call it instead."""
    stationed = Prefetch(
        "stationings",
        queryset=Stationing.objects.filter(ended_on__isnull=True).select_related("deputy__account")
        .order_by("deputy__account__name"),
        to_attr="current_stationings",
    )
    members = Prefetch("group__members", queryset=GroupMember.objects.select_related("deputy__account"))
    venues = list(Venue.objects.exclude(status=Venue.Status.CLOSED).select_related("village", "group")
                  .prefetch_related(stationed, members).order_by("kind", "name"))
    by_township: dict[int | None, list[TreeVenue]] = {}
    for venue in venues:
        node = TreeVenue(venue=venue, deputies=[s.deputy for s in venue.current_stationings],
                         group=getattr(venue, "group", None))  # a venue without a group raises; getattr absorbs
        by_township.setdefault(venue.township_id, []).append(node)
    townships = list(townships_current().prefetch_related(
        Prefetch("villages", queryset=Village.objects.current().order_by("division_code", "name"))))
    for township in townships:
        township.tree_venues = by_township.get(township.pk, [])
    return by_township.get(None, []), townships


def _officers(node) -> list[tuple[str, list[str]]]:
    """The group's leader, vice leaders and liaison officers, by role, for one venue of the tree."""
    if node.group is None:
        return []
    members = list(node.group.members.all())
    return [(role.label, names) for role in OFFICER_ROLES
            if (names := [m.deputy.account.name for m in members if m.role == role])]


@member_view
def tree(request):
    county_venues, townships = county_tree()
    deputies = 0
    for node in county_venues:
        node.officers = _officers(node)
        deputies += len(node.deputies)
    for township in townships:
        villages = list(township.villages.all())
        by_village: dict[int, list] = {village.pk: [] for village in villages}
        township.own_venues = []  # township-level venues, and any whose village is no longer current
        township.deputy_count = 0
        for node in township.tree_venues:
            node.officers = _officers(node)
            township.deputy_count += len(node.deputies)
            by_village.get(node.venue.village_id, township.own_venues).append(node)
        township.village_nodes = [(village, by_village[village.pk]) for village in villages]
        deputies += township.deputy_count
    venue_count = len(county_venues) + sum(len(t.tree_venues) for t in townships)
    return render(request, "frontend/organisation/tree.html", {
        "county_venues": county_venues, "townships": townships, "venue_count": venue_count,
        "stationed_count": deputies,
    })
