"""The figures of one county, computed from its source rows in its own schema: a handful of GROUP BY
queries per domain, whatever the number of rows, turned into counts keyed (township, month, metric, key,
due date). Runs in the county's schema (a Celery task, or schema_context).

Metric codes (the key in brackets; `month` is the month of the date named):
  cases, by received_on, merged cases left out; each measure by handling tier, category and channel
    (metric suffix .tier / .category / .channel):
    case.received  every case
    case.open      still open (received, in handling, escalated, answered and awaiting the rating)
    case.answered  the constituent had feedback (feedback_sent_on)
    case.on_time   ... on or before the feedback deadline (or with none)
    case.awaiting  open, no feedback yet, with a deadline (state: month STATE_MONTH, whatever the received
                   month): the fact's due_on is the deadline, so that "overdue" (due_on before today) is
                   decided when read; its trend is by the month the deadline passed. A month list
                   recomputes these rows only when it names STATE_MONTH (awaiting_touched)
    case.rating    [satisfied / basically_satisfied / unsatisfied] the constituent's rating
  suggestions, by submitted_on, township 0 (the standing committee's matter):
    suggestion.status [status]; suggestion.unit [lead unit's name];
    suggestion.answer [on_time / late] every round's answer; suggestion.unit_answer, suggestion.unit_on_time
    [unit's name]; suggestion.process, suggestion.result [rating] every round's rating
  duties, by occurred_on, confirmed records, township = the record's (the township of its day):
    duty.kind [kind]; duty.three_ones [deputies / met]: serving deputies, and those who met the monthly
    reception-and-visit rule, in each month that has a confirmed record, each in the township they were in
    on the month's first day (people.selectors.DeputyPlaces)
  reception, by the session's date, township = the session's (its venue's on that date):
    reception.session [planned / cancelled / held]; reception.expected [deputies on the rota of held
    sessions, not excused]; reception.present [signed-in deputies of held sessions]
  stations (state: month STATE_MONTH): station.kind [kind], station.status [status: build progress],
    station.stars [0..5, latest assessment], station.standard [met / not_met / unassessed];
    station.funds [budget / disbursed / spent, in 0.01 万元 (100 yuan)] by year (month: January)
  deputies (state): deputy.level [county / township] serving mandates; deputy.serving [] deputies who serve
    here (a mandate, or a stationing: province and prefecture deputies too), the duties' denominator;
    pairing.township_deputies [total / paired]; pairing.county_deputies [total / over_limit]

Re-division lineage: a record of a township that a merge or rename ended goes, from the effective date,
to its successor (through chains of merges); a split's source keeps its records (each part inheriting it
would count it twice: organisation.services.redivision.township_lineage).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from casework.models import (
    Case,
    CaseStatus,
    Opinion,
    Suggestion,
    SuggestionAnswer,
    SuggestionRating,
)
from casework.models.cases import OPEN_CASE_STATUSES
from core.levels import MandateStatus
from duties.models import DutyKind, DutyRecord, DutyRule
from duties.selectors.roster import serving_deputies
from organisation.models import Assessment, Redivision, RedivisionLink, Township, Venue
from organisation.models.venues import ConstructionFunding
from people.models import Mandate, Pairing, PairingRule
from people.selectors import DeputyPlaces
from people.services.pairing import county_deputies, township_deputies
from reception.models import Attendance, ReceptionSession, RotaEntry
from tenants.models import NO_TOWNSHIP, STATE_MONTH

FactKey = tuple[int, dt.date, str, str, dt.date | None]  # township, month, metric, key, due_on
Facts = dict[FactKey, int]

# The domains a refresh can recompute alone, with the metric prefixes each one owns.
DOMAINS: dict[str, tuple[str, ...]] = {
    "cases": ("case.",),
    "suggestions": ("suggestion.",),
    "duties": ("duty.",),
    "reception": ("reception.",),
    "stations": ("station.",),
    "deputies": ("deputy.", "pairing."),
}
MONTHLY = {"cases", "suggestions", "duties", "reception"}  # the others are recomputed whole


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def in_months(field: str, months: Iterable[dt.date] | None) -> Q:
    """Rows whose `field` falls in one of `months` (all rows when None)."""
    if months is None:
        return Q()
    q = Q(pk__in=[])
    for month in months:
        q |= Q(**{f"{field}__gte": month, f"{field}__lt": next_month(month)})
    return q


class Lineage:
    """Where a township's records go on a given day, through merges and renames (two queries)."""

    def __init__(self) -> None:
        self.names: dict[int, str] = dict(Township.objects.values_list("pk", "name"))
        self.moves: dict[int, tuple[dt.date, int]] = {}
        for predecessor, successor, effective_on in (
                RedivisionLink.objects.exclude(redivision__kind=Redivision.Kind.SPLIT)
                .values_list("predecessor_id", "successor_id", "redivision__effective_on")):
            self.moves[predecessor] = (effective_on, successor)

    def resolve(self, township_id: int | None, on: dt.date) -> int:
        current, seen = township_id or NO_TOWNSHIP, set()
        while current in self.moves and current not in seen:
            seen.add(current)
            effective_on, successor = self.moves[current]
            if on < effective_on:
                break
            current = successor
        return current

    def _segments(self, township_id: int) -> list[tuple[dt.date, int]]:
        """From which day the township's records go to which unit (later days first)."""
        found, current, seen = [], township_id, set()
        while current in self.moves and current not in seen:
            seen.add(current)
            effective_on, current = self.moves[current]
            found.append((effective_on, current))
        return sorted(found, reverse=True)

    def expression(self, township: str, day: str):
        """SQL: the unit that a row's (township, day) rolls up to."""
        whens = [When(**{township: ended, f"{day}__gte": effective_on}, then=Value(target))
                 for ended in self.moves for effective_on, target in self._segments(ended)]
        column = Coalesce(F(township), Value(NO_TOWNSHIP), output_field=IntegerField())
        return CaseWhen(*whens, default=column, output_field=IntegerField()) if whens else column


def _add(facts: Facts, township: int, month: dt.date, metric: str, key: str, n: int,
         due_on: dt.date | None = None) -> None:
    if n:
        facts[(township, month, metric, key, due_on)] = facts.get((township, month, metric, key, due_on), 0) + n


def _with_first_channel(cases: QuerySet, columns: list[str]) -> list[tuple]:
    """`cases` (values of `columns`, and its pk) grouped by those columns and the channel of each case's
    first opinion, with a count: one statement, the opinions joined once (DISTINCT ON) rather than looked
    up by a subquery per case."""
    sql, params = cases.order_by().values("pk", *columns).query.sql_with_params()
    picked = ", ".join(f"c.{connection.ops.quote_name(column)}" for column in columns)
    opinions = connection.ops.quote_name(Opinion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH c AS ({sql}), "
            f"first AS (SELECT DISTINCT ON (o.case_id) o.case_id, o.channel FROM {opinions} o "
            f"          WHERE o.case_id IN (SELECT pk FROM c) ORDER BY o.case_id, o.id) "
            f"SELECT {picked}, first.channel, COUNT(*) FROM c LEFT JOIN first ON first.case_id = c.pk "
            f"GROUP BY {picked}, first.channel", params)
        return cursor.fetchall()


def awaiting_touched(months) -> bool:
    """Whether a slice of the cases domain recomputes the cases awaiting feedback (present state, kept
    under STATE_MONTH): the whole domain does, and a month list does when it names STATE_MONTH (the
    follower adds it when a touched case has a feedback deadline: only those can be awaiting, and a
    deadline, once set, is never cleared)."""
    return months is None or STATE_MONTH in months


def cases(months, lineage: Lineage) -> Facts:
    facts: Facts = {}
    received_months = None if months is None else [m for m in months if m != STATE_MONTH]
    if received_months is None or received_months:
        rows = _with_first_channel(
            Case.objects.exclude(status=CaseStatus.MERGED).filter(in_months("received_on", received_months))
            .annotate(unit=lineage.expression("township_id", "received_on"), m=TruncMonth("received_on"),
                      category_name=F("category__name")),
            ["unit", "m", "jurisdiction", "category_name", "status", "feedback_sent_on", "feedback_due_on",
             "constituent_rating"])
        for unit, month, tier, category, status, sent_on, due_on, rating, channel, n in rows:
            month = month.date() if isinstance(month, dt.datetime) else month  # raw SQL: DATE_TRUNC's timestamp
            keys = (("tier", tier or "unrouted"), ("category", category or ""), ("channel", channel or ""))
            is_open = status in OPEN_CASE_STATUSES
            for dim, key in keys:
                _add(facts, unit, month, f"case.received.{dim}", key, n)
                if is_open:
                    _add(facts, unit, month, f"case.open.{dim}", key, n)
                if sent_on is not None:
                    _add(facts, unit, month, f"case.answered.{dim}", key, n)
                    if due_on is None or sent_on <= due_on:
                        _add(facts, unit, month, f"case.on_time.{dim}", key, n)
            if rating:
                _add(facts, unit, month, "case.rating", rating, n)
    if not awaiting_touched(months):
        return facts
    # The present state (a few hundred rows a county, not a few hundred a month): every open case with a
    # deadline and no feedback yet, by its deadline.
    for unit, tier, category, due_on, channel, n in _with_first_channel(
            Case.objects.filter(status__in=OPEN_CASE_STATUSES, feedback_sent_on__isnull=True,
                                feedback_due_on__isnull=False)
            .annotate(unit=lineage.expression("township_id", "received_on"), category_name=F("category__name")),
            ["unit", "jurisdiction", "category_name", "feedback_due_on"]):
        for dim, key in (("tier", tier or "unrouted"), ("category", category or ""), ("channel", channel or "")):
            _add(facts, unit, STATE_MONTH, f"case.awaiting.{dim}", key, n, due_on)
    return facts


def suggestions(months, lineage: Lineage) -> Facts:
    facts: Facts = {}
    for month, status, unit, n in (
            Suggestion.objects.filter(in_months("submitted_on", months))
            .annotate(m=TruncMonth("submitted_on")).values_list("m", "status", "lead_unit__name")
            .annotate(n=Count("pk")).order_by()):
        _add(facts, NO_TOWNSHIP, month, "suggestion.status", status, n)
        if unit:
            _add(facts, NO_TOWNSHIP, month, "suggestion.unit", unit, n)
    for month, on_time, unit, n in (
            SuggestionAnswer.objects.filter(in_months("suggestion__submitted_on", months))
            .annotate(m=TruncMonth("suggestion__submitted_on")).values_list("m", "on_time", "unit__name")
            .annotate(n=Count("pk")).order_by()):
        _add(facts, NO_TOWNSHIP, month, "suggestion.answer", "on_time" if on_time else "late", n)
        _add(facts, NO_TOWNSHIP, month, "suggestion.unit_answer", unit, n)
        if on_time:
            _add(facts, NO_TOWNSHIP, month, "suggestion.unit_on_time", unit, n)
    for month, process, result, n in (
            SuggestionRating.objects.filter(in_months("suggestion__submitted_on", months))
            .annotate(m=TruncMonth("suggestion__submitted_on")).values_list("m", "process", "result")
            .annotate(n=Count("pk")).order_by()):
        _add(facts, NO_TOWNSHIP, month, "suggestion.process", process, n)
        _add(facts, NO_TOWNSHIP, month, "suggestion.result", result, n)
    return facts


def deputy_townships(lineage: Lineage) -> dict[int, int]:
    """Deputy id -> the township their figures count in today (people.selectors.DeputyPlaces: a serving
    township mandate's, else a current stationing's venue's; county-level deputies are in none)."""
    today = timezone.localdate()
    places = DeputyPlaces(serving_deputies().values("pk"))
    return {deputy_id: lineage.resolve(places.on(deputy_id, today), today) for deputy_id in places.now}


def duties(months, lineage: Lineage) -> Facts:
    facts: Facts = {}
    rule = DutyRule.objects.filter(pk=1).first() or DutyRule()
    monthly: dict[tuple[dt.date, int], dict[str, int]] = defaultdict(dict)
    months_with_records: set[dt.date] = set()
    for unit, month, deputy_id, kind, n in (
            DutyRecord.objects.filter(in_months("occurred_on", months), status=DutyRecord.Status.CONFIRMED)
            .annotate(unit=lineage.expression("township_id", "occurred_on"), m=TruncMonth("occurred_on"))
            .values_list("unit", "m", "deputy_id", "kind").annotate(n=Count("pk")).order_by()):
        _add(facts, unit, month, "duty.kind", kind, n)
        months_with_records.add(month)
        if kind in (DutyKind.RECEPTION, DutyKind.VISIT):
            monthly[(month, deputy_id)][kind] = monthly[(month, deputy_id)].get(kind, 0) + n
    serving = list(serving_deputies().values_list("pk", flat=True))
    places = DeputyPlaces(serving)
    for month in months_with_records:
        for deputy_id in serving:
            # the township the deputy was in on the month's first day, then where that rolls up
            township = lineage.resolve(places.on(deputy_id, month), month)
            _add(facts, township, month, "duty.three_ones", "deputies", 1)
            done = monthly.get((month, deputy_id), {})
            if (done.get(DutyKind.RECEPTION, 0) >= rule.receptions_per_month
                    and done.get(DutyKind.VISIT, 0) >= rule.visits_per_month):
                _add(facts, township, month, "duty.three_ones", "met", 1)
    return facts


def reception(months, lineage: Lineage) -> Facts:
    facts: Facts = {}
    for unit, month, status, held, n in (
            ReceptionSession.objects.filter(in_months("date", months))
            .annotate(unit=lineage.expression("township_id", "date"), m=TruncMonth("date"),
                      held=ExpressionWrapper(Q(record__isnull=False), output_field=BooleanField()))
            .values_list("unit", "m", "status", "held").annotate(n=Count("pk")).order_by()):
        _add(facts, unit, month, "reception.session", "planned", n)
        if status == ReceptionSession.Status.CANCELLED:
            _add(facts, unit, month, "reception.session", "cancelled", n)
        elif held:
            _add(facts, unit, month, "reception.session", "held", n)
    held_sessions = Q(session__record__isnull=False) & ~Q(session__status=ReceptionSession.Status.CANCELLED)
    for model, metric, extra in ((RotaEntry, "reception.expected", Q(excused=False)),
                                 (Attendance, "reception.present", Q())):
        for unit, month, n in (
                model.objects.filter(held_sessions, extra, in_months("session__date", months))
                .annotate(unit=lineage.expression("session__township_id", "session__date"),
                          m=TruncMonth("session__date"))
                .values_list("unit", "m").annotate(n=Count("pk")).order_by()):
            _add(facts, unit, month, metric, "", n)
    return facts


def stations(months, lineage: Lineage) -> Facts:
    facts: Facts = {}
    today = timezone.localdate()
    venues = {}
    for pk, township_id, kind, status in Venue.objects.values_list("pk", "township_id", "kind", "status"):
        unit = lineage.resolve(township_id, today)
        venues[pk] = (unit, status)
        _add(facts, unit, STATE_MONTH, "station.status", status, 1)
        if status != Venue.Status.CLOSED:
            _add(facts, unit, STATE_MONTH, "station.kind", kind, 1)
    assessed = set()
    for venue_id, stars, score, max_score in (
            Assessment.objects.order_by("venue_id", "-assessed_on", "-pk").distinct("venue_id")
            .values_list("venue_id", "stars", "score", "max_score")):
        unit, status = venues[venue_id]
        if status == Venue.Status.CLOSED:
            continue
        assessed.add(venue_id)
        _add(facts, unit, STATE_MONTH, "station.stars", str(stars), 1)
        _add(facts, unit, STATE_MONTH, "station.standard", "met" if max_score and score >= max_score else "not_met", 1)
    for pk, (unit, status) in venues.items():
        if pk not in assessed and status != Venue.Status.CLOSED:
            _add(facts, unit, STATE_MONTH, "station.standard", "unassessed", 1)
    for township_id, year, budget, disbursed, spent in (
            ConstructionFunding.objects.values_list("township_id", "year")
            .annotate(b=Sum("budget"), d=Sum("disbursed"), s=Sum("spent")).order_by()):
        month = dt.date(year, 1, 1)
        unit = lineage.resolve(township_id, month)
        for key, amount in (("budget", budget), ("disbursed", disbursed), ("spent", spent)):
            _add(facts, unit, month, "station.funds", key, int(round((amount or 0) * 100)))
    return facts


def deputies(months, lineage: Lineage) -> Facts:
    facts: Facts = {}
    today = timezone.localdate()
    for township_id, level, n in (Mandate.objects.filter(status=MandateStatus.SERVING, ended_on__isnull=True)
                                  .values_list("township_id", "level").annotate(n=Count("deputy_id", distinct=True))
                                  .order_by()):
        _add(facts, lineage.resolve(township_id, today), STATE_MONTH, "deputy.level", level, n)
    townships = deputy_townships(lineage)
    for deputy_id in serving_deputies().values_list("pk", flat=True):
        _add(facts, townships.get(deputy_id, NO_TOWNSHIP), STATE_MONTH, "deputy.serving", "", 1)
    paired = set(Pairing.objects.filter(ended_on__isnull=True).values_list("township_deputy_id", flat=True))
    for deputy_id in township_deputies().values_list("pk", flat=True):
        township = townships.get(deputy_id, NO_TOWNSHIP)
        _add(facts, township, STATE_MONTH, "pairing.township_deputies", "total", 1)
        if deputy_id in paired:
            _add(facts, township, STATE_MONTH, "pairing.township_deputies", "paired", 1)
    limit = (PairingRule.objects.filter(pk=1).first() or PairingRule()).township_deputies_per_county_deputy
    for n in (county_deputies().annotate(
            n=Count("pairings_as_county", distinct=True, filter=Q(pairings_as_county__ended_on__isnull=True)))
            .values_list("n", flat=True)):
        _add(facts, NO_TOWNSHIP, STATE_MONTH, "pairing.county_deputies", "total", 1)
        if n > limit:
            _add(facts, NO_TOWNSHIP, STATE_MONTH, "pairing.county_deputies", "over_limit", 1)
    return facts


COMPUTE = {"cases": cases, "suggestions": suggestions, "duties": duties, "reception": reception,
           "stations": stations, "deputies": deputies}
