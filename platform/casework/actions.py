"""Which actions a case or a suggestion offers an actor now, beside the transition tables they follow.

Each object's rule comes in two halves: `*_actions_by_role` (the actor's role and scope: a refusal is a 403)
and `*_actions_by_status` (where the object stands: a refusal is a 400 that says why). `*_actions` is what
both allow: the API lists it, the pages show the forms for it, and the services check the halves apart so
that each refusal keeps its own message. The codes are stable English identifiers, labelled in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.scope import Actor

from .models import Case, CaseStatus, ExtensionRequest, Suggestion, SuggestionAssignment, SuggestionStatus
from .models.cases import CASE_TRANSITIONS
from .models.suggestions import FINISHED_STATUSES, HANDLING_STATUSES, SUGGESTION_TRANSITIONS


class CaseAction(models.TextChoices):
    ROUTE = "route", _("分办")
    ANSWER = "answer", _("答复选民")
    MERGE = "merge", _("并案")  # fold other cases into this one
    CLOSE = "close", _("办结")


class SuggestionAction(models.TextChoices):
    REGISTER = "register", _("立案")
    REFUSE = "refuse", _("不予立案")
    ASSIGN = "assign", _("交办")
    SUPERVISE = "supervise", _("督办卡")
    CLOSE = "close", _("常委会决定办结")
    DECIDE = "decide", _("审批延期申请")
    ANSWER = "answer", _("答复代表")
    EXTENSION = "extension", _("申请延期")
    RETURN = "return", _("退回交办")
    RATE = "rate", _("评价办理情况")


def _codes(*pairs: tuple[models.TextChoices, bool]) -> frozenset[str]:
    return frozenset(code.value for code, allowed in pairs if allowed)


def may_handle(actor: Actor, case: Case) -> bool:
    """The county's office and the presidium of the case's township route and answer; stations do not."""
    return actor.is_admin or (case.township_id is not None and case.township_id in actor.township_ids)


def case_actions_by_role(actor: Actor, case: Case) -> frozenset[str]:
    """Who handles the case may route, answer and merge it; the county office closes it at any point, the
    township's presidium only once it is answered (so it reads the status: check it on the locked row)."""
    handles = may_handle(actor, case)
    return _codes((CaseAction.ROUTE, handles), (CaseAction.ANSWER, handles), (CaseAction.MERGE, handles),
                  (CaseAction.CLOSE, actor.is_admin or (handles and case.status == CaseStatus.ANSWERED)))


def case_actions_by_status(case: Case) -> frozenset[str]:
    """Re-handling goes through the constituent's rating, not a re-route; the township answers only what it
    handles; a closed or merged case takes in no other."""
    status = case.status
    return _codes((CaseAction.ROUTE, status == CaseStatus.RECEIVED),
                  (CaseAction.ANSWER, status == CaseStatus.TOWNSHIP_HANDLING),
                  (CaseAction.MERGE, status not in (CaseStatus.MERGED, CaseStatus.CLOSED)),
                  (CaseAction.CLOSE, CaseStatus.CLOSED in CASE_TRANSITIONS[status]))


def case_actions(actor: Actor, case: Case) -> frozenset[str]:
    """What the actor may do on the case now; no queries."""
    return case_actions_by_role(actor, case) & case_actions_by_status(case)


def may_publish(actor: Actor) -> bool:
    """公开答复 is the county's decision (casework.publication): its office publishes or withholds a case."""
    return actor.is_admin


def publishable_now(case: Case) -> bool:
    """Only an answer can be published: an answered or closed case that has one."""
    return case.status in (CaseStatus.ANSWERED, CaseStatus.CLOSED) and bool(case.answer)


def suggestion_actions_by_role(actor: Actor, suggestion: Suggestion, *,
                               mine: Iterable[SuggestionAssignment]) -> frozenset[str]:
    """The county office registers, assigns, supervises, closes and decides extensions; a unit with an
    active assignment (`mine`) may return it, the lead unit answers and asks for more time; the lead deputy
    rates."""
    mine = list(mine)
    lead = any(a.is_lead for a in mine)
    admin = actor.is_admin
    return _codes((SuggestionAction.REGISTER, admin), (SuggestionAction.REFUSE, admin),
                  (SuggestionAction.ASSIGN, admin), (SuggestionAction.SUPERVISE, admin),
                  (SuggestionAction.CLOSE, admin), (SuggestionAction.DECIDE, admin),
                  (SuggestionAction.ANSWER, lead), (SuggestionAction.EXTENSION, lead),
                  (SuggestionAction.RETURN, bool(mine)),
                  (SuggestionAction.RATE, actor.deputy_id is not None and actor.deputy_id == suggestion.lead_deputy_id))


def suggestion_actions_by_status(suggestion: Suggestion, *, mine: Iterable[SuggestionAssignment] = (),
                                 pending: bool = False, today: dt.date | None = None) -> frozenset[str]:
    """`pending`: an extension request awaits the office's decision. A unit returns a misassigned item only
    within its return period (`mine` gives the dates)."""
    status = suggestion.status
    steps = SUGGESTION_TRANSITIONS[status]
    today = today or timezone.localdate()
    handling = status in HANDLING_STATUSES
    return _codes((SuggestionAction.REGISTER, status == SuggestionStatus.SUBMITTED),
                  (SuggestionAction.REFUSE, SuggestionStatus.NOT_ACCEPTED in steps),
                  (SuggestionAction.ASSIGN, SuggestionStatus.ASSIGNED in steps),
                  (SuggestionAction.SUPERVISE, status not in FINISHED_STATUSES),
                  (SuggestionAction.CLOSE, SuggestionStatus.CLOSED in steps),
                  (SuggestionAction.DECIDE, pending),
                  (SuggestionAction.ANSWER, handling),
                  (SuggestionAction.EXTENSION, handling and not pending),
                  (SuggestionAction.RETURN, status == SuggestionStatus.ASSIGNED
                   and any(today <= a.return_by for a in mine)),
                  (SuggestionAction.RATE, status == SuggestionStatus.ANSWERED))


def suggestion_actions(actor: Actor, suggestion: Suggestion, *, mine: Iterable[SuggestionAssignment] | None = None,
                       pending: bool | None = None) -> frozenset[str]:
    """What the actor may do on the suggestion now. `mine` (the actor's units' active assignments) and
    `pending` default to the suggestion's `assignments` and `extensions` (prefetched by suggestion_detail);
    a list uses suggestions_actions, which reads them for a whole page at once."""
    if mine is None:
        mine = [a for a in suggestion.assignments.all() if a.is_active and a.unit_id in actor.handling_unit_ids] \
            if actor.handling_unit_ids else []
    mine = list(mine)
    by_role = suggestion_actions_by_role(actor, suggestion, mine=mine)
    if pending is None:
        needs = {SuggestionAction.DECIDE.value, SuggestionAction.EXTENSION.value}
        pending = bool(by_role & needs) and any(e.status == ExtensionRequest.Status.PENDING
                                                for e in suggestion.extensions.all())
    return by_role & suggestion_actions_by_status(suggestion, mine=mine, pending=pending)


def suggestions_actions(actor: Actor, suggestions: Iterable[Suggestion]) -> dict[int, frozenset[str]]:
    """suggestion_actions for a page of suggestions in at most two queries, however long the page."""
    rows = list(suggestions)
    ids = [s.pk for s in rows]
    mine: dict[int, list[SuggestionAssignment]] = defaultdict(list)
    if actor.handling_unit_ids and ids:
        for assignment in SuggestionAssignment.objects.filter(suggestion_id__in=ids, is_active=True,
                                                              unit_id__in=actor.handling_unit_ids):
            mine[assignment.suggestion_id].append(assignment)
    pending: set[int] = set()
    if ids and (actor.is_admin or mine):
        pending = set(ExtensionRequest.objects.filter(suggestion_id__in=ids, status=ExtensionRequest.Status.PENDING)
                      .values_list("suggestion_id", flat=True))
    return {s.pk: suggestion_actions(actor, s, mine=mine.get(s.pk, []), pending=s.pk in pending) for s in rows}


__all__ = ["CaseAction", "SuggestionAction", "case_actions", "case_actions_by_role", "case_actions_by_status",
           "may_handle", "suggestion_actions", "suggestion_actions_by_role", "suggestion_actions_by_status",
           "suggestions_actions"]
