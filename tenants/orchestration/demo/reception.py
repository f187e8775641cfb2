"""Demo reception days: this year's remaining and next year's calendars published for every open station,
the next session's rota, and the last three months' sessions at a few stations with attendance and records
(Shuidong, 000: 25 visitors on the first reception day)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from access.scope import Actor
from organisation.models import Venue
from reception.models import ReceptionSession, RotaEntry
from reception.services.common import at
from reception.services.records import IssueInput, reception_record_save
from reception.services.rota import rota_proposal, rota_set
from reception.services.schedule import first_days, reception_days, schedule_for, sessions_publish
from reception.services.signin import attendance_mark

ISSUES = ["村组公路路面破损，雨天通行困难", "安置小区饮水水压不足", "村小学缺少校车接送",
          "农村医保缴费标准上调，群众负担加重", "河道垃圾清理不及时", "集镇农贸市场占道经营", "村卫生室缺少全科医生",
          "危房改造补助发放慢", "茶叶收购价格偏低，希望引进加工企业", "留守老人日间照料无处可去",
          "汛期山体滑坡隐患点未设警示牌", "高龄津贴申领手续繁琐", "村里路灯年久失修", "农田灌溉渠道堵塞",
          "快递进村最后一公里收费高", "学校周边缺少交通信号灯"]


def seed_reception(actor: Actor, *, history_stations: int = 3) -> None:
    today = timezone.localdate()
    venues = list(Venue.objects.filter(status=Venue.Status.OPEN).order_by("pk"))
    for venue in venues:
        sessions_publish(actor=actor, venue=venue, year=today.year)
        sessions_publish(actor=actor, venue=venue, year=today.year + 1)
    for venue in venues[:history_stations * 3]:
        upcoming = ReceptionSession.objects.filter(venue=venue, date__gt=today).order_by("date").first()
        if upcoming is not None:
            rota_set(actor=actor, session=upcoming, deputies=rota_proposal(upcoming))
    for n, venue in enumerate(venues[:history_stations]):
        _history(actor, venue, today, visitors=25 if n == 0 else 8 + 3 * n)


def _history(actor: Actor, venue: Venue, today: dt.date, *, visitors: int) -> None:
    """The past three months' sessions at `venue`: rota, attendance (one deputy absent, one late), a record."""
    schedule = schedule_for(venue)
    since = today - dt.timedelta(days=92)
    for first in [d for year in {since.year, today.year} for d in first_days(schedule.rrule, year)]:
        for planned, held in reception_days(schedule, first):
            if not since <= held < today:
                continue
            session, _created = ReceptionSession.objects.get_or_create(
                venue=venue, planned_on=planned,
                defaults={"date": held, "starts_at": at(held, schedule.starts_at),
                          "ends_at": at(held, schedule.ends_at)})
            deputies = rota_proposal(session)
            RotaEntry.objects.bulk_create([RotaEntry(session=session, deputy=d) for d in deputies],
                                          ignore_conflicts=True)
            for k, deputy in enumerate(deputies[:-1] if len(deputies) > 1 else deputies):
                arrived = session.starts_at + dt.timedelta(minutes=40 if k == 1 else 5)
                attendance_mark(actor=actor, session=session, deputy=deputy, arrived_at=arrived,
                                left_at=session.ends_at)
            if planned == first:
                raised = [ISSUES[(session.pk * 3 + k) % len(ISSUES)] for k in range(2 + visitors % 3)]
                reception_record_save(actor=actor, session=session, visitors_count=visitors,
                                      summary=f"接待群众{visitors}人次，现场解答政策咨询。",
                                      issues=[IssueInput(content=text, village=venue.village,
                                                         received_by=deputies[k % len(deputies)] if deputies else None)
                                              for k, text in enumerate(raised)])
                visitors = max(5, visitors - 4)
