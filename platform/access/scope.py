"""The one permission layer: who the acting person is in this county, and what their roles reach.

API views and UI views both build an Actor with `people.actors.actor_for()` (it reads the deputy row,
which lives above this layer) and pass it to selectors (which rows are visible) and services (which
writes are allowed). A row outside the actor's reach is absent from
their querysets, so missing and forbidden both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Role


@dataclass(frozen=True)
class Actor:
    account_id: int | None
    roles: frozenset[str] = frozenset()
    township_ids: frozenset[int] = frozenset()
    venue_ids: frozenset[int] = frozenset()
    handling_unit_ids: frozenset[int] = frozenset()
    deputy_id: int | None = None
    venue_township_ids: frozenset[int] = field(default=frozenset())

    @property
    def pk(self) -> int | None:
        """The acting account's id, so that audit_record(actor=...) names who acted."""
        return self.account_id

    @property
    def is_member(self) -> bool:
        return bool(self.roles)

    @property
    def is_admin(self) -> bool:
        return Role.COUNTY_ADMIN in self.roles

    @property
    def is_township_staff(self) -> bool:
        return Role.TOWNSHIP_STAFF in self.roles

    @property
    def is_station_staff(self) -> bool:
        return Role.STATION_STAFF in self.roles

    @property
    def is_staff(self) -> bool:
        """Staff who manage organisation and people (some part of the county)."""
        return self.is_admin or self.is_township_staff or self.is_station_staff

    def can_manage_township(self, township_id: int | None) -> bool:
        return self.is_admin or (township_id is not None and township_id in self.township_ids)

    def can_manage_venue(self, venue_id: int, township_id: int | None) -> bool:
        return self.can_manage_township(township_id) or venue_id in self.venue_ids


ANONYMOUS = Actor(account_id=None)


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied(_("您没有权限进行此项操作。"))
