"""Following a county's writes: each audit row names an action and its target; after commit, one
refresh task per transaction recomputes only the domains and months those targets touch (and the cases
awaiting feedback only when a touched case has a feedback deadline: compute.awaiting_touched).

A write that leaves no audit row, or an action not listed here, is caught by the nightly rebuild, which
reports it as drift.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.db import transaction

from audit import services as audit
from audit.models import AuditEntry
from casework.models import Case, ExtensionRequest, Opinion, Suggestion
from core.tasks import publish
from duties.models import DutyRecord
from reception.models import ReceptionSession
from tenants.db import tenant_connection
from tenants.models import STATE_MONTH

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


# Targets noted and not yet published, per schema, in this thread (a connection is per thread too).
_noted = threading.local()


def _pending(schema: str) -> dict[tuple[str, str, str], None]:
    """The targets noted in `schema` and not yet published (insertion-ordered, without repeats)."""
    if not hasattr(_noted, "by_schema"):
        _noted.by_schema = {}
    return _noted.by_schema.setdefault(schema, {})


def pending(schema: str) -> list[list[str]]:
    """What the next refresh of `schema` will be given (for tests and the benchmark)."""
    return [list(item) for item in _pending(schema)]


def flush(schema: str) -> None:
    """After commit: publish one refresh with every target noted in `schema` so far, and forget them.
    The first callback of a transaction publishes them all; the transaction's other callbacks find the
    list empty and publish nothing."""
    items = pending(schema)
    _pending(schema).clear()
    if items:
        publish(REFRESH_TASK, schema, items)


def note(entry: AuditEntry) -> None:
    """audit's hook: remember the target of a followed action (no query here), and ask for a flush after
    commit.

    One refresh per transaction, with public APIs only: every noted write registers its own
    `transaction.on_commit(flush)`, and the first flush to run publishes everything noted in the schema.
    Registering once per transaction instead would need to know whether the callback registered earlier
    is still pending: a rollback (of the transaction, or of the savepoint it was registered in) drops it
    silently, and Django tells only through its private `run_on_commit` list. With a callback per write,
    each callback lives and dies with its own write (the same savepoint), so a committed write always has
    one. What a rollback leaves behind is the targets it noted: the next commit in that schema publishes
    them along with its own, a refresh of months that may not have changed -- harmless (a refresh
    recomputes from the source rows) and rare. The extra callbacks cost a function call each.
    """
    schema = tenant_connection().schema_name
    if schema == "public" or not followed(entry.action):
        return
    noted = _pending(schema)
    noted[(entry.action, entry.target_type, entry.target_id)] = None
    if entry.action == "case.merge":  # the cases folded into the target leave their months' figures
        for merged in (entry.data or {}).get("merged", []):
            noted[(entry.action, "casework.case", str(merged))] = None
    transaction.on_commit(lambda: flush(schema))


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
    def add_case(received_on: dt.date | None, due_on: dt.date | None) -> None:
        add("cases", received_on)
        if received_on is not None and due_on is not None:  # it can be awaiting feedback: the present state
            found["cases"].add(STATE_MONTH)

    if target_type == "casework.case":
        for received_on, due_on, submitted_on in Case.objects.filter(pk=pk).values_list(
                "received_on", "feedback_due_on", "suggestion__submitted_on"):
            add_case(received_on, due_on)
            add("suggestions", submitted_on)
    elif target_type == "casework.opinion":
        for received_on, due_on in Opinion.objects.filter(pk=pk).values_list("case__received_on",
                                                                             "case__feedback_due_on"):
            add_case(received_on, due_on)
    elif target_type in ("casework.suggestion", "casework.extensionrequest"):
        qs = (Suggestion.objects.filter(pk=pk) if target_type == "casework.suggestion"
              else Suggestion.objects.filter(pk__in=ExtensionRequest.objects.filter(pk=pk).values("suggestion_id")))
        for submitted_on, received_on, due_on in qs.values_list("submitted_on", "case__received_on",
                                                                "case__feedback_due_on"):
            add("suggestions", submitted_on)
            add_case(received_on, due_on)
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
            slices[domain] = (slices.get(domain) or set()) | months
    return slices
