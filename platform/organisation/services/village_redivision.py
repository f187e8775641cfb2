"""Village re-division (撤并村): merge, split and rename the villages of one township from an effective date,
by the townships' design (organisation.services.redivision).

Old villages are ended, never deleted: what was recorded about them keeps its village, and
RedivisionVillageLink rows let a successor count its predecessors' records (organisation.selectors.
village_lineages). The villages' venues move to the successor, each noting the village it was of
(RedivisionMove.from_village). Every check runs before the first write, on rows re-read and locked in the
transaction, so a refused re-division changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from organisation.models import Assessment, Redivision, RedivisionMove, RedivisionVillageLink, Venue, Village
from organisation.selectors import village_lineages
from organisation.services.redivision import (
    check_names,
    check_part_venues,
    check_sources,
    end_units,
    latest_date,
    latest_of,
    locked_units,
    merge_parties,
    moved_from,
    new_redivision,
    new_unit,
    pk_of,
    renamed,
)

# The apps above organisation that keep dated records about villages or at their venues register here in
# their AppConfig.ready(), as for townships: village ids -> the latest date of such a record, or None (a
# re-division may not be dated on or before it).
LATEST_VILLAGE_RECORD_SOURCES: list[Callable[[list[int]], dt.date | None]] = []

VILLAGE = Redivision.Level.VILLAGE


def _latest_record_on(villages: list[Village]) -> dt.date | None:
    """The latest dated record about these villages or at their venues, and the latest re-division that
    made them or moved them to their township."""
    ids = [v.pk for v in villages]
    return latest_of([
        latest_date(Assessment.objects.filter(venue__village_id__in=ids), "assessed_on"),
        latest_date(Redivision.objects.filter(village_links__successor_id__in=ids), "effective_on"),
        latest_date(Redivision.objects.filter(moves__subject=RedivisionMove.Subject.VILLAGE,
                                              moves__subject_id__in=ids), "effective_on"),
        *(source(ids) for source in LATEST_VILLAGE_RECORD_SOURCES),
    ])


def _check(sources: list[Village], effective_on: dt.date) -> None:
    check_sources(sources, effective_on, _latest_record_on, unit=_("原村（社区）"))


def _new_villages(parts: list[tuple[str, str, str]], *, source: Village, effective_on: dt.date) -> list[Village]:
    """The new villages (name, code, kind) of `source`'s township, not saved: names and codes unique among its
    current villages (less `source`), a new code 12 digits starting with the township's code."""
    township = source.township
    check_names([(name, code) for name, code, _kind in parts], label=_("村（社区）"),
                taken=Village.objects.current().filter(township=township).exclude(pk=source.pk))
    news = [new_unit(Village, township=township, name=name, kind=kind, division_code=code, started_on=effective_on)
            for name, code, kind in parts]
    prefix = township.division_code
    for code in [v.division_code for v in news]:
        if code and code != source.division_code and prefix and not code.startswith(prefix):
            raise ValidationError({"division_code": _(
                "村（社区）区划代码 %(code)s 应以所属乡镇代码 %(prefix)s 开头。") % {"code": code, "prefix": prefix}})
    return news


def _move_venues(venues, target: Village, redivision: Redivision) -> None:
    """Venues go to the successor village (of the same township), each noting the village it was of."""
    moved_from(redivision, RedivisionMove.Subject.VENUE, list(venues.values_list("pk", "township_id", "village_id")))
    venues.update(village=target)


def _link(redivision: Redivision, predecessors: list[Village], successor: Village) -> None:
    RedivisionVillageLink.objects.bulk_create([
        RedivisionVillageLink(redivision=redivision, predecessor=p, successor=successor) for p in predecessors])


@transaction.atomic
def village_merge(*, actor: Actor, sources: list[Village], into: Village, effective_on: dt.date,
                  note: str = "") -> Redivision:
    """Fold `sources` into the existing village `into` of the same township (撤并村)."""
    require(actor.is_admin)
    into, sources = merge_parties(into, sources, effective_on, missing=_("请选择要并入的村（社区）。"))
    foreign = [v.name for v in sources if v.township_id != into.township_id]
    if foreign:
        raise ValidationError(_("只能合并同一乡镇（街道）的村（社区）：%(names)s 不属于 %(township)s。") % {
            "names": "、".join(foreign), "township": into.township.name})
    _check(sources, effective_on)
    redivision = new_redivision(actor=actor, kind=Redivision.Kind.MERGE, level=VILLAGE, effective_on=effective_on,
                                note=note)
    _move_venues(Venue.objects.filter(village__in=sources), into, redivision)
    end_units(sources, effective_on)
    _link(redivision, sources, into)
    audit_record(actor=actor, action="village.merge", target=redivision, data={
        "township": into.township.name, "sources": [v.name for v in sources], "into": into.name})
    return redivision


@transaction.atomic
def village_split(*, actor: Actor, source: Village, parts: list[dict], effective_on: dt.date,
                  note: str = "") -> Redivision:
    """Split `source` into new villages of its township. Each part: name, kind (the source's by default),
    division_code and venues (of `source`; objects or ids); a venue no part names goes to the first part."""
    require(actor.is_admin)
    if len(parts) < 2:
        raise ValidationError(_("拆分至少要分成两个新单位。"))
    [source] = locked_units([source]) or [source]
    _check([source], effective_on)
    venues = set(Venue.objects.filter(village=source).values_list("pk", flat=True))
    check_part_venues(parts, venues, foreign=lambda venue: _("%(venue)s 不是 %(name)s 的站点。") % {
        "venue": venue, "name": source.name})
    news = _new_villages([(p.get("name", "").strip(), p.get("division_code", ""), p.get("kind") or source.kind)
                          for p in parts], source=source, effective_on=effective_on)
    redivision = new_redivision(actor=actor, kind=Redivision.Kind.SPLIT, level=VILLAGE, effective_on=effective_on,
                                note=note)
    end_units([source], effective_on)
    for new, part in zip(news, parts, strict=True):
        new.save()
        _move_venues(Venue.objects.filter(village=source, pk__in=[pk_of(v) for v in part.get("venues") or []]),
                     new, redivision)
        _link(redivision, [source], new)
    _move_venues(Venue.objects.filter(village=source), news[0], redivision)
    audit_record(actor=actor, action="village.split", target=redivision, data={
        "township": source.township.name, "source": source.name, "parts": [v.name for v in news]})
    return redivision


@transaction.atomic
def village_rename(*, actor: Actor, village: Village, name: str, effective_on: dt.date,
                   division_code: str | None = None, kind: str | None = None, note: str = "") -> Redivision:
    """A rename makes a successor village, so records before the date keep the old name."""
    require(actor.is_admin)
    [village] = locked_units([village]) or [village]
    _check([village], effective_on)
    [new] = _new_villages([renamed(village, name, division_code, kind)], source=village, effective_on=effective_on)
    redivision = new_redivision(actor=actor, kind=Redivision.Kind.RENAME, level=VILLAGE, effective_on=effective_on,
                                note=note)
    end_units([village], effective_on)
    new.save()
    _move_venues(Venue.objects.filter(village=village), new, redivision)
    _link(redivision, [village], new)
    audit_record(actor=actor, action="village.rename", target=redivision, data={
        "township": village.township.name, "from": village.name, "to": new.name})
    return redivision


def village_lineage(village: Village) -> set[int]:
    """The village and every village whose records roll up into it, through merges and renames (not splits)."""
    return village_lineages([village.pk])[village.pk]
