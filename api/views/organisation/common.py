"""What the organisation endpoints share beyond api.views.base: whose funds and progress the actor reads."""

from __future__ import annotations

from access.scope import Actor


def progress_township_ids(actor: Actor) -> frozenset[int] | None:
    """Townships whose funds and progress the actor reads: all (None) for the county administrator,
    their own for township staff, their station's township for station staff."""
    if actor.is_admin:
        return None
    return actor.township_ids | actor.venue_township_ids
