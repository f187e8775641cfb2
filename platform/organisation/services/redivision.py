"""Re-division (撤乡并镇 / 区划调整): merge, split and rename townships from an effective date.

Old units are ended, never deleted: what was recorded against them keeps its attribution, and
RedivisionLink rows tell rollups where an old unit's figures go from the effective date. Villages,
venues, current township mandates and township staff move to the successor units.

Every check runs before the first write, on rows re-read and locked in the transaction, so a refused
re-division changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import Membership
from access.scope import Actor, require
from audit.services import audit_record
from organisation.models import Assessment, Redivision, RedivisionLink, RedivisionMove, Township, Venue, Village

# The apps above organisation that keep records by township take part here, registering in their
# AppConfig.ready() (organisation may not import them; see the layers in pyproject.toml):
# township ids -> the latest date of a record they attribute to those townships, or None (a re-division
# may not be dated on or before it);
LATEST_RECORD_SOURCES: list[Callable[[list[int]], dt.date | None]] = []
# (source township ids, successor, re-division) -> move what is current there (serving mandates, ...) to the
# successor, noting where each thing was (moved_from) so that records dated before keep the place of their day.
SUCCESSOR_MOVES: list[Callable[[list[int], Township, Redivision], None]] = []


def latest_date(qs, *fields: str) -> dt.date | None:
    """The latest of these date fields over `qs`, or None."""
    found = [d for d in qs.aggregate(**{f"d{i}": Max(f) for i, f in enumerate(fields)}).values() if d]
    return max(found) if found else None


def _latest_record_on(townships: list[Township]) -> dt.date | None:
    """The latest dated record attributed to these townships, closed records' end dates included
    (a re-division may not predate it)."""
    ids = [t.pk for t in townships]
    dates = [
        latest_date(Assessment.objects.filter(township_id__in=ids), "assessed_on"),
        latest_date(Redivision.objects.filter(links__successor_id__in=ids), "effective_on"),
        *(source(ids) for source in LATEST_RECORD_SOURCES),
    ]
    found = [d for d in dates if d is not None]
    return max(found) if found else None


def _locked(townships: list[Township]) -> list[Township]:
    """The townships as the database has them now (once each, in the given order), locked until commit:
    the caller's copies may predate another re-division."""
    ids = list(dict.fromkeys(t.pk for t in townships))
    rows = Township.objects.select_for_update().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def _check(sources: list[Township], effective_on: dt.date) -> None:
    ended = [t.name for t in sources if t.ended_on is not None]
    if ended:
        raise ValidationError(_("%(names)s 已经撤销，不能再调整。") % {"names": "、".join(ended)})
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _(
            "生效日期不能晚于今天：区划调整请在生效之日起登记。")})
    for township in sources:
        if township.started_on is not None and effective_on <= township.started_on:
            raise ValidationError({"effective_on": _(
                "生效日期须晚于 %(name)s 的设立日期 %(date)s。") % {
                "name": township.name, "date": township.started_on.isoformat()}})
    latest = _latest_record_on(sources)
    if latest is not None and effective_on <= latest:
        raise ValidationError({"effective_on": _(
            "生效日期不能早于或等于原乡镇已有记录的日期（最近一条记录为 %(date)s）：已办结的记录不能被改划到新单位。"
        ) % {"date": latest.isoformat()}})


def _check_names(names: list[tuple[str, str]], *, freed: list[Township]) -> None:
    """New units' (name, division code): unique among themselves and among the current townships,
    except those being ended by this re-division."""
    taken = Township.objects.current().exclude(pk__in=[t.pk for t in freed])
    seen_names, seen_codes = set(), set()
    for name, code in names:
        if not name:
            raise ValidationError({"name": _("请填写新单位的名称。")})
        if name in seen_names:
            raise ValidationError({"name": _("新单位名称重复：%(name)s") % {"name": name}})
        if code and code in seen_codes:
            raise ValidationError({"division_code": _("新单位区划代码重复：%(code)s") % {"code": code}})
        seen_names.add(name)
        if code:
            seen_codes.add(code)
        if taken.filter(name=name).exists():
            raise ValidationError({"name": _("已有名为 %(name)s 的乡镇（街道）。") % {"name": name}})
        if code and taken.filter(division_code=code).exists():
            raise ValidationError({"division_code": _("区划代码 %(code)s 已被其他乡镇使用。") % {"code": code}})


def _new_township(*, name: str, kind: str, division_code: str, started_on: dt.date) -> Township:
    township = Township(name=name, kind=kind, division_code=division_code, started_on=started_on)
    township.full_clean(validate_constraints=False)  # formats, in Chinese; names were checked above
    return township


def _move_memberships(source_ids: list[int], target: Township) -> None:
    """Township staff follow their township; a person already on the target's staff keeps one membership."""
    for membership in Membership.objects.select_for_update().filter(township_id__in=source_ids).order_by("pk"):
        twin = Membership.objects.filter(account_id=membership.account_id, role=membership.role, township=target,
                                         venue_id=membership.venue_id,  # type: ignore[misc]  # None: IS NULL
                                         handling_unit_id=membership.handling_unit_id).first()
        if twin is None:
            Membership.objects.filter(pk=membership.pk).update(township=target)
            continue
        if membership.is_active and not twin.is_active:
            Membership.objects.filter(pk=twin.pk).update(is_active=True)
        Membership.objects.filter(pk=membership.pk).update(is_active=False)


def moved_from(redivision: Redivision, subject: str, rows) -> None:
    """Note where each of `rows` ((id, township id) pairs, before the move) was: the place of its day for
    records dated before `redivision` (organisation.selectors.township_on)."""
    RedivisionMove.objects.bulk_create([RedivisionMove(redivision=redivision, subject=subject, subject_id=pk,
                                                       from_township_id=township_id)
                                        for pk, township_id in rows if township_id is not None])


def _move_rows(qs, target: Township, redivision: Redivision, subject: str) -> None:
    moved_from(redivision, subject, list(qs.values_list("pk", "township_id")))
    qs.update(township=target)


def _move(sources: list[Township], target: Township, redivision: Redivision, villages: list[int] | None = None,
          venues: list[int] | None = None, rest: bool = True) -> None:
    """Move villages (all, or the given ids) with their venues to `target`; with `rest`, also the
    sources' township-level venues, township staff and what the apps above move (SUCCESSOR_MOVES: current
    township mandates). Each moved village, venue and mandate notes where it was (RedivisionMove)."""
    source_ids = [t.pk for t in sources]
    village_qs = Village.objects.filter(township_id__in=source_ids)
    if villages is not None:
        village_qs = village_qs.filter(pk__in=villages)
    village_ids = list(village_qs.values_list("pk", flat=True))
    _move_rows(Village.objects.filter(pk__in=village_ids), target, redivision, RedivisionMove.Subject.VILLAGE)
    _move_rows(Venue.objects.filter(village_id__in=village_ids), target, redivision, RedivisionMove.Subject.VENUE)
    if venues:
        _move_rows(Venue.objects.filter(pk__in=venues, township_id__in=source_ids), target, redivision,
                   RedivisionMove.Subject.VENUE)
    if rest:
        _move_rows(Venue.objects.filter(township_id__in=source_ids), target, redivision,
                   RedivisionMove.Subject.VENUE)
        for move in SUCCESSOR_MOVES:
            move(source_ids, target, redivision)
        _move_memberships(source_ids, target)


def _end(townships: list[Township], effective_on: dt.date) -> None:
    Township.objects.filter(pk__in=[t.pk for t in townships]).update(ended_on=effective_on - dt.timedelta(days=1))


def _pk(row) -> int:
    return row if isinstance(row, int) else row.pk


@transaction.atomic
def township_merge(*, actor: Actor, sources: list[Township], into: Township, effective_on: dt.date,
                   note: str = "") -> Redivision:
    """Fold `sources` into the existing township `into` (004: a township abolished into another)."""
    require(actor.is_admin)
    locked = _locked([into, *sources])
    if not locked or locked[0].pk != into.pk:
        raise ValidationError(_("请选择要并入的乡镇。"))
    into, sources = locked[0], locked[1:]
    if not sources:
        raise ValidationError(_("请选择要并入的乡镇。"))
    if into.ended_on is not None:
        raise ValidationError(_("%(name)s 已经撤销，不能并入。") % {"name": into.name})
    if into.started_on is not None and effective_on < into.started_on:
        raise ValidationError({"effective_on": _("生效日期不能早于 %(name)s 的设立日期 %(date)s。") % {
            "name": into.name, "date": into.started_on.isoformat()}})
    _check(sources, effective_on)
    names = list(Village.objects.current().filter(township_id__in=[into.pk, *(s.pk for s in sources)])
                 .values_list("name", flat=True))
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        raise ValidationError(_("合并后村（社区）重名：%(names)s。请先为其更名。") % {"names": "、".join(clashes)})
    redivision = Redivision.objects.create(kind=Redivision.Kind.MERGE, effective_on=effective_on, note=note,
                                           created_by_id=actor.account_id)
    _move(sources, into, redivision)
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
    division_code, villages (every village of `source` in exactly one part; objects or ids) and optionally
    venues (township-level venues of `source`); what no part names -- other township-level venues, the
    township's current mandates and its staff -- goes to the first part, where the county can move it on."""
    require(actor.is_admin)
    if len(parts) < 2:
        raise ValidationError(_("拆分至少要分成两个新单位。"))
    [source] = _locked([source]) or [source]
    _check([source], effective_on)
    assigned = [_pk(v) for part in parts for v in part.get("villages", [])]
    all_villages = set(source.villages.current().values_list("pk", flat=True))
    if sorted(assigned) != sorted(all_villages):
        raise ValidationError(_("原乡镇的每个村（社区）都要且只能划入一个新单位。"))
    township_venues = set(Venue.objects.filter(township=source, village__isnull=True).values_list("pk", flat=True))
    named_venues: set[int] = set()
    for part in parts:
        for venue in part.get("venues") or []:
            pk = _pk(venue)
            if pk not in township_venues:
                raise ValidationError({"venues": _("%(venue)s 不是 %(name)s 的乡镇级站点。") % {
                    "venue": venue, "name": source.name}})
            if pk in named_venues:
                raise ValidationError({"venues": _("同一站点只能划入一个新单位：%(venue)s") % {"venue": venue}})
            named_venues.add(pk)
    _check_names([(p.get("name", "").strip(), p.get("division_code", "")) for p in parts], freed=[source])
    news = [_new_township(name=part["name"].strip(), kind=part.get("kind", Township.Kind.STREET),
                          division_code=part.get("division_code", ""), started_on=effective_on) for part in parts]
    redivision = Redivision.objects.create(kind=Redivision.Kind.SPLIT, effective_on=effective_on, note=note,
                                           created_by_id=actor.account_id)
    _end([source], effective_on)
    for new, part in zip(news, parts, strict=True):
        new.save()
        _move([source], new, redivision, villages=[_pk(v) for v in part.get("villages", [])],
              venues=[_pk(v) for v in part.get("venues") or []], rest=False)
        RedivisionLink.objects.create(redivision=redivision, predecessor=source, successor=new)
    _move([source], news[0], redivision, villages=[], rest=True)
    audit_record(actor=actor, action="redivision.split", target=redivision,
                 data={"source": source.name, "parts": [p["name"] for p in parts]})
    return redivision


@transaction.atomic
def township_rename(*, actor: Actor, township: Township, name: str, effective_on: dt.date,
                    division_code: str | None = None, kind: str | None = None, note: str = "") -> Redivision:
    """A rename makes a successor unit, so records before the date keep the old name."""
    require(actor.is_admin)
    [township] = _locked([township]) or [township]
    _check([township], effective_on)
    name = name.strip()
    code = township.division_code if division_code is None else division_code
    kind = kind or township.kind
    if (name, code, kind) == (township.name, township.division_code, township.kind):
        raise ValidationError({"name": _("新名称、区划代码和类型与原来相同，无需调整。")})
    _check_names([(name, code)], freed=[township])
    new = _new_township(name=name, kind=kind, division_code=code, started_on=effective_on)
    redivision = Redivision.objects.create(kind=Redivision.Kind.RENAME, effective_on=effective_on, note=note,
                                           created_by_id=actor.account_id)
    _end([township], effective_on)
    new.save()
    _move([township], new, redivision)
    RedivisionLink.objects.create(redivision=redivision, predecessor=township, successor=new)
    audit_record(actor=actor, action="redivision.rename", target=redivision,
                 data={"from": township.name, "to": name})
    return redivision


def township_lineage(township: Township, *, through_splits: bool = False) -> set[int]:
    """The township and every unit whose figures roll up into it, through merges and renames. A split's
    source is followed only on request: each part inheriting the whole source would count it twice."""
    links = RedivisionLink.objects.all()
    if not through_splits:
        links = links.exclude(redivision__kind=Redivision.Kind.SPLIT)
    seen, frontier = {township.pk}, [township.pk]
    while frontier:
        predecessors = set(links.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True)) - seen
        seen |= predecessors
        frontier = list(predecessors)
    return seen
