"""Reads on the county's organisation; the whole tree and the build-progress report in a few queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from access.scope import Actor, require
from organisation.models import (
    Assessment,
    ConstructionFunding,
    ImportJob,
    Redivision,
    RedivisionLink,
    RedivisionMove,
    RedivisionVillageLink,
    ScheduledRedivision,
    Township,
    Venue,
)


def townships_current() -> QuerySet[Township]:
    return Township.objects.current().order_by("division_code", "name")


def venues_visible_to(actor: Actor) -> QuerySet[Venue]:
    """Every member of the county reads the venues (their addresses and hours are public anyway)."""
    if not actor.is_member:
        return Venue.objects.none()
    return Venue.objects.select_related("township", "village").order_by("township__division_code", "kind", "name")


def venues_managed_by(actor: Actor) -> QuerySet[Venue]:
    qs = Venue.objects.select_related("township", "village")
    if actor.is_admin:
        return qs
    return qs.filter(Q(township_id__in=actor.township_ids) | Q(pk__in=actor.venue_ids))


def assessments_visible_to(actor: Actor) -> QuerySet[Assessment]:
    """Assessments, with their evidence, are read by those who manage the venue."""
    return (Assessment.objects.filter(venue__in=venues_managed_by(actor).values("pk"))
            .select_related("venue", "template").order_by("-assessed_on", "-id"))


def progress_township_ids(actor: Actor) -> frozenset[int] | None:
    """Townships whose funds and build progress the actor reads: all (None) for the county administrator,
    their own for township staff, their station's township for station staff."""
    if actor.is_admin:
        return None
    return actor.township_ids | actor.venue_township_ids


def fundings_visible_to(actor: Actor) -> QuerySet[ConstructionFunding]:
    if not actor.is_staff:
        return ConstructionFunding.objects.none()
    qs = ConstructionFunding.objects.select_related("township").order_by("-year", "township__division_code")
    scope = progress_township_ids(actor)
    return qs if scope is None else qs.filter(township_id__in=scope)


@dataclass
class ProgressRow:
    township: Township | None  # None on the totals row
    central_status: str
    village_planned: int
    village_open: int
    budget: Decimal
    disbursed: Decimal
    spent: Decimal

    @property
    def spent_percent(self) -> Decimal | None:
        return (self.spent * 100 / self.budget).quantize(Decimal("0.1")) if self.budget else None

    @property
    def undisbursed(self) -> Decimal:
        return self.budget - self.disbursed


# A township with several homes or central stations shows the furthest along (open > building > planned).
STATUS_RANK: dict[str, int] = {Venue.Status.CLOSED: 0, Venue.Status.PLANNED: 1, Venue.Status.BUILDING: 2,
                               Venue.Status.OPEN: 3}


def build_progress(year: int) -> list[ProgressRow]:
    """Source 004 篇一's report: per township, the home/central station's state, village stations
    planned and open, and the year's money (budget, disbursed, spent). Three queries."""
    townships = list(townships_current().annotate(
        village_planned=Count("venues", filter=Q(venues__kind=Venue.Kind.VILLAGE_STATION)),
        village_open=Count("venues", filter=Q(venues__kind=Venue.Kind.VILLAGE_STATION,
                                              venues__status=Venue.Status.OPEN)),
    ))
    central: dict[int | None, str] = {}
    for township_id, status in Venue.objects.filter(kind__in=Venue.TOWNSHIP_KINDS).values_list(
            "township_id", "status"):
        if STATUS_RANK[status] > STATUS_RANK.get(central.get(township_id, ""), -1):
            central[township_id] = status
    funds = {f.township_id: f for f in ConstructionFunding.objects.filter(year=year)}
    labels = dict(Venue.Status.choices)
    rows = []
    for township in townships:
        fund = funds.get(township.pk)
        rows.append(ProgressRow(
            township=township,
            central_status=str(labels.get(central.get(township.pk, ""), "未规划")),
            village_planned=township.village_planned,
            village_open=township.village_open,
            budget=fund.budget if fund else Decimal(0),
            disbursed=fund.disbursed if fund else Decimal(0),
            spent=fund.spent if fund else Decimal(0),
        ))
    return rows


PROGRESS_HEADERS = ["乡镇（街道）", "代表之家（中心联络站）", "村级联络站（规划）", "村级联络站（已建成）",
                    "预算（万元）", "财政已拨付（万元）", "未拨付（万元）", "已使用（万元）", "使用率（%）"]


@dataclass
class ProgressReport:
    """The build-progress report as one actor reads it: their townships' rows, the totals, and the table
    (headers, then a line per township and the totals) that the page and the API export alike."""

    year: int
    rows: list[ProgressRow]
    totals: ProgressRow
    headers: list[str] = field(default_factory=lambda: list(PROGRESS_HEADERS))

    @property
    def title(self) -> str:
        return _("%(year)d年建设进度") % {"year": self.year}

    def table(self) -> list[list]:
        body = [[r.township.name if r.township else "", r.central_status, r.village_planned, r.village_open,
                 r.budget, r.disbursed, r.undisbursed, r.spent, r.spent_percent] for r in self.rows]
        t = self.totals
        body.append([_("合计"), "", t.village_planned, t.village_open, t.budget, t.disbursed, t.undisbursed, t.spent,
                     t.spent_percent])
        return body


def build_progress_for(actor: Actor, year: int) -> ProgressReport:
    """The build-progress rows the actor may read (staff only), and their totals."""
    require(actor.is_staff)
    scope = progress_township_ids(actor)
    rows = [row for row in build_progress(year)
            if scope is None or (row.township is not None and row.township.pk in scope)]
    totals = ProgressRow(
        township=None, central_status="", village_planned=sum(r.village_planned for r in rows),
        village_open=sum(r.village_open for r in rows), budget=sum((r.budget for r in rows), Decimal(0)),
        disbursed=sum((r.disbursed for r in rows), Decimal(0)), spent=sum((r.spent for r in rows), Decimal(0)),
    )
    return ProgressReport(year=year, rows=rows, totals=totals)


def venues_public() -> QuerySet[Venue]:
    """The venues the public may visit (online station, kiosk, public API): open ones only."""
    return (Venue.objects.filter(status=Venue.Status.OPEN).select_related("township", "village")
            .order_by("township__division_code", "kind", "name"))


PROGRESS_SECONDS = 24 * 3600


def progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"  # the cache's key function adds the county's schema


def import_job_for(actor: Actor, pk: int, kind: str) -> ImportJob:
    """A background import its starter (or the county administrator) may follow; 404 for missing and
    forbidden alike."""
    job = ImportJob.objects.defer("content").filter(pk=pk, kind=kind).first()
    if job is None or not (actor.is_admin or job.created_by_id == actor.account_id):
        raise Http404
    return job


def scheduled_redivisions(actor: Actor, *, statuses: Iterable[str] | None = None) -> QuerySet[ScheduledRedivision]:
    """The county's scheduled re-divisions (the administrator's), the next to take effect first."""
    require(actor.is_admin)
    rows = ScheduledRedivision.objects.select_related("registered_by").order_by("effective_on", "pk")
    return rows.filter(status__in=list(statuses)) if statuses is not None else rows


def scheduled_redivision_for(actor: Actor, pk: int) -> ScheduledRedivision:
    """One scheduled re-division for the administrator (403 for anyone else), 404 when missing."""
    row = scheduled_redivisions(actor).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def import_job_progress(job: ImportJob) -> dict | None:
    """{"phase", "done", "total"} of a running job, or None (waiting, finished, or the cache unavailable)."""
    if job.is_finished:
        return None
    return cache.get(progress_key(job.pk))


def place_history(subject: str, ids) -> dict[int, list[tuple[dt.date, int]]]:
    """Subject id -> [(effective date, township before)] of the re-divisions that moved it, earliest first
    (RedivisionMove; `subject` one of RedivisionMove.Subject). One query."""
    found: dict[int, list[tuple[dt.date, int]]] = {}
    for subject_id, effective_on, township_id in (
            RedivisionMove.objects.filter(subject=subject, subject_id__in=ids)
            .order_by("redivision__effective_on", "pk")
            .values_list("subject_id", "redivision__effective_on", "from_township_id")):
        found.setdefault(subject_id, []).append((effective_on, township_id))
    return found


def township_on(history: list[tuple[dt.date, int]], current: int | None, day: dt.date) -> int | None:
    """The township a thing was in on `day`: before the first re-division that moved it after that day, the
    township that re-division found it in; else where it is now (`history` from place_history)."""
    for effective_on, township_id in history:
        if day < effective_on:
            return township_id
    return current


def township_of_day(subject: str, subject_id: int | None, current: int | None, day: dt.date) -> int | None:
    """township_on for one thing (one query, none when it was never moved)."""
    if subject_id is None:
        return current
    return township_on(place_history(subject, [subject_id]).get(subject_id, []), current, day)


def venue_township_on(venue_id: int, day: dt.date) -> int | None:
    """The township a venue was in on `day` (two queries)."""
    current = Venue.objects.filter(pk=venue_id).values_list("township_id", flat=True).first()
    return township_of_day(RedivisionMove.Subject.VENUE, venue_id, current, day)


# What a re-division's history shows: its old -> new townships or villages.
REDIVISION_LINKS = ("links__predecessor", "links__successor", "village_links__predecessor__township",
                    "village_links__successor")


def unit_lineages(links: QuerySet, ids: Iterable[int]) -> dict[int, set[int]]:
    """Each of `ids` with every unit whose records roll up into it along `links` (RedivisionLink or
    RedivisionVillageLink rows), read in one query: a county's re-divisions are few."""
    predecessors: dict[int, set[int]] = {}
    for predecessor, successor in links.values_list("predecessor_id", "successor_id"):
        predecessors.setdefault(successor, set()).add(predecessor)
    found = {}
    for pk in ids:
        seen, frontier = {pk}, [pk]
        while frontier:
            frontier = [p for pk_ in frontier for p in predecessors.get(pk_, ()) if p not in seen]
            seen.update(frontier)
        found[pk] = seen
    return found


def village_lineages(ids: Iterable[int]) -> dict[int, set[int]]:
    """Each village with the villages whose records roll up into it (撤并村), through merges and renames, not
    splits: each part inheriting the whole source would count its records twice."""
    return unit_lineages(RedivisionVillageLink.objects.exclude(redivision__kind=Redivision.Kind.SPLIT), ids)


def township_lineages(ids: Iterable[int]) -> dict[int, set[int]]:
    """Each township with the townships whose records roll up into it, through merges and renames, not
    splits (as village_lineages: each part inheriting the whole source would list its records twice)."""
    return unit_lineages(RedivisionLink.objects.exclude(redivision__kind=Redivision.Kind.SPLIT), ids)


def township_predecessors(township_ids) -> frozenset[int]:
    """Every township whose re-division (merge, rename or split, through chains) led to one of these: their
    successors' staff take over what they left open. One query, none when `township_ids` is empty."""
    if not township_ids:
        return frozenset()
    lineages = unit_lineages(RedivisionLink.objects.all(), township_ids)
    return frozenset(set().union(*lineages.values()) - set(township_ids))
