"""Rows of the reception context and the message inbox.

Sessions are made when a row's path is formatted (inside the test's transaction): at v1 (east town, where
deputy_a is stationed) and at v2 (the west township's station, managed by station_staff_a). A session is
read by the staff who manage its station and by the deputies stationed there; only its managers write.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.api.matrix import ALPHA, Row, members
from tests.api.matrix_people import Prepared, created, row

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


def session_at(venue_key: str, days: int):
    def prepare(ids):
        from reception.models import ReceptionSession
        from reception.services.common import at

        day = TODAY + dt.timedelta(days=days)
        session, _ = ReceptionSession.objects.get_or_create(
            venue_id=ids[venue_key], planned_on=day,
            defaults={"date": day, "starts_at": at(day, dt.time(9)), "ends_at": at(day, dt.time(17))})
        return {"session": session.pk}
    return prepare


def s(path: str, venue_key: str = "v1", days: int = 5) -> Prepared:
    return Prepared("/api/v1/reception-sessions/{ids[session]}/" + path, session_at(venue_key, days))


NONE_HERE = members(404)
V1_READ = members(404, admin_a=200, township_staff_a=200, deputy_a=200)
V1_WRITE = members(404, admin_a=200, township_staff_a=200, deputy_a=403)
V2_READ = members(404, admin_a=200, station_staff_a=200)
V2_WRITE = V2_READ
V1_MANAGE = members(404, admin_a=200, township_staff_a=200)
V2_MANAGE = members(404, admin_a=200, station_staff_a=200)
ARRIVED = f"{YESTERDAY.isoformat()}T09:30:00+08:00"

ROWS = [
    row("GET", "/api/v1/reception-sessions/", members(200)),
    row("GET", f"/api/v1/reception-sessions/?venue={{ids[v1]}}&month={TODAY:%Y-%m}&past=1", members(200)),
    row("GET", s(""), V1_READ),
    row("GET", s("", "v2"), V2_READ),
    row("GET", "/api/v1/reception-sessions/999999/", NONE_HERE),
    row("POST", s("move/"), V1_WRITE, {"date": (TODAY + dt.timedelta(days=9)).isoformat(), "reason": "换届选举"}),
    row("POST", s("cancel/", "v2"), V2_WRITE, {"reason": "暴雨预警"}),
    row("POST", "/api/v1/reception-sessions/999999/cancel/", NONE_HERE, {"reason": "x"}),
    row("PUT", s("rota/"), V1_WRITE, {"deputies": []}),
    row("PUT", s("rota/", "v2"), V2_WRITE, {"deputies": []}),
    row("GET", s("proposal/"), V1_WRITE),
    row("POST", s("attendance/", days=-1), created(V1_WRITE), {"deputy": "{deputy}", "arrived_at": ARRIVED}),
    row("POST", s("record/", days=-1), created(V1_WRITE), {"visitors_count": 25, "summary": "接待群众25人次"}),
    row("POST", s("record/", "v2", days=-1), created(V2_WRITE), {"visitors_count": 3}),
    # Nobody has signed in there: every reader is told so (400); the others do not see the session.
    row("POST", s("sign-out/", days=0), members(404, admin_a=400, township_staff_a=400, deputy_a=400), {}),
    # A bad code is refused with a reason, for any member.
    row("POST", "/api/v1/reception/sign-in/", members(400), {"code": "no-such-code"}),
    row("GET", "/api/v1/reception-schedules/", members(200)),
    row("GET", "/api/v1/reception-schedules/{ids[v1]}/", V1_MANAGE),
    row("GET", "/api/v1/reception-schedules/{ids[v2]}/", V2_MANAGE),
    row("PATCH", "/api/v1/reception-schedules/{ids[v1]}/", V1_MANAGE, {"days_per_reception": 1}),
    row("PATCH", "/api/v1/reception-schedules/{ids[v2]}/", V2_MANAGE, {"rrule": "FREQ=MONTHLY;BYDAY=1TU"}),
    row("POST", "/api/v1/reception-schedules/{ids[v2]}/publish/", created(V2_MANAGE), {"year": TODAY.year + 1}),
    row("POST", "/api/v1/reception-schedules/999999/publish/", NONE_HERE, {"year": TODAY.year + 1}),
    row("GET", "/api/v1/attendance-notice-jobs/", members(200)),
    row("GET", "/api/v1/attendance-notice-jobs/999999/", NONE_HERE),
    row("POST", "/api/v1/attendance-notice-jobs/", created(members(403, admin_a=200)), {"year": TODAY.year - 1}),
    row("POST", "/api/v1/attendance-notice-jobs/", created(V2_MANAGE), {"year": TODAY.year - 1, "venue": "{v2}"}),
    row("GET", "/api/v1/attendance-notices/", members(200)),
    row("GET", "/api/v1/attendance-notices/999999/", NONE_HERE),
    row("GET", "/api/v1/absence-steps/", members(200)),
    row("POST", "/api/v1/absence-steps/999999/done/", NONE_HERE, {"note": "已约谈"}),
    row("GET", "/api/v1/messages/", members(200)),
    row("POST", "/api/v1/messages/read/", members(200), {"ids": [1, 2]}),
]

# The reception list's Excel exports (its days, their attendance): staff, each with their stations' days;
# others are sent to their own page.
ROWS += [
    Row("GET", ALPHA, f"/reception/?export={export}", {**members(200, deputy_a=302, unit_a=302), "admin_b": 302,
                                                        "province_staff": 302, "outsider": 302, "anonymous": 302})
    for export in ("xlsx", "attendance")
]
