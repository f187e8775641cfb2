"""The rota of a session: stationed deputies only; the default composition from 004 (2–3 prefecture-level
and at least 5 county deputies per station) is proposed and checked, and a shortfall is reported."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor
from audit.services import audit_record
from core.levels import Level, MandateStatus
from notifications.services import Outgoing, messages_enqueue
from people.models import Deputy, Mandate
from reception.models import ReceptionSession, RotaEntry
from tenants.models import RegionMandate

from .common import county_name, day_label, hours_label, require_venue
from .schedule import schedule_for

LEVEL_RANK: dict[str, int] = {Level.PROVINCE: 0, Level.PREFECTURE: 1, Level.COUNTY: 2, Level.TOWNSHIP: 3}


def stationed_on(venue_id: int, day: dt.date):
    """Deputies stationed at the venue on that day."""
    return Deputy.objects.filter(
        stationings__venue_id=venue_id, stationings__started_on__lte=day,
    ).filter(Q(stationings__ended_on__isnull=True) | Q(stationings__ended_on__gte=day)).distinct()


def levels_of(deputies: list[Deputy]) -> dict[int, str]:
    """Each deputy's highest serving level (province and prefecture mandates live in the public schema)."""
    best: dict[int, str] = {}
    by_account = {d.account_id: d.pk for d in deputies}

    def offer(deputy_id: int, level: str) -> None:
        if deputy_id not in best or LEVEL_RANK[level] < LEVEL_RANK[best[deputy_id]]:
            best[deputy_id] = level

    for account_id, level in RegionMandate.objects.filter(
            account_id__in=list(by_account), status=MandateStatus.SERVING).values_list("account_id", "level"):
        offer(by_account[account_id], level)
    for deputy_id, level in Mandate.objects.filter(
            deputy_id__in=list(by_account.values()), status=MandateStatus.SERVING).values_list("deputy_id", "level"):
        offer(deputy_id, level)
    return best


@dataclass
class Composition:
    counts: dict[str, int] = field(default_factory=dict)
    shortfalls: list[str] = field(default_factory=list)


def composition(session: ReceptionSession, deputies: list[Deputy]) -> Composition:
    schedule = schedule_for(session.venue)
    counts: dict[str, int] = defaultdict(int)
    for level in levels_of(deputies).values():
        counts[level] += 1
    result = Composition(counts=dict(counts))
    if counts[Level.PREFECTURE] < schedule.prefecture_deputies_min:
        result.shortfalls.append(_("州（市）级代表 %(n)d 名，少于规定的 %(min)d 名。") % {
            "n": counts[Level.PREFECTURE], "min": schedule.prefecture_deputies_min})
    if counts[Level.PREFECTURE] > schedule.prefecture_deputies_max:
        result.shortfalls.append(_("州（市）级代表 %(n)d 名，多于规定的 %(max)d 名。") % {
            "n": counts[Level.PREFECTURE], "max": schedule.prefecture_deputies_max})
    if counts[Level.COUNTY] < schedule.county_deputies_min:
        result.shortfalls.append(_("县级代表 %(n)d 名，少于规定的 %(min)d 名。") % {
            "n": counts[Level.COUNTY], "min": schedule.county_deputies_min})
    return result


def rota_proposal(session: ReceptionSession) -> list[Deputy]:
    """Stationed deputies by the station's composition: up to the prefecture maximum, every county deputy,
    and township deputies when the county deputies are fewer than the minimum; those who sat least this
    year first, so duty rotates."""
    schedule = schedule_for(session.venue)
    pool = list(stationed_on(session.venue_id, session.date).select_related("account"))
    levels = levels_of(pool)
    year_load: defaultdict[int, int] = defaultdict(int)
    for deputy_id in RotaEntry.objects.filter(session__date__year=session.date.year,
                                              deputy_id__in=[d.pk for d in pool]).values_list("deputy_id", flat=True):
        year_load[deputy_id] += 1
    pool.sort(key=lambda d: (year_load[d.pk], d.account.name))
    prefecture = [d for d in pool if levels.get(d.pk) == Level.PREFECTURE][:schedule.prefecture_deputies_max]
    province = [d for d in pool if levels.get(d.pk) == Level.PROVINCE][:1]
    county = [d for d in pool if levels.get(d.pk) == Level.COUNTY]
    township = [d for d in pool if levels.get(d.pk) == Level.TOWNSHIP]
    return province + prefecture + county + township[:max(0, schedule.county_deputies_min - len(county))]


@transaction.atomic
def rota_set(*, actor: Actor, session: ReceptionSession, deputies: list[Deputy]) -> Composition:
    """Replace the rota. A deputy not stationed at the station on that day is refused (nothing saved);
    deputies newly on the rota are told; the composition's shortfalls are returned, not refused."""
    require_venue(actor, session.venue)
    session = ReceptionSession.objects.select_for_update().select_related("venue").get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("该接待日已取消，不能安排值班。"))
    if session.ends_at < timezone.now():
        raise ValidationError(_("该接待日已结束，不能再修改值班安排。"))
    wanted = {d.pk: d for d in deputies}
    stationed = set(stationed_on(session.venue_id, session.date).filter(pk__in=list(wanted))
                    .values_list("pk", flat=True))
    strangers = [d for pk, d in wanted.items() if pk not in stationed]
    if strangers:
        raise ValidationError({"deputies": _("%(names)s 未在%(day)s驻%(venue)s，不能排入值班。") % {
            "names": "、".join(d.account.name for d in strangers), "day": day_label(session.date),
            "venue": session.venue.name}})
    current = set(session.rota.values_list("deputy_id", flat=True))
    session.rota.exclude(deputy_id__in=list(wanted)).delete()
    added = [pk for pk in wanted if pk not in current]
    RotaEntry.objects.bulk_create([RotaEntry(session=session, deputy_id=pk) for pk in added])
    text = _("【%(county)s人大】{name}代表：您已被安排于%(day)s %(hours)s在%(venue)s接待选民。") % {
        "county": county_name(), "day": day_label(session.date),
        "hours": hours_label(session.starts_at, session.ends_at), "venue": session.venue.name}
    messages_enqueue(
        Outgoing(dedupe_key=f"reception:{session.pk}:v{session.version}:{pk}:rostered", kind="reception.rostered",
                 body=text.replace("{name}", name), account_id=account_id, mobile=mobile)
        for pk, account_id, mobile, name in Deputy.objects.filter(pk__in=added).values_list(
            "pk", "account_id", "account__mobile", "account__name"))
    audit_record(actor=actor, action="reception.rota_set", target=session, data={"deputies": sorted(wanted)})
    return composition(session, list(wanted.values()))


@transaction.atomic
def rota_excuse(*, actor: Actor, session: ReceptionSession, deputy: Deputy, excuse: str) -> RotaEntry:
    """Leave granted (请假): the deputy is not counted absent and gets no reminder."""
    require_venue(actor, session.venue)
    entry = RotaEntry.objects.select_for_update().filter(session=session, deputy=deputy).first()
    if entry is None:
        raise ValidationError({"deputy": _("该代表不在本次值班名单中。")})
    if not excuse.strip():
        raise ValidationError({"excuse": _("请填写请假事由。")})
    entry.excused, entry.excuse = True, excuse.strip()
    entry.save(update_fields=["excused", "excuse"])
    audit_record(actor=actor, action="reception.excuse", target=session, data={"deputy": deputy.pk})
    return entry
