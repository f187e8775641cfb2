"""Who is acting in this county: their active memberships (access) and their deputy row (people).

The Actor itself is access's (the permission layer every app reads); building one needs the deputy row
too, so it is built here, in the lowest layer that knows both.
"""

from __future__ import annotations

from access.models import ApiToken, Membership, Role
from access.scope import ANONYMOUS, Actor
from organisation.selectors import township_predecessors
from people.models import Deputy


def actor_for(account, *, only_role: str | None = None) -> Actor:
    """Two queries: the account's active memberships (with their venues' townships) and its deputy row (a
    third for township staff: the townships re-divided into theirs). With only_role (an API token's role),
    the memberships of that role alone."""
    if account is None or not getattr(account, "is_authenticated", False):
        return ANONYMOUS
    memberships = Membership.objects.filter(account_id=account.pk, is_active=True)
    if only_role is not None:
        memberships = memberships.filter(role=only_role)
    rows = list(
        memberships
        .values_list("role", "township_id", "venue_id", "venue__township_id", "handling_unit_id")
    )
    deputy_id = Deputy.objects.filter(account_id=account.pk).values_list("pk", flat=True).first()
    townships = frozenset(r[1] for r in rows if r[0] == Role.TOWNSHIP_STAFF and r[1])
    return Actor(
        account_id=account.pk,
        roles=frozenset(r[0] for r in rows),
        # a township's staff also keep the books of the townships re-divided into it (open cases received
        # there before the merge, their records): one more query, for township staff only
        township_ids=townships | township_predecessors(townships),
        venue_ids=frozenset(r[2] for r in rows if r[0] == Role.STATION_STAFF and r[2]),
        venue_township_ids=frozenset(r[3] for r in rows if r[0] == Role.STATION_STAFF and r[3]),
        handling_unit_ids=frozenset(r[4] for r in rows if r[0] == Role.HANDLING_UNIT and r[4]),
        deputy_id=deputy_id if Role.DEPUTY in {r[0] for r in rows} else None,
    )


def actor_of(request) -> Actor:
    """The request's actor, built once per request; an API token's request acts with the token's role only."""
    actor = getattr(request, "_jiazhan_actor", None)
    if actor is None:
        token = getattr(request, "auth", None)
        only_role = token.role if isinstance(token, ApiToken) else None
        actor = (actor_for(getattr(request, "user", None), only_role=only_role)
                 if not request.tenant.is_public else ANONYMOUS)
        request._jiazhan_actor = actor
    return actor
