"""Which steps an upstairs item (tenants.Escalation) offers a platform account now, beside the transition
table it follows (tenants.models.escalations.ESCALATION_TRANSITIONS) — the same two halves as the county's
casework.actions: `*_by_role` (who: a refusal is a 403) and `*_by_status` (where the item stands: a refusal
is a 400 that says why); `escalation_actions` is what both allow. No queries once the page has read the
account's region roles and the items its units hold (escalations_actions reads them for a whole page)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Escalation, EscalationAssignment, RegionRole


class EscalationAction(models.TextChoices):
    ACCEPT = "accept", _("受理")
    PROGRESS = "progress", _("反馈办理进展")
    FORWARD = "forward", _("转送")
    RETURN = "return", _("退回县级")
    ASSIGN = "assign", _("交办单位")
    DRAFT = "draft", _("起草答复")
    APPROVE = "approve", _("审核并发送答复")
    REJECT = "reject", _("退回答复草稿")
    ANSWER = "answer", _("答复")


STAFF_ACTIONS = frozenset(EscalationAction.values) - {EscalationAction.DRAFT}
UNIT_ACTIONS = frozenset({EscalationAction.PROGRESS, EscalationAction.DRAFT})
BY_STATUS: dict[str, frozenset[str]] = {
    Escalation.Status.OPEN: frozenset({EscalationAction.ACCEPT, EscalationAction.PROGRESS, EscalationAction.FORWARD,
                                       EscalationAction.RETURN, EscalationAction.ANSWER}),
    Escalation.Status.ACCEPTED: frozenset({EscalationAction.PROGRESS, EscalationAction.FORWARD,
                                           EscalationAction.RETURN, EscalationAction.ASSIGN, EscalationAction.DRAFT,
                                           EscalationAction.ANSWER}),
    Escalation.Status.DRAFTED: frozenset({EscalationAction.PROGRESS, EscalationAction.FORWARD,
                                          EscalationAction.RETURN, EscalationAction.ASSIGN, EscalationAction.DRAFT,
                                          EscalationAction.APPROVE, EscalationAction.REJECT,
                                          EscalationAction.ANSWER}),
}


def region_roles_of(account) -> list[RegionRole]:
    if account is None or not account.is_authenticated:
        return []
    return list(account.region_roles.all())


def staff_reach(escalation: Escalation, roles: Iterable[RegionRole]) -> bool:
    """A prefecture's staff reach their prefecture's prefecture-level items, a province's its province-level
    ones (the inbox's own scope)."""
    for role in roles:
        if role.role == RegionRole.Role.PREFECTURE_STAFF:
            if escalation.level == Escalation.Level.PREFECTURE and escalation.prefecture_id == role.prefecture_id:
                return True
        elif escalation.level == Escalation.Level.PROVINCE and escalation.province_id == role.province_id:
            return True
    return False


def assigned_to_account(account, escalation_ids: Iterable[int]) -> set[int]:
    """Of these items, those an active assignment gives to a unit the account belongs to (one query)."""
    ids = list(escalation_ids)
    if not ids or account is None or not account.is_authenticated:
        return set()
    return set(EscalationAssignment.objects.filter(escalation_id__in=ids, is_active=True, unit__members=account)
               .values_list("escalation_id", flat=True))


def escalation_actions_by_role(account, escalation: Escalation, *, roles: Iterable[RegionRole] | None = None,
                               assigned: bool | None = None) -> frozenset[str]:
    """The staff of the item's level do everything but draft; a unit the item is assigned to (this round)
    drafts the answer and reports progress. `roles`/`assigned`: read once by a page."""
    if roles is None:
        roles = region_roles_of(account)
    if staff_reach(escalation, roles):
        return STAFF_ACTIONS
    if assigned is None:
        assigned = escalation.pk in assigned_to_account(account, [escalation.pk])
    return UNIT_ACTIONS if assigned else frozenset()


def escalation_actions_by_status(escalation: Escalation) -> frozenset[str]:
    """Answered, returned to the county or withdrawn: nothing more to do upstairs (until the county sends it
    again or a constituent's "unsatisfied" opens a new round). A province-level item goes down only to the
    county's own prefecture."""
    allowed = BY_STATUS.get(escalation.status, frozenset())
    if escalation.level == Escalation.Level.PROVINCE and escalation.county.prefecture_id is None:
        allowed -= {EscalationAction.FORWARD}
    return allowed


def escalation_actions(account, escalation: Escalation, *, roles: Iterable[RegionRole] | None = None,
                       assigned: bool | None = None) -> frozenset[str]:
    """What the platform account may do on an upstairs item now."""
    return (escalation_actions_by_role(account, escalation, roles=roles, assigned=assigned)
            & escalation_actions_by_status(escalation))


def escalations_actions(account, escalations: Iterable[Escalation]) -> dict[int, frozenset[str]]:
    """escalation_actions for a page of items in at most two queries, however long the page."""
    rows = list(escalations)
    roles = region_roles_of(account)
    assigned = assigned_to_account(account, [e.pk for e in rows if not staff_reach(e, roles)])
    return {e.pk: escalation_actions(account, e, roles=roles, assigned=e.pk in assigned) for e in rows}


__all__ = ["EscalationAction", "assigned_to_account", "escalation_actions", "escalation_actions_by_role",
           "escalation_actions_by_status", "escalations_actions", "region_roles_of", "staff_reach"]
