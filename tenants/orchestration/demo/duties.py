"""Demo duty records, through the duties services, so the duty pages are not empty. Haifeng's previous
year carries Haicheng's figures (002): 77 visits to constituents and 124 constituents received. Safe
to run again: a county that has duty records is left alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duties.models import DutyKind, DutyRecord
from duties.services.records import duty_record_log
from duties.services.training import training_attendance_mark, training_event_create
from people.actors import actor_for
from people.models import Deputy, Pairing, Stationing

DEPUTIES = 40  # deputies with records in each county (the first by id): enough to fill the pages


def _day(year: int, month: int, day: int, today: dt.date) -> dt.date | None:
    found = dt.date(year, month, min(day, 28))
    return found if found <= today else None


def seed_duties(slug: str, admin) -> None:
    if DutyRecord.objects.exists():
        return
    today = timezone.localdate()
    deputies = list(Deputy.objects.select_related("account").order_by("pk")[:DEPUTIES])
    if not deputies:
        return
    stations = {s.deputy_id: s.venue for s in Stationing.objects.filter(
        ended_on__isnull=True, deputy__in=deputies).select_related("venue")}
    actors = {d.pk: actor_for(d.account) for d in deputies}
    county = actor_for(admin)

    def log(deputy: Deputy, kind: str, day: dt.date | None, title: str, **extra) -> None:
        if day is not None:
            duty_record_log(actor=actors[deputy.pk], deputy=deputy, kind=kind, occurred_on=day, title=title,
                            venue=stations.get(deputy.pk), **extra)

    last = today.year - 1
    # Last year: receptions adding up to 124 constituents, 77 visits, reports to voters from most.
    receptions = [(m, deputies[(m * 3 + k) % len(deputies)]) for m in range(1, 13) for k in range(4)]
    extra = 124 - 2 * len(receptions)
    for i, (month, deputy) in enumerate(receptions):
        log(deputy, DutyKind.RECEPTION, _day(last, month, 3, today), "接待日接待选民",
            constituents_count=2 + (1 if i < extra else 0),
            content="听取群众对道路硬化、饮水安全、医保缴费等方面的意见。")
    for j in range(77):
        log(deputies[j % len(deputies)], DutyKind.VISIT, _day(last, 1 + (j * 5) % 12, 10 + j % 15, today),
            "走访选民", content="入户走访困难群众，了解生产生活情况。", constituents_count=1)
    for i, deputy in enumerate(deputies):
        if i % 5 != 4:
            log(deputy, DutyKind.REPORT_TO_VOTERS, _day(last, 12, 5 + i % 20, today), "向选民述职")
        if i % 3 == 0:
            log(deputy, [DutyKind.INSPECTION_SURVEY, DutyKind.POLICY_PROMOTION, DutyKind.PUBLIC_WELFARE,
                         DutyKind.LIVELIHOOD_PROJECT_SUPERVISION][i % 4], _day(last, 1 + i % 12, 15, today),
                ["视察乡村振兴项目", "宣传医保政策", "植树公益活动", "监督民生实事项目进度"][i % 4])
    # This year: receptions and visits month by month, most deputies keeping the three-ones rule.
    for month in range(1, today.month + 1):
        for i, deputy in enumerate(deputies[:20]):
            if (i + month) % 4:
                log(deputy, DutyKind.RECEPTION, _day(today.year, month, 2 + i % 3, today), "接待日接待选民",
                    constituents_count=1 + (i + month) % 4)
            if (i * month) % 3 != 1:
                log(deputy, DutyKind.VISIT, _day(today.year, month, 12 + i % 10, today), "走访选民")
    # Pair contacts: each current pairing met once this year (when the county has pairings).
    for k, pairing in enumerate(Pairing.objects.filter(ended_on__isnull=True, county_deputy__in=deputies)
                                .select_related("county_deputy__account", "township_deputy")[:60]):
        log(pairing.county_deputy, DutyKind.PAIR_CONTACT, _day(today.year, 1 + k % max(today.month, 1), 20, today),
            "结对联系乡镇代表", participants=[pairing.township_deputy])
    # A training course last year, with attendance marked by the county.
    event = training_event_create(actor=county, title="代表履职能力提升培训班", held_on=dt.date(last, 6, 18),
                                  organiser="县人大常委会", place="县人大常委会会议室")
    for i, deputy in enumerate(deputies[:30]):
        training_attendance_mark(actor=county, event=event, deputy=deputy,
                                 status=["present", "present", "present", "excused", "absent"][i % 5])
    # Two records the county logged on the first deputy's behalf, waiting for them.
    for day, title in [(today - dt.timedelta(days=3), "参加县人大常委会组织的执法检查"),
                       (today - dt.timedelta(days=10), "参加议政会")]:
        duty_record_log(actor=county, deputy=deputies[0], kind=DutyKind.LAW_ENFORCEMENT_INSPECTION
                        if "执法" in title else DutyKind.DELIBERATION_FORUM, occurred_on=day, title=title)
