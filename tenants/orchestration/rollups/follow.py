"""Following a county's writes: each audit row names an action and its target; after commit, one
refresh task per transaction recomputes only the domains and months those targets touch.

A write that leaves no audit row, or an action not listed here, is caught by the nightly rebuild, which
reports it as drift.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from audit import services as audit
from audit.models import AuditEntry
from casework.models import Case, ExtensionRequest, Opinion, Suggestion
from core.tasks import enqueue_on_commit
from duties.models import DutyRecord
from reception.models import ReceptionSession

from .compute import DOMAINS, month_of

REFRESH_TASK = "rollups.refresh"
ALL = None  # every month of a domain

# action prefix -> the domains recomputed whole
WHOLE = {
    "category.save": ("cases", "suggestions"),  # a category's name is a key
    "handling_unit.save": ("suggestions",),
    "duty_rule.": ("duties",),
    "reception.publish": ("reception",),
    "reception.schedule_update": ("reception",),
    "venue.": ("stations",),
    "assessment.": ("stations",),
    "funding.": ("stations",),
    "township.": ("stations",),
    # Deputies' townships and the three-ones denominators follow the roster.
    "deputy.": ("deputies", "duties"),
    "mandate.": ("deputies", "duties"),
    "stationing.": ("deputies", "duties"),
    "pairing.": ("deputies",),
    "roster.import": ("deputies", "duties"),
    "redivision.": tuple(DOMAINS),
}
# action prefix -> the target's months (resolved after commit, by the task)
MONTHLY = ("case.", "opinion.", "suggestion.", "duty_record.", "reception.attendance_mark", "reception.cancel",
           "reception.move", "reception.record", "reception.rota_set", "reception.sign_in", "reception.sign_out",
           "reception.excuse")


def followed(action: str) -> bool:
    return action.startswith(MONTHLY) or any(action.startswith(prefix) for prefix in WHOLE)


def _pending() -> list:
    """This transaction's list of noted targets, published once after commit (a rolled-back
    transaction's callback is gone with it, and so is its list)."""
    state = getattr(connection, "_rollups_pending", None)
    if state is not None and connection.in_atomic_block:
        items, marker = state
        if any(callback is marker for _sids, callback, _robust in connection.run_on_commit):
            return items
    items: list = []
    enqueue_on_commit(REFRESH_TASK, items)
    if connection.in_atomic_block:
        connection._rollups_pending = (items, connection.run_on_commit[-1][1])
    return items


def note(entry: AuditEntry) -> None:
    """audit's hook: remember the target of a followed action (no query here)."""
    if connection.schema_name == "public" or not followed(entry.action):
        return
    item = [entry.action, entry.target_type, entry.target_id]
    if not connection.in_atomic_block:
        enqueue_on_commit(REFRESH_TASK, [item])  # autocommit: published at once
        return
    items = _pending()
    if item not in items:
        items.append(item)


def register() -> None:
    if note not in audit.RECORDED:
        audit.RECORDED.append(note)


def _months_of(target_type: str, target_id: str) -> dict[str, set[dt.date]]:
    """The domains and months a target's figures sit in."""
    found: dict[str, set[dt.date]] = {}

    def add(domain: str, day: dt.date | None) -> None:
        if day is not None:
            found.setdefault(domain, set()).add(month_of(day))

    if not target_id.isdigit():
        return found
    pk = int(target_id)
    if target_type == "casework.case":
        for received_on, submitted_on in Case.objects.filter(pk=pk).values_list("received_on",
                                                                                "suggestion__submitted_on"):
            add("cases", received_on)
            add("suggestions", submitted_on)
    elif target_type == "casework.opinion":
        add("cases", Opinion.objects.filter(pk=pk).values_list("case__received_on", flat=True).first())
    elif target_type in ("casework.suggestion", "casework.extensionrequest"):
        qs = (Suggestion.objects.filter(pk=pk) if target_type == "casework.suggestion"
              else Suggestion.objects.filter(pk__in=ExtensionRequest.objects.filter(pk=pk).values("suggestion_id")))
        for submitted_on, received_on in qs.values_list("submitted_on", "case__received_on"):
            add("suggestions", submitted_on)
            add("cases", received_on)
    elif target_type == "duties.dutyrecord":
        add("duties", DutyRecord.objects.filter(pk=pk).values_list("occurred_on", flat=True).first())
    elif target_type == "reception.receptionsession":
        add("reception", ReceptionSession.objects.filter(pk=pk).values_list("date", flat=True).first())
    return found


def slices_of(items: list) -> dict[str, set[dt.date] | None]:
    """Noted (action, target type, target id) -> {domain: months, or ALL}."""
    slices: dict[str, set[dt.date] | None] = {}
    for action, target_type, target_id in items:
        whole = next((domains for prefix, domains in WHOLE.items() if action.startswith(prefix)), None)
        if whole is not None:
            slices.update(dict.fromkeys(whole, ALL))
            continue
        for domain, months in _months_of(target_type, target_id).items():
            if domain in slices and slices[domain] is ALL:
                continue
            slices.setdefault(domain, set()).update(months)
    return slices
