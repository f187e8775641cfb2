"""Re-division (撤乡并镇 / 区划调整): merge, split and rename townships from an effective date.

Old units are ended, never deleted: what was recorded against them keeps its attribution, and
RedivisionLink rows tell rollups where an old unit's figures go from the effective date. Villages,
venues, township mandates and township staff move to the successor units.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from access.models import Membership
from access.scope import Actor, require
from audit.services import audit_record
from organisation.models import Assessment, Redivision, RedivisionLink, Township, Venue, Village


def _latest_record_on(townships: list[Township]) -> dt.date | None:
    """The latest dated record attributed to these townships (a re-division may not predate it)."""
    from people.models import Mandate, Stationing

    ids = [t.pk for t in townships]
    dates = [
        Assessment.objects.filter(venue__township_id__in=ids).aggregate(d=Max("assessed_on"))["d"],
        Stationing.objects.filter(venue__township_id__in=ids).aggregate(d=Max("started_on"))["d"],
        Mandate.objects.filter(township_id__in=ids).aggregate(d=Max("started_on"))["d"],
        Redivision.objects.filter(links__successor_id__in=ids).aggregate(d=Max("effective_on"))["d"],
    ]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def _check(sources: list[Township], effective_on: dt.date) -> None:
    ended = [t.name for t in sources if t.ended_on is not None]
    if ended:
        raise ValidationError(_("%(names)s 已经撤销，不能再调整。") % {"names": "、".join(ended)})
    latest = _latest_record_on(sources)
    if latest is not None and effective_on <= latest:
        raise ValidationError({"effective_on": _(
            "生效日期不能早于或等于原乡镇已有记录的日期（最近一条记录为 %(date)s）：已办结的记录不能被改划到新单位。"
        ) % {"date": latest.isoformat()}})


def _move(sources: list[Township], target: Township, villages: list[Village] | None = None,
          venues: list[Venue] | None = None, rest: bool = True) -> None:
    """Move villages (all, or the given ones) with their venues to `target`; with `rest`, also the
    sources' township-level venues, current township mandates and township staff."""
    from people.models import Mandate

    source_ids = [t.pk for t in sources]
    village_qs = Village.objects.filter(township_id__in=source_ids)
    if villages is not None:
        village_qs = village_qs.filter(pk__in=[v.pk for v in villages])
    village_ids = list(village_qs.values_list("pk", flat=True))
    village_qs.update(township=target)
    Venue.objects.filter(village_id__in=village_ids).update(township=target)
    if venues:
        Venue.objects.filter(pk__in=[v.pk for v in venues], township_id__in=source_ids).update(township=target)
    if rest:
        Venue.objects.filter(township_id__in=source_ids).update(township=target)
        Mandate.objects.filter(township_id__in=source_ids, ended_on__isnull=True).update(township=target)
        Membership.objects.filter(township_id__in=source_ids).update(township=target)


def _end(townships: list[Township], effective_on: dt.date) -> None:
    Township.objects.filter(pk__in=[t.pk for t in townships]).update(ended_on=effective_on - dt.timedelta(days=1))


@transaction.atomic
def township_merge(*, actor: Actor, sources: list[Township], into: Township, effective_on: dt.date,
                   note: str = "") -> Redivision:
    """Fold `sources` into the existing township `into` (004: a township abolished into another)."""
    require(actor.is_admin)
    sources = [t for t in sources if t.pk != into.pk]
    if not sources:
        raise ValidationError(_("请选择要并入的乡镇。"))
    if into.ended_on is not None:
        raise ValidationError(_("%(name)s 已经撤销，不能并入。") % {"name": into.name})
    _check(sources, effective_on)
    redivision = Redivision.objects.create(kind=Redivision.Kind.MERGE, effective_on=effective_on, note=note,
                                           created_by_id=actor.account_id)
    _move(sources, into)
    _end(sources, effective_on)
    RedivisionLink.objects.bulk_create([RedivisionLink(redivision=redivision, predecessor=s, successor=into)
                                        for s in sources])
    audit_record(actor=actor, action="redivision.merge", target=redivision,
                 data={"sources": [s.name for s in sources], "into": into.name})
    return redivision


@transaction.atomic
def township_split(*, actor: Actor, source: Township, parts: list[dict], effective_on: dt.date,
                   note: str = "") -> Redivision:
    """Split `source` into new townships (004: two towns made into four streets). Each part: name, kind,
    division_code, villages (every village of `source` in exactly one part) and optionally venues
    (township-level venues); what no part names -- other township-level venues, the township's current
    mandates and its staff -- goes to the first part, where the county can move it on."""
    require(actor.is_admin)
    if len(parts) < 2:
        raise ValidationError(_("拆分至少要分成两个新单位。"))
    _check([source], effective_on)
    assigned = [v.pk for part in parts for v in part["villages"]]
    all_villages = set(source.villages.current().values_list("pk", flat=True))
    if sorted(assigned) != sorted(all_villages) or len(assigned) != len(set(assigned)):
        raise ValidationError(_("原乡镇的每个村（社区）都要且只能划入一个新单位。"))
    redivision = Redivision.objects.create(kind=Redivision.Kind.SPLIT, effective_on=effective_on, note=note,
                                           created_by_id=actor.account_id)
    _end([source], effective_on)
    news = []
    for part in parts:
        new = Township(name=part["name"], kind=part.get("kind", Township.Kind.STREET),
                       division_code=part.get("division_code", ""), started_on=effective_on)
        new.full_clean()
        new.save()
        news.append(new)
        _move([source], new, villages=part["villages"], venues=part.get("venues"), rest=False)
        RedivisionLink.objects.create(redivision=redivision, predecessor=source, successor=new)
    _move([source], news[0], villages=[], rest=True)
    audit_record(actor=actor, action="redivision.split", target=redivision,
                 data={"source": source.name, "parts": [p["name"] for p in parts]})
    return redivision


@transaction.atomic
def township_rename(*, actor: Actor, township: Township, name: str, effective_on: dt.date,
                    division_code: str | None = None, kind: str | None = None, note: str = "") -> Redivision:
    """A rename makes a successor unit, so records before the date keep the old name."""
    require(actor.is_admin)
    _check([township], effective_on)
    redivision = Redivision.objects.create(kind=Redivision.Kind.RENAME, effective_on=effective_on, note=note,
                                           created_by_id=actor.account_id)
    _end([township], effective_on)
    new = Township(name=name, kind=kind or township.kind,
                   division_code=township.division_code if division_code is None else division_code,
                   started_on=effective_on)
    new.full_clean()
    new.save()
    _move([township], new)
    RedivisionLink.objects.create(redivision=redivision, predecessor=township, successor=new)
    audit_record(actor=actor, action="redivision.rename", target=redivision,
                 data={"from": township.name, "to": name})
    return redivision


def township_lineage(township: Township) -> set[int]:
    """The township and every unit whose figures roll up into it (through merges and renames)."""
    seen, frontier = {township.pk}, [township.pk]
    while frontier:
        predecessors = set(RedivisionLink.objects.filter(successor_id__in=frontier)
                           .values_list("predecessor_id", flat=True)) - seen
        seen |= predecessors
        frontier = list(predecessors)
    return seen
