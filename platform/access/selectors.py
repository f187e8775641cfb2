"""Reads about who may do what in the current county."""

from django.db.models import QuerySet

from .models import Membership, Role
from .scope import Actor


def memberships_active(*, account_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(account_id=account_id, is_active=True)


def roles_of(*, account_id: int) -> set[str]:
    return set(memberships_active(account_id=account_id).values_list("role", flat=True))


def is_county_admin(*, account_id: int) -> bool:
    return memberships_active(account_id=account_id).filter(role=Role.COUNTY_ADMIN).exists()


def membership_list() -> QuerySet[Membership]:
    return Membership.objects.select_related("account").order_by("role", "account__name")


def memberships_visible_to(actor: Actor) -> QuerySet[Membership]:
    """County administrators see every membership of their county; anyone else only their own. Asked of the
    Actor, so an API token acting with one role of an administrator's account sees what that role sees."""
    qs = membership_list()
    if actor.is_admin:
        return qs
    if actor.account_id is None:
        return qs.none()
    return qs.filter(account_id=actor.account_id)
