"""公开答复: the answered cases a county publishes on its online station, anonymised.

A case is published by the county's decision for it (Case.published) or, when none was made, by its
category's (OpinionCategory.publish_answers). Only the case's summary and answer are shown, and both pass
through `anonymise` first: every constituent's name and mobile on the case, any other phone, ID or
house-number pattern, are blotted out. A text search runs over the anonymised text, never the stored one,
so that searching a constituent's name cannot single out their case.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Case, CaseStatus, Opinion

MASK = "＊＊"
SEARCH_WINDOW = 1000  # the newest published answers a text search reads (the public list is small)

# Numbers that point at a person: mobiles, landlines, ID numbers, any long run of digits; and the house,
# building, room or group number of an address ("3栋2单元501室", "七组").
_PATTERNS = [
    re.compile(r"\d{17}[\dXx]"),
    re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)"),
    re.compile(r"(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)"),
    re.compile(r"\d{6,}"),
    re.compile(r"[\d一二三四五六七八九十零〇百]+\s*(?:号楼|号|栋|幢|单元|室|组|层|楼)"),
]


def publishable(qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """Answered cases the county publishes: its decision for the case, else its category's."""
    qs = Case.objects.all() if qs is None else qs
    chosen = Q(published=True) | Q(published__isnull=True, category__publish_answers=True)
    return qs.filter(chosen, status__in=[CaseStatus.ANSWERED, CaseStatus.CLOSED]).exclude(answer="")


def is_published(case: Case) -> bool:
    if case.published is not None:
        return case.published
    return bool(case.category_id and case.category.publish_answers)


def anonymise(text: str, *, names: Iterable[str] = (), mobiles: Iterable[str] = ()) -> str:
    """The text with the given people's names and numbers, and every personal-looking number, masked."""
    for mobile in sorted({m for m in mobiles if m}, key=len, reverse=True):
        text = text.replace(mobile, MASK)
    words: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            words.add(name)
        if len(name) >= 3:
            words.add(name[1:])  # the given name alone: "建国" for 王建国
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


@dataclass(frozen=True)
class PublishedAnswer:
    pk: int
    summary: str
    answer: str
    category: str
    township: str
    received_on: dt.date
    answered_on: dt.date | None


def _public(case: Case) -> PublishedAnswer:
    opinions = case.public_opinions  # type: ignore[attr-defined]
    names = [o.constituent_name for o in opinions]
    mobiles = [o.constituent_mobile for o in opinions]
    return PublishedAnswer(
        pk=case.pk, summary=anonymise(case.summary, names=names, mobiles=mobiles),
        answer=anonymise(case.answer, names=names, mobiles=mobiles),
        category=case.category.name if case.category_id else "",
        township=case.township.name if case.township_id else "", received_on=case.received_on,
        answered_on=timezone.localdate(case.answered_at) if case.answered_at else None)


def published_answers(*, township_id: int | None = None, category_id: int | None = None, q: str = "",
                      limit: int = 50) -> list[PublishedAnswer]:
    """The newest published answers, by township and category, matching `q` in their anonymised text."""
    qs = publishable().select_related("category", "township").prefetch_related(
        Prefetch("opinions", queryset=Opinion.objects.only("case_id", "constituent_name", "constituent_mobile"),
                 to_attr="public_opinions")).order_by("-answered_at", "-pk")
    if township_id:
        qs = qs.filter(township_id=township_id)
    if category_id:
        qs = qs.filter(category_id=category_id)
    q = (q or "").strip()
    if not q:
        return [_public(case) for case in qs[:limit]]
    found = []
    for case in qs[:SEARCH_WINDOW]:
        answer = _public(case)
        if q in answer.summary or q in answer.answer:
            found.append(answer)
            if len(found) >= limit:
                break
    return found


def published_answer(pk: int) -> PublishedAnswer | None:
    case = (publishable().select_related("category", "township")
            .prefetch_related(Prefetch("opinions", queryset=Opinion.objects.only(
                "case_id", "constituent_name", "constituent_mobile"), to_attr="public_opinions"))
            .filter(pk=pk).first())
    return _public(case) if case is not None else None
