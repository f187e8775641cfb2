"""Deadlines upstairs: an item is due a region's RegionDeadline.answer_working_days working days (the national
calendar, workdays) after it reached its level (Escalation.arrived_on); the daily scan (beat, public schema)
tells the level's staff and the units holding it of items due within due_soon_working_days and of items past
due — once per item, kind, recipient and day (the outbox's dedupe key names the day)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework.services.escalation import upstairs_notice
from tenants.models import ESCALATION_LIVE, Escalation, EscalationAssignment, RegionDeadline
from workdays.selectors import add_working_days

SCAN_TASK = "upstairs.deadline_scan"


def deadline_rules() -> dict[tuple[int, int | None], tuple[int, int]]:
    """(province id, prefecture id or None) -> (answer days, due-soon days), for the regions that set them."""
    return {(r.province_id, r.prefecture_id): (r.answer_working_days, r.due_soon_working_days)
            for r in RegionDeadline.objects.all()}


def rule_for(escalation: Escalation, rules: dict) -> tuple[int, int]:
    return rules.get((escalation.province_id, escalation.prefecture_id),
                     (RegionDeadline.DEFAULT_ANSWER_DAYS, RegionDeadline.DEFAULT_DUE_SOON_DAYS))


def escalation_due_on(escalation: Escalation, rules: dict | None = None) -> dt.date | None:
    """The item's deadline at its level now (None before it has arrived anywhere)."""
    if escalation.arrived_on is None:
        return None
    days, _soon = rule_for(escalation, deadline_rules() if rules is None else rules)
    return add_working_days(escalation.arrived_on, days)


@transaction.atomic
def escalation_deadline_scan(*, on: dt.date | None = None) -> int:
    """Notices of the live items due soon or overdue `on` (today); returns the messages offered (those already
    in the outbox for that day are skipped by their key). Dates are worked out once per (arrival day, rule)."""
    on = on or timezone.localdate()
    rules = deadline_rules()
    add = lru_cache(maxsize=None)(add_working_days)
    items = list(Escalation.objects.filter(status__in=ESCALATION_LIVE, arrived_on__isnull=False)
                 .select_related("county").only("pk", "summary", "level", "province_id", "prefecture_id",
                                                 "arrived_on", "rounds", "county__name"))
    due: list[tuple[Escalation, str, dt.date]] = []
    for item in items:
        days, soon = rule_for(item, rules)
        assert item.arrived_on is not None  # filtered above
        deadline = add(item.arrived_on, days)
        if deadline < on:
            due.append((item, "overdue", deadline))
        elif deadline <= add(on, soon):
            due.append((item, "due_soon", deadline))
    units: dict[int, list[int]] = defaultdict(list)
    for escalation_id, unit_id in EscalationAssignment.objects.filter(
            Q(escalation_id__in=[item.pk for item, _kind, _date in due]), is_active=True).values_list(
            "escalation_id", "unit_id"):
        units[escalation_id].append(unit_id)
    offered = 0
    for item, kind, deadline in due:
        step = f"{on:%Y%m%d}"
        offered += upstairs_notice(item, kind=kind, step=step, due=deadline)
        if units.get(item.pk):
            offered += upstairs_notice(item, kind=kind, step=step, unit_ids=units[item.pk], due=deadline)
    return offered


@shared_task(name=SCAN_TASK, ignore_result=True)
def deadline_scan_task() -> int:
    """Daily (beat), in the public schema. Idempotent: a second run the same day writes nothing new."""
    return escalation_deadline_scan()
