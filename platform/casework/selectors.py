"""Reads of the casework context, scoped by the actor: missing and forbidden are both absent (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext, gettext_lazy

from access.scope import Actor
from audit.services import audit_record
from core.files import mask_mobile
from core.search import text_search
from core.xlsx import rows_to_xlsx
from organisation.models import HandlingUnit
from organisation.selectors import township_lineages, village_lineages
from tenants.db import tenant_connection
from tenants.models import Escalation
from tenants.selectors import current_county

from .models import (
    Case,
    CaseStatus,
    Opinion,
    OpinionAttachment,
    Suggestion,
    SuggestionAnswer,
    SuggestionAssignment,
    SuggestionRating,
)
from .models.cases import Rating


def reads_cases(actor: Actor) -> bool:
    """Who opens the case list: staff and deputies (cases_visible_to then decides which cases)."""
    return actor.is_staff or actor.deputy_id is not None


def cases_visible_to(actor: Actor) -> QuerySet[Case]:
    """The county office sees every case; a township's presidium its township's; a station's staff (who
    supervise, 004 篇四) their station's township's; a deputy the cases they received. Handling units see
    suggestions only."""
    qs = Case.objects.select_related("category", "township", "venue", "deputy__account")
    if actor.is_admin:
        return qs
    scope = Q(pk__in=[])
    if actor.township_ids:
        scope |= Q(township_id__in=actor.township_ids)
    if actor.venue_ids:
        scope |= Q(venue_id__in=actor.venue_ids) | Q(township_id__in=actor.venue_township_ids)
    if actor.deputy_id:
        scope |= Q(deputy_id=actor.deputy_id)
    return qs.filter(scope)


def cases_handled_by(actor: Actor) -> QuerySet[Case]:
    """Cases the actor may route, answer, merge: the county office's, a township presidium's own."""
    if actor.is_admin:
        return Case.objects.all()
    return Case.objects.filter(township_id__in=actor.township_ids)


def sees_constituent(actor: Actor, opinion: Opinion) -> bool:
    """Personal data, decided per opinion (a merged case holds opinions received by different deputies at
    different stations): the county, the township staff of the case's township (they give the feedback),
    the station staff of the station where it was received, the deputy who received it. Everyone else reads
    a masked number and no name."""
    township_id = opinion.case.township_id
    return (actor.is_admin or (township_id is not None and township_id in actor.township_ids)
            or (opinion.venue_id is not None and opinion.venue_id in actor.venue_ids)
            or (actor.deputy_id is not None and opinion.deputy_id == actor.deputy_id))


def constituents_disclosed(actor: Actor, opinions, *, action: str = "constituent.view") -> set[int]:
    """The opinions whose constituent's name and mobile the actor is shown unmasked (sees_constituent), with
    one audit row naming them when there are any (a page, an export, a printed form: one row each)."""
    shown = {o.pk for o in opinions
             if (o.constituent_name or o.constituent_mobile) and sees_constituent(actor, o)}
    if shown:
        cases = sorted({o.case_id for o in opinions if o.pk in shown})
        audit_record(actor=actor, action=action,
                     data={"count": len(shown), "opinions": sorted(shown)[:1000], "cases": cases[:1000]})
    return shown


def cases_filtered(qs: QuerySet[Case], *, status: str = "", category: int | None = None,
                   township: int | None = None, village: int | None = None, q: str = "",
                   overdue_on: dt.date | None = None) -> QuerySet[Case]:
    """`township`: cases of it or of a township merged into it or renamed to it; `village`: cases with an
    opinion about it or about a village merged into it or renamed to it (撤并村)."""
    if status == "open":
        qs = qs.exclude(status__in=[CaseStatus.CLOSED, CaseStatus.MERGED])
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=CaseStatus.MERGED)
    if category:
        qs = qs.filter(category_id=category)
    if township:
        qs = qs.filter(township_id__in=township_lineages([township])[township])
    if village:
        qs = qs.filter(Exists(Opinion.objects.filter(case=OuterRef("pk"),
                                                     village_id__in=village_lineages([village])[village])))
    if q:
        qs = text_search(qs, q, field="search", text="summary")  # as summary__icontains, through an index
    if overdue_on is not None:
        qs = qs.filter(status=CaseStatus.TOWNSHIP_HANDLING, feedback_sent_on__isnull=True,
                       feedback_due_on__lt=overdue_on)
    return qs.order_by("-received_on", "-pk")


def opinions_by_village(actor: Actor, village_ids: list[int]) -> dict[int, int]:
    """How many opinions of the cases the actor reads are about each village, its predecessors' counted with it
    (merges and renames; a split's parts start from none, or its source would be counted twice)."""
    lineages = village_lineages(village_ids)
    counts = dict(Opinion.objects.filter(case__in=cases_visible_to(actor).values("pk"),
                                         village_id__in=set().union(*lineages.values()))
                  .values("village_id").annotate(n=Count("pk")).values_list("village_id", "n"))
    return {pk: sum(counts.get(v, 0) for v in lineage) for pk, lineage in lineages.items()}


def with_escalation_status(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Where each escalated case stands upstairs (`escalation_status`), read from the upper tier's row in the
    public schema within the same query: the county keeps no copy of it."""
    return qs.annotate(escalation_status=Subquery(Escalation.objects.filter(
        pk=OuterRef("escalation_id"), county_id=current_county().pk).values("status")[:1]))


def case_list_page(qs: QuerySet[Case], *, start: int, size: int) -> tuple[list[Case], int]:
    """One page of a filtered case list and the total, in two queries whatever the county's size: the
    count alone (PostgreSQL picks an index on the filter for it), then the page in list order, which
    walks the ordering index and stops after the page (a window count over the same query would make it
    read every match through the ordering index first)."""
    total = qs.order_by().count()
    return (list(qs[start:start + size]) if start < total else []), total


def case_detail(actor: Actor, pk: int) -> Case:
    """One case with its opinions, attachments and timeline (raises Case.DoesNotExist when out of reach)."""
    return (cases_visible_to(actor).prefetch_related(
        Prefetch("opinions", queryset=Opinion.objects.select_related("category", "village", "deputy__account")
                 .prefetch_related("attachments").order_by("pk")),
        "transitions").get(pk=pk))


def unit_group_name(unit_id: int) -> str:
    """The guardian group of a handling unit's people. auth's groups are shared by every county: the name
    carries the schema."""
    return f"casework:{tenant_connection().schema_name}:unit:{unit_id}"


def suggestions_visible_to(actor: Actor) -> QuerySet[Suggestion]:
    """The county office sees all; a handling unit what guardian grants its group; a deputy what they lead
    or co-sign; township and station staff the suggestions made from their cases."""
    qs = Suggestion.objects.select_related("lead_deputy__account", "category", "lead_unit", "supervision")
    if actor.is_admin:
        return qs
    scope = Q(pk__in=[])
    if actor.handling_unit_ids:
        names = [unit_group_name(unit) for unit in actor.handling_unit_ids]
        scope |= Q(pk__in=Suggestion.objects.filter(
            suggestiongroupobjectpermission__group__name__in=names,
            suggestiongroupobjectpermission__permission__codename="handle_suggestion").values("pk"))
    if actor.deputy_id:
        scope |= Q(lead_deputy_id=actor.deputy_id) | Q(pk__in=Suggestion.cosigners.through.objects.filter(
            deputy_id=actor.deputy_id).values("suggestion_id"))
    if actor.township_ids:
        scope |= Q(case__township_id__in=actor.township_ids)
    if actor.venue_ids:
        scope |= Q(case__venue_id__in=actor.venue_ids)
    return qs.filter(scope)


def suggestion_detail(actor: Actor, pk: int) -> Suggestion:
    return (suggestions_visible_to(actor).prefetch_related(
        "cosigners__account", "transitions", "ratings", "extensions__unit",
        Prefetch("answers", queryset=SuggestionAnswer.objects.select_related("unit")),
        Prefetch("assignments", queryset=SuggestionAssignment.objects.select_related("unit").order_by("-is_lead",
                                                                                                      "pk")),
    ).get(pk=pk))


def opinion_by_code(code: str) -> Opinion | None:
    return (Opinion.objects.select_related("case", "category")
            .filter(tracking_code=(code or "").strip().upper()).first())


def escalation_of(case: Case):
    """Where an escalated case stands: the upper level's row in the public schema (one source of truth)."""
    if not case.escalation_id:
        return None
    return (Escalation.objects.prefetch_related("updates").filter(pk=case.escalation_id,
                                                                   county_id=current_county().pk).first())


SCORE: dict[str, int] = {Rating.SATISFIED: 100, Rating.BASICALLY_SATISFIED: 80, Rating.UNSATISFIED: 0}


@dataclass
class Scorecard:
    unit_id: int
    year: int
    assigned: int
    answered: int
    on_time: int
    rated: int
    satisfaction_points: float
    timeliness: float  # 0-100: answers on time / items assigned
    satisfaction: float  # 0-100: mean of the deputies' result ratings (latest round)
    score: float  # half timeliness, half satisfaction (003: 办理质量测评)
    unit_name: str = ""


def reads_scorecards(actor: Actor) -> bool:
    """The county office reads every unit's scorecard, a handling unit's people their own unit's."""
    return actor.is_admin or bool(actor.handling_unit_ids)


def scorecard_units(actor: Actor) -> QuerySet[HandlingUnit]:
    """The units whose scorecards the actor reads (reads_scorecards), in the order the tables list them."""
    units = HandlingUnit.objects.order_by("kind", "name")
    return units if actor.is_admin else units.filter(pk__in=actor.handling_unit_ids)


SCORECARD_HEADERS = [gettext_lazy("承办单位"), gettext_lazy("交办"), gettext_lazy("已答复"), gettext_lazy("按期"),
                     gettext_lazy("已评价"), gettext_lazy("按期率"), gettext_lazy("满意度"), gettext_lazy("得分")]


def scorecards_xlsx(cards: list[Scorecard], *, year: int) -> bytes:
    """The scorecards table (the rules page's) as a one-sheet workbook."""
    rows = ([c.unit_name, c.assigned, c.answered, c.on_time, c.rated, c.timeliness, c.satisfaction, c.score]
            for c in cards)
    return rows_to_xlsx([str(h) for h in SCORECARD_HEADERS], rows,
                        title=gettext("%(year)d年办理质量得分") % {"year": year})


def unit_scorecard(*, unit_id: int, year: int) -> Scorecard:
    """A unit's yearly score from timeliness and satisfaction (003), as lead unit."""
    return unit_scorecards(units=HandlingUnit.objects.filter(pk=unit_id), year=year)[0]


def unit_scorecards(*, units, year: int) -> list[Scorecard]:
    """The scorecards of `units` (a HandlingUnit queryset, in its order), each with `unit_name`: four queries
    however many units, not three per unit."""
    rows = list(units.values_list("pk", "name"))
    ids = [pk for pk, _name in rows]
    suggestions = Suggestion.objects.filter(lead_unit_id__in=ids, assigned_on__year=year)
    assigned = dict(suggestions.values_list("lead_unit_id").annotate(n=Count("pk")).order_by())
    answers = {row["unit_id"]: row for row in SuggestionAnswer.objects.filter(
        suggestion__in=suggestions, suggestion__lead_unit_id=F("unit_id")).values("unit_id").annotate(
        answered=Count("suggestion", distinct=True), on_time=Count("pk", filter=Q(on_time=True, round=1))
    ).order_by()}
    latest: dict[int, tuple[int, str]] = {}  # suggestion -> (unit, its latest result)
    for suggestion_id, unit_id, result in (SuggestionRating.objects.filter(suggestion__in=suggestions)
                                           .order_by("suggestion_id", "round")
                                           .values_list("suggestion_id", "suggestion__lead_unit_id", "result")):
        latest[suggestion_id] = (unit_id, result)
    cards = []
    for unit_id, name in rows:
        results = [result for unit, result in latest.values() if unit == unit_id]
        n, done = assigned.get(unit_id, 0), answers.get(unit_id, {"answered": 0, "on_time": 0})
        points = sum(SCORE[r] for r in results)
        timeliness = 100.0 * done["on_time"] / n if n else 0.0
        satisfaction = points / len(results) if results else 0.0
        cards.append(Scorecard(unit_id=unit_id, year=year, assigned=n, answered=done["answered"],
                               on_time=done["on_time"], rated=len(results), satisfaction_points=points,
                               timeliness=round(timeliness, 1), satisfaction=round(satisfaction, 1),
                               score=round((timeliness + satisfaction) / 2, 1), unit_name=name))
    return cards


def mask_name(name: str) -> str:
    """张* / 欧阳** : the family name only."""
    return f"{name[0]}{'*' * (len(name) - 1)}" if len(name) > 1 else ("*" if name else "")


def escalated_case(case_id: int) -> dict | None:
    """What an upper tier reads of an escalated case (run in the county's schema): its dates, the receiving
    deputy, station and township, and each opinion with its attachments — the constituent's name and mobile
    masked, always (no upper-tier role reads a county's personal data). Four queries."""
    case = (Case.objects.select_related("deputy__account", "venue", "township").filter(pk=case_id)
            .prefetch_related(Prefetch("opinions", queryset=Opinion.objects.select_related("deputy__account", "venue")
                                       .prefetch_related("attachments").order_by("received_on", "pk"))).first())
    if case is None:
        return None
    return {
        "received_on": case.received_on, "routed_on": case.routed_on, "rounds": case.rounds,
        "deputy": str(case.deputy) if case.deputy else "", "venue": case.venue.name if case.venue else "",
        "township": case.township.name if case.township else "",
        "opinions": [{"content": o.content, "channel": o.get_channel_display(), "received_on": o.received_on,
                      "deputy": str(o.deputy) if o.deputy else "", "venue": o.venue.name if o.venue else "",
                      "constituent": mask_name(o.constituent_name), "mobile": mask_mobile(o.constituent_mobile),
                      "attachments": [{"id": a.pk, "kind": a.kind, "size": a.size} for a in o.attachments.all()]}
                     for o in case.opinions.all()],
    }


def escalated_attachment(case_id: int, attachment_id: int) -> OpinionAttachment | None:
    """An attachment of one of the case's opinions (run in the county's schema)."""
    return OpinionAttachment.objects.filter(pk=attachment_id, opinion__case_id=case_id).first()
