"""Re-division (撤乡并镇 / 区划调整): merge, split and rename townships from an effective date.

Old units are ended, never deleted: what was recorded against them keeps its attribution, and
RedivisionLink rows tell rollups where an old unit's figures go from the effective date. Villages,
venues, current township mandates and township staff move to the successor units.

Every check runs before the first write, on rows re-read and locked in the transaction, so a refused
re-division changes nothing. The checks and steps that do not depend on the level (locking, dates, names,
ending units, lineage) serve the villages' re-division too (organisation.services.village_redivision).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import Membership
from access.scope import Actor, require
from audit.services import audit_record
from organisation.models import Assessment, Redivision, RedivisionLink, RedivisionMove, Township, Venue, Village
from organisation.selectors import unit_lineages

# The apps above organisation that keep records by township take part here, registering in their
# AppConfig.ready() (organisation may not import them; see the layers in pyproject.toml):
# township ids -> the latest date of a record they attribute to those townships, or None (a re-division
# may not be dated on or before it);
LATEST_RECORD_SOURCES: list[Callable[[list[int]], dt.date | None]] = []
# (source township ids, successor, re-division) -> move what is current there (serving mandates, ...) to the
# successor, noting where each thing was (moved_from) so that records dated before keep the place of their day.
SUCCESSOR_MOVES: list[Callable[[list[int], Township, Redivision], None]] = []


# Only a scheduled re-division (organisation.services.scheduled_redivision) may be dated after today: its dry
# run at registration and its apply run the services below inside future_dates_allowed(); a direct call keeps
# refusing a future date.
_FUTURE_DATES_ALLOWED: ContextVar[bool] = ContextVar("redivision_future_dates_allowed", default=False)


@contextmanager
def future_dates_allowed() -> Iterator[None]:
    token = _FUTURE_DATES_ALLOWED.set(True)
    try:
        yield
    finally:
        _FUTURE_DATES_ALLOWED.reset(token)


def take_part(hooks: list, function: Callable) -> None:
    """An app above registers one of its hooks (once: AppConfig.ready may run again)."""
    if function not in hooks:
        hooks.append(function)


def latest_date(qs, *fields: str) -> dt.date | None:
    """The latest of these date fields over `qs`, or None."""
    found = [d for d in qs.aggregate(**{f"d{i}": Max(f) for i, f in enumerate(fields)}).values() if d]
    return max(found) if found else None


def latest_of(dates: Iterable[dt.date | None]) -> dt.date | None:
    found = [d for d in dates if d is not None]
    return max(found) if found else None


def _latest_record_on(townships: list[Township]) -> dt.date | None:
    """The latest dated record attributed to these townships, closed records' end dates included, and the
    latest re-division of their villages (a re-division may not predate either)."""
    ids = [t.pk for t in townships]
    return latest_of([
        latest_date(Assessment.objects.filter(township_id__in=ids), "assessed_on"),
        latest_date(Redivision.objects.filter(links__successor_id__in=ids), "effective_on"),
        latest_date(Redivision.objects.filter(village_links__successor__township_id__in=ids), "effective_on"),
        *(source(ids) for source in LATEST_RECORD_SOURCES),
    ])


def locked_units(units: list) -> list:
    """The townships or villages as the database has them now (once each, in the given order), locked until
    commit: the caller's copies may predate another re-division."""
    ids = list(dict.fromkeys(unit.pk for unit in units))
    rows = type(units[0]).objects.select_for_update().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def merge_parties(into, sources: list, effective_on: dt.date, *, missing: str) -> tuple[Any, list]:
    """`into` and the other sources, re-read and locked (each once); refused when there is nothing to merge
    or `into` cannot take them on that date."""
    locked = locked_units([into, *sources])
    if len(locked) < 2 or locked[0].pk != into.pk:
        raise ValidationError(missing)
    into, sources = locked[0], locked[1:]
    if into.ended_on is not None:
        raise ValidationError(_("%(name)s 已经撤销，不能并入。") % {"name": into.name})
    if into.started_on is not None and effective_on < into.started_on:
        raise ValidationError({"effective_on": _("生效日期不能早于 %(name)s 的设立日期 %(date)s。") % {
            "name": into.name, "date": into.started_on.isoformat()}})
    return into, sources


def check_sources(sources: list, effective_on: dt.date, latest: Callable[[list], dt.date | None], *,
                  unit: str) -> None:
    """The units a re-division ends: current, started before the date, and with no record (`latest`) on or
    after it. `unit` names them in the message (原乡镇, 原村（社区）)."""
    ended = [t.name for t in sources if t.ended_on is not None]
    if ended:
        raise ValidationError(_("%(names)s 已经撤销，不能再调整。") % {"names": "、".join(ended)})
    if effective_on > timezone.localdate() and not _FUTURE_DATES_ALLOWED.get():
        raise ValidationError({"effective_on": _(
            "生效日期不能晚于今天：区划调整请在生效之日起登记。")})
    for source in sources:
        if source.started_on is not None and effective_on <= source.started_on:
            raise ValidationError({"effective_on": _(
                "生效日期须晚于 %(name)s 的设立日期 %(date)s。") % {
                "name": source.name, "date": source.started_on.isoformat()}})
    found = latest(sources)
    if found is not None and effective_on <= found:
        raise ValidationError({"effective_on": _(
            "生效日期不能早于或等于%(unit)s已有记录的日期（最近一条记录为 %(date)s）：已办结的记录不能被改划到新单位。"
            "可填写今后的生效日期登记，到期自动执行。"
        ) % {"unit": unit, "date": found.isoformat()}})


def check_names(names: list[tuple[str, str]], *, taken, label: str) -> None:
    """New units' (name, division code): unique among themselves and among `taken` (the current units they
    join, less those this re-division ends); `label` names the kind of unit."""
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
            raise ValidationError({"name": _("已有名为 %(name)s 的%(label)s。") % {"name": name, "label": label}})
        if code and taken.filter(division_code=code).exists():
            raise ValidationError({"division_code": _("区划代码 %(code)s 已被其他%(label)s使用。") % {
                "code": code, "label": label}})


def check_part_venues(parts: list[dict], allowed: set[int], *, foreign: Callable[[Any], str]) -> None:
    """The venues a split's parts name: each one of `allowed` (`foreign` words the refusal of another), in one
    part at most."""
    named: set[int] = set()
    for part in parts:
        for venue in part.get("venues") or []:
            pk = pk_of(venue)
            if pk not in allowed:
                raise ValidationError({"venues": foreign(venue)})
            if pk in named:
                raise ValidationError({"venues": _("同一站点只能划入一个新单位：%(venue)s") % {"venue": venue}})
            named.add(pk)


def _check(sources: list[Township], effective_on: dt.date) -> None:
    check_sources(sources, effective_on, _latest_record_on, unit=_("原乡镇"))


def _check_names(names: list[tuple[str, str]], *, freed: list[Township]) -> None:
    check_names(names, taken=Township.objects.current().exclude(pk__in=[t.pk for t in freed]), label=_("乡镇（街道）"))


def renamed(unit, name: str, division_code: str | None, kind: str | None) -> tuple[str, str, str]:
    """A rename's new name, code and kind (code and kind default to the unit's): something must change."""
    name = name.strip()
    code = unit.division_code if division_code is None else division_code
    kind = kind or unit.kind
    if (name, code, kind) == (unit.name, unit.division_code, unit.kind):
        raise ValidationError({"name": _("新名称、区划代码和类型与原来相同，无需调整。")})
    return name, code, kind


def new_unit(model, **fields):
    """A re-division's new township or village, not saved yet, its formats checked (in Chinese; names were
    checked by check_names)."""
    unit = model(**fields)
    unit.full_clean(validate_constraints=False)
    return unit


def new_redivision(*, actor: Actor, kind: str, effective_on: dt.date, note: str,
                   level: str = Redivision.Level.TOWNSHIP) -> Redivision:
    return Redivision.objects.create(kind=kind, level=level, effective_on=effective_on, note=note,
                                     created_by_id=actor.account_id)


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
    """Note where each of `rows` ((id, township id[, village id]), before the move) was: the place of its day
    for records dated before `redivision` (organisation.selectors.township_on)."""
    RedivisionMove.objects.bulk_create([RedivisionMove(redivision=redivision, subject=subject, subject_id=row[0],
                                                       from_township_id=row[1],
                                                       from_village_id=row[2] if len(row) > 2 else None)
                                        for row in rows if row[1] is not None])


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


def end_units(units: list, effective_on: dt.date) -> None:
    """Townships or villages end the day before the re-division takes effect; they are never deleted."""
    type(units[0]).objects.filter(pk__in=[u.pk for u in units]).update(ended_on=effective_on - dt.timedelta(days=1))


def pk_of(row) -> int:
    return row if isinstance(row, int) else row.pk


@transaction.atomic
def township_merge(*, actor: Actor, sources: list[Township], into: Township, effective_on: dt.date,
                   note: str = "") -> Redivision:
    """Fold `sources` into the existing township `into` (004: a township abolished into another)."""
    require(actor.is_admin)
    into, sources = merge_parties(into, sources, effective_on, missing=_("请选择要并入的乡镇。"))
    _check(sources, effective_on)
    names = list(Village.objects.current().filter(township_id__in=[into.pk, *(s.pk for s in sources)])
                 .values_list("name", flat=True))
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        raise ValidationError(_("合并后村（社区）重名：%(names)s。请先为其更名。") % {"names": "、".join(clashes)})
    redivision = new_redivision(actor=actor, kind=Redivision.Kind.MERGE, effective_on=effective_on, note=note)
    _move(sources, into, redivision)
    end_units(sources, effective_on)
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
    [source] = locked_units([source]) or [source]
    _check([source], effective_on)
    assigned = [pk_of(v) for part in parts for v in part.get("villages", [])]
    all_villages = set(source.villages.current().values_list("pk", flat=True))
    if sorted(assigned) != sorted(all_villages):
        raise ValidationError(_("原乡镇的每个村（社区）都要且只能划入一个新单位。"))
    township_venues = set(Venue.objects.filter(township=source, village__isnull=True).values_list("pk", flat=True))
    check_part_venues(parts, township_venues, foreign=lambda venue: _("%(venue)s 不是 %(name)s 的乡镇级站点。") % {
        "venue": venue, "name": source.name})
    _check_names([(p.get("name", "").strip(), p.get("division_code", "")) for p in parts], freed=[source])
    news = [new_unit(Township, name=part["name"].strip(), kind=part.get("kind", Township.Kind.STREET),
                     division_code=part.get("division_code", ""), started_on=effective_on) for part in parts]
    redivision = new_redivision(actor=actor, kind=Redivision.Kind.SPLIT, effective_on=effective_on, note=note)
    end_units([source], effective_on)
    for new, part in zip(news, parts, strict=True):
        new.save()
        _move([source], new, redivision, villages=[pk_of(v) for v in part.get("villages", [])],
              venues=[pk_of(v) for v in part.get("venues") or []], rest=False)
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
    [township] = locked_units([township]) or [township]
    _check([township], effective_on)
    name, code, kind = renamed(township, name, division_code, kind)
    _check_names([(name, code)], freed=[township])
    new = new_unit(Township, name=name, kind=kind, division_code=code, started_on=effective_on)
    redivision = new_redivision(actor=actor, kind=Redivision.Kind.RENAME, effective_on=effective_on, note=note)
    end_units([township], effective_on)
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
    return unit_lineages(links, [township.pk])[township.pk]
