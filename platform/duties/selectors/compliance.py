"""The three-ones rule (三个一, 002): a reception and a visit each month, a report to voters each year,
counted from confirmed duty records per deputy, rolled up per station and township; beside it, the voters
each deputy met against the county's yearly figure (pairing rule, 004). A few queries for the whole
report (the deputies, the counts grouped in SQL, the rule rows), whatever the county's size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from access.scope import Actor
from duties.models import DutyKind, DutyRecord, DutyRule
from duties.selectors.records import deputies_in_duty_scope
from duties.selectors.roster import RosterRow, roster_rows, serving_deputies
from organisation.models import Township
from people.models import PairingRule
from people.selectors import DeputyPlaces

KINDS = (DutyKind.RECEPTION, DutyKind.VISIT, DutyKind.REPORT_TO_VOTERS)


@dataclass
class MonthCell:
    month: int
    receptions: int = 0
    visits: int = 0
    ok: bool = False


@dataclass
class DeputyCompliance:
    deputy: RosterRow
    months: list[MonthCell]
    reports: int = 0
    report_ok: bool = False
    voters: int = 0  # voters met in the year's voter-contact records, against the pairing rule's figure
    voters_ok: bool = False

    @property
    def months_ok(self) -> int:
        return sum(cell.ok for cell in self.months)


@dataclass
class Rollup:
    """A station's or township's deputies: how many belonged to it and how many of those met the monthly rule,
    in each month, and the report. A township counts, each month, the deputies it had on the month's first
    day, so a township merged away keeps its months before the merge and its successor has the rest."""

    id: int | None
    name: str
    deputies: int = 0  # deputies counted in any month
    months_ok: list[int] = field(default_factory=list)
    deputies_by_month: list[int] = field(default_factory=list)
    reports_ok: int = 0

    @property
    def rate(self) -> int | None:
        """Share of deputy-months that met the monthly rule, in per cent."""
        cells = sum(self.deputies_by_month)
        return round(100 * sum(self.months_ok) / cells) if cells else None

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(met, deputies) per month: a month with no deputies here is not a zero but an absence."""
        return list(zip(self.months_ok, self.deputies_by_month, strict=True))


@dataclass
class ThreeOnesReport:
    year: int
    months: list[int]
    rule: DutyRule
    voters_per_deputy: int
    rows: list[DeputyCompliance]
    stations: list[Rollup]
    townships: list[Rollup]


def months_of(year: int, today: dt.date | None = None) -> list[int]:
    """The months of `year` that have begun: a month still running counts (its rule can still be met)."""
    today = today or timezone.localdate()
    if year < today.year:
        return list(range(1, 13))
    if year > today.year:
        return []
    return list(range(1, today.month + 1))


def three_ones_report(*, actor: Actor, year: int) -> ThreeOnesReport:
    rule = DutyRule.current()
    months = months_of(year)
    deputies = serving_deputies().filter(pk__in=deputies_in_duty_scope(actor).values("pk"))
    roster = roster_rows(deputies)
    counts: dict[int, dict[tuple[str, int], int]] = defaultdict(dict)
    voters: dict[int, int] = defaultdict(int)  # voters met (the voter-contact records' numbers), same query
    for deputy_id, kind, month, n, met in (
            DutyRecord.objects.filter(status=DutyRecord.Status.CONFIRMED, kind__in=(*KINDS, DutyKind.VOTER_CONTACT),
                                      occurred_on__year=year, deputy_id__in=deputies.values("pk"))
            .annotate(month=ExtractMonth("occurred_on")).values_list("deputy_id", "kind", "month")
            .annotate(n=Count("pk"), met=Sum("constituents_count")).order_by()):
        counts[deputy_id][(kind, month)] = n
        if kind == DutyKind.VOTER_CONTACT:
            voters[deputy_id] += met or 0
    voters_per_deputy = PairingRule.current().voter_contacts_per_deputy
    rows = []
    for deputy in roster:
        found = counts.get(deputy.deputy_id, {})
        cells = []
        for month in months:
            cell = MonthCell(month, found.get((DutyKind.RECEPTION, month), 0), found.get((DutyKind.VISIT, month), 0))
            cell.ok = cell.receptions >= rule.receptions_per_month and cell.visits >= rule.visits_per_month
            cells.append(cell)
        reports = sum(n for (kind, _m), n in found.items() if kind == DutyKind.REPORT_TO_VOTERS)
        met = voters.get(deputy.deputy_id, 0)
        rows.append(DeputyCompliance(deputy, cells, reports, reports >= rule.reports_per_year,
                                     met, met >= voters_per_deputy))
    return ThreeOnesReport(year=year, months=months, rule=rule, voters_per_deputy=voters_per_deputy, rows=rows,
                           stations=_station_rollup(rows, months),
                           townships=_township_rollup(rows, year, months))


def _rollup(rows: list[DeputyCompliance], months: list[int], key_of) -> list[Rollup]:
    """Groups of `rows`: key_of(row, month index) -> (group id, name) of the deputy in that month."""
    groups: dict[int | None, Rollup] = {}
    for row in rows:
        seen: set[int | None] = set()
        key = None
        for i, cell in enumerate(row.months):
            key, name = key_of(row, i)
            group = groups.get(key)
            if group is None:
                group = groups[key] = Rollup(key, name, months_ok=[0] * len(months),
                                             deputies_by_month=[0] * len(months))
            if key not in seen:
                seen.add(key)
                group.deputies += 1
            group.deputies_by_month[i] += 1
            group.months_ok[i] += cell.ok
        if key in groups:
            groups[key].reports_ok += row.report_ok  # the report counts where the deputy is in the last month
    return sorted(groups.values(), key=lambda g: (g.id is None, g.name))


def _station_rollup(rows: list[DeputyCompliance], months: list[int]) -> list[Rollup]:
    return _rollup(rows, months, lambda row, _i: (row.deputy.venue_id, row.deputy.venue_name))


def _township_rollup(rows: list[DeputyCompliance], year: int, months: list[int]) -> list[Rollup]:
    """Each deputy-month in the township the deputy was in on the month's first day (DeputyPlaces)."""
    places = DeputyPlaces([row.deputy.deputy_id for row in rows])
    firsts = [dt.date(year, m, 1) for m in months]
    where = {(row.deputy.deputy_id, i): places.on(row.deputy.deputy_id, day)
             for row in rows for i, day in enumerate(firsts)}
    names = Township.objects.in_bulk({pk for pk in where.values() if pk is not None})
    return _rollup(rows, months, lambda row, i: (
        (pk := where[(row.deputy.deputy_id, i)]), str(names[pk]) if pk in names else ""))


def pair_contacts(*, year: int) -> dict[tuple[int, int], int]:
    """Confirmed pair-contact records of `year` between two deputies (the one whose duty it is, and a
    participant), counted per unordered pair: {(lower id, higher id): n}. One query."""
    found: dict[tuple[int, int], int] = defaultdict(int)
    for deputy_id, other_id, n in (
            DutyRecord.objects.filter(status=DutyRecord.Status.CONFIRMED, kind=DutyKind.PAIR_CONTACT,
                                      occurred_on__year=year, participants__isnull=False)
            .values_list("deputy_id", "participants__id").annotate(n=Count("pk", distinct=True)).order_by()):
        found[(min(deputy_id, other_id), max(deputy_id, other_id))] += n
    return dict(found)


def _pair_key(pairing) -> tuple[int, int]:
    return min(pairing.county_deputy_id, pairing.township_deputy_id), max(pairing.county_deputy_id,
                                                                         pairing.township_deputy_id)


def pairing_contacts(pairings, *, year: int) -> dict[int, int]:
    """Pairing id -> the pair-contact records made this year between its two deputies (the pairing page
    and API add this to people.services.pairing.pairing_compliance: people never imports duties)."""
    found = pair_contacts(year=year)
    return {p.pk: found.get(_pair_key(p), 0) for p in pairings}


def presidium_visits(pairings, *, year: int) -> dict[int, int]:
    """Pairing id -> the confirmed presidium visits (主席团走访代表) of `year` to either of its deputies,
    as the record's deputy or a participant: counted apart from the pair's own contacts, against the
    pairing rule's own figure. A visit to both deputies of a pair counts once. One query."""
    involved: dict[int, set[int]] = defaultdict(set)
    for record_id, deputy_id, other_id in (
            DutyRecord.objects.filter(status=DutyRecord.Status.CONFIRMED, kind=DutyKind.PRESIDIUM_VISIT,
                                      occurred_on__year=year)
            .values_list("pk", "deputy_id", "participants__id")):
        involved[record_id].update(i for i in (deputy_id, other_id) if i is not None)
    return {p.pk: sum(1 for deputies in involved.values() if set(_pair_key(p)) & deputies) for p in pairings}


def voter_contacts(*, year: int, deputy_ids) -> dict[int, int]:
    """Deputy id -> voters met in confirmed voter-contact records (联系选民) of `year`, the number each
    record gives; compared with the county's yearly figure (people.PairingRule.voter_contacts_per_deputy).
    `deputy_ids` is a list or a query of ids. One query."""
    return dict(DutyRecord.objects.filter(status=DutyRecord.Status.CONFIRMED, kind=DutyKind.VOTER_CONTACT,
                                          occurred_on__year=year, deputy_id__in=deputy_ids)
                .values_list("deputy_id").annotate(n=Sum("constituents_count")).order_by())
