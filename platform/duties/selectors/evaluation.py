"""The yearly evaluation: a score per deputy from confirmed duty records, with the weights the county
sets; ranks in the county and in the township; outstanding deputies (the top N, or a score at or
above the county's threshold). Ranked over every serving deputy; the actor reads the rows in scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from access.scope import Actor
from duties.models import DutyKind, DutyRecord, DutyRule
from duties.selectors.records import deputies_in_duty_scope
from duties.selectors.roster import RosterRow, roster_rows, serving_deputies


@dataclass
class Score:
    deputy: RosterRow
    counts: dict[str, int]
    score: int
    rank: int = 0
    township_rank: int = 0
    outstanding: bool = False


@dataclass
class Evaluation:
    year: int
    rule: DutyRule
    rows: list[Score]


def _ranks(scores: list[Score]) -> list[int]:
    """Competition ranks (1, 2, 2, 4) of scores sorted high to low."""
    ranks, last, rank = [], None, 0
    for i, row in enumerate(scores, 1):
        if row.score != last:
            rank, last = i, row.score
        ranks.append(rank)
    return ranks


def evaluation(*, actor: Actor, year: int) -> Evaluation:
    rule = DutyRule.current()
    roster = roster_rows(serving_deputies())
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for deputy_id, kind, n in (DutyRecord.objects.filter(status=DutyRecord.Status.CONFIRMED, occurred_on__year=year)
                               .values_list("deputy_id", "kind").annotate(n=Count("pk")).order_by()):
        counts[deputy_id][kind] = n
    rows = []
    for deputy in roster:
        found = counts.get(deputy.deputy_id, {})
        rows.append(Score(deputy, {k: found.get(k, 0) for k in DutyKind.values},
                          sum(rule.weight(k) * n for k, n in found.items())))
    rows.sort(key=lambda r: (-r.score, r.deputy.name, r.deputy.deputy_id))
    for row, rank in zip(rows, _ranks(rows), strict=True):
        row.rank = rank
        row.outstanding = row.score > 0 and (
            (rule.outstanding_top_n is not None and rank <= rule.outstanding_top_n)
            or (rule.outstanding_min_score is not None and row.score >= rule.outstanding_min_score))
    by_township: dict[int | None, list[Score]] = defaultdict(list)
    for row in rows:
        by_township[row.deputy.township_id].append(row)
    for group in by_township.values():
        for row, rank in zip(group, _ranks(group), strict=True):
            row.township_rank = rank
    if not actor.is_admin:
        visible = set(deputies_in_duty_scope(actor).values_list("pk", flat=True))
        rows = [r for r in rows if r.deputy.deputy_id in visible]
    return Evaluation(year=year, rule=rule, rows=rows)
