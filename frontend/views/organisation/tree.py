"""The county's tree: county -> townships -> villages -> venues, with stationed deputies and groups."""

from __future__ import annotations

from django.shortcuts import render

from access.scope import Actor
from frontend.pages import member_required
from people.models import GroupMember
from people.selectors import county_tree

OFFICER_ROLES = (GroupMember.Role.LEADER, GroupMember.Role.VICE_LEADER, GroupMember.Role.LIAISON_OFFICER)


def _officers(node) -> list[tuple[str, list[str]]]:
    """The group's leader, vice leaders and liaison officers, by role, for one venue of the tree."""
    if node.group is None:
        return []
    members = list(node.group.members.all())
    return [(role.label, names) for role in OFFICER_ROLES
            if (names := [m.deputy.account.name for m in members if m.role == role])]


@member_required
def tree(request, me: Actor):
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
