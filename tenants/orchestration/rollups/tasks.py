"""The rollups' tasks (each runs in the county's schema it was sent from)."""

from __future__ import annotations

from celery import shared_task

from . import regions, store
from .follow import REFRESH_TASK, slices_of


@shared_task(name=REFRESH_TASK, ignore_result=True, acks_late=True)
def refresh(items: list) -> int:
    """After a county's writes: recompute the domains and months they touched; returns the rows changed."""
    slices = slices_of(items)
    return store.refresh(slices).drift if slices else 0


@shared_task(name="rollups.rebuild", ignore_result=True, acks_late=True)
def rebuild() -> int:
    """Nightly, per county (beat's fan-out): recompute everything, correct and report the drift."""
    return store.rebuild().drift


@shared_task(name="rollups.rebuild_regions", ignore_result=True, acks_late=True)
def rebuild_regions() -> int:
    """Nightly, once, in the public schema (after the counties' rebuilds): the province and prefecture rows
    and the counties' headlines recomputed from the county totals; the drift is kept (RollupRun, no county)."""
    return regions.rebuild().drift
