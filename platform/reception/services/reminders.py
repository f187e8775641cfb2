"""Reminders (004): an SMS three days before and a reminder one day before, to each deputy on the rota.

Beat runs the scan per county several times a day; each reminder's dedupe key (session, its version,
deputy, kind) makes it exactly-once across re-runs, a beat restart or a worker killed mid-scan. A scan that
missed the third day (beat down) still sends the three-day reminder on the second day; on the last day
only the one-day reminder is due.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import Outgoing, messages_enqueue
from reception.models import ReceptionSession, RotaEntry

from .common import county_name, day_label, hours_label

KINDS = (("3d", 2, 3), ("1d", 0, 1))  # kind, days before: from, to


def reminders_due(now: dt.datetime | None = None) -> list[Outgoing]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    county = county_name()
    rows = (RotaEntry.objects.filter(excused=False, session__status=ReceptionSession.Status.SCHEDULED,
                                     session__date__gte=today, session__date__lte=today + dt.timedelta(days=3),
                                     session__ends_at__gt=now)
            .values_list("session_id", "session__version", "session__date", "session__starts_at",
                         "session__ends_at", "session__venue__name", "session__venue__address", "deputy_id",
                         "deputy__account_id", "deputy__account__mobile", "deputy__account__name"))
    due = []
    for sid, version, day, starts, ends, venue, address, deputy_id, account_id, mobile, name in rows:
        before = (day - today).days
        for kind, low, high in KINDS:
            if low <= before <= high:
                text = (_("【%(county)s人大】%(name)s代表：您于%(day)s %(hours)s在%(venue)s值班接待选民，"
                          "请准时到站扫码签到。")
                        if kind == "3d" else
                        _("【%(county)s人大】%(name)s代表：提醒您明天（%(day)s）%(hours)s在%(venue)s接待选民。")
                        if before == 1 else
                        _("【%(county)s人大】%(name)s代表：今天（%(day)s）%(hours)s您在%(venue)s接待选民。"))
                due.append(Outgoing(
                    dedupe_key=f"reception:{sid}:v{version}:{deputy_id}:{kind}", kind=f"reception.reminder_{kind}",
                    body=text % {"county": county, "name": name, "day": day_label(day),
                                 "hours": hours_label(starts, ends),
                                 "venue": venue + (f"（{address}）" if address else "")},
                    account_id=account_id, mobile=mobile))
    return due


def reminders_send_due(now: dt.datetime | None = None) -> int:
    """Write the due reminders to the outbox (already-written ones are skipped by their key)."""
    return messages_enqueue(reminders_due(now))
