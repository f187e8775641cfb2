"""Rows of the duties context: duty records (and their confirmation, edits and photos), the three-ones
report, the evaluation, the duty rule, training events and attendance (see tests/api/matrix.py).

Who reads a duty record: the county; staff who manage its deputy (east town's staff for deputy_a at
v1, v2's staff for the west deputy); the deputy themself. Handling units read none. A record beyond
reach is 404; one within reach that the actor may not change is 403. `a_record` is logged by Alpha's
administrator on deputy_a's behalf, so it waits for deputy_a's confirmation.
"""

from __future__ import annotations

import datetime as dt

from django.test.client import MULTIPART_CONTENT

from tests.api.matrix import ALPHA, Row, members
from tests.api.matrix_casework import a_case
from tests.api.matrix_organisation import Body as FormBody
from tests.api.matrix_organisation import Png, page
from tests.api.matrix_people import ADMIN_ONLY, Prepared, created, row

NONE_HERE = members(404)
READERS = members(200, unit_a=403)  # staff and deputies read their reports; handling units do not
# deputy_a's record: the county, east town's staff and deputy_a see it; v2's staff and the unit do not.
SEEN_BY = dict(admin_a=200, township_staff_a=200, deputy_a=200, station_staff_a=404, unit_a=404)


def _admin():
    from people.actors import actor_for
    from tenants.models import Account

    return actor_for(Account.objects.get(mobile="13700000001"))


def a_record(ids):
    from duties.services.records import duty_record_log
    from people.models import Deputy

    record = duty_record_log(actor=_admin(), deputy=Deputy.objects.get(pk=ids["deputy"]), kind="visit",
                             occurred_on=dt.date(2025, 3, 4), title="走访东村")
    return {"record": record.pk}


def an_event(ids):
    from duties.services.training import training_event_create

    return {"event": training_event_create(actor=_admin(), title="代表培训", held_on=dt.date(2025, 4, 1)).pk}


def _with(expected: dict, **statuses) -> dict:
    return {**expected, **statuses}


RECORD = "/api/v1/duty-records/{ids[record]}/"
EVENT = "/api/v1/training-events/{ids[event]}/"

ROWS = [
    row("GET", "/api/v1/duty-records/", members(200)),
    row("GET", "/api/v1/duty-records/?kind=visit&month=2025-03&status=pending&q=走访", members(200)),
    row("GET", Prepared(RECORD, a_record), members(200, **SEEN_BY)),
    row("GET", "/api/v1/duty-records/999999/", NONE_HERE),
    # logging: a deputy their own; staff for the deputies they manage
    row("POST", "/api/v1/duty-records/", members(403, admin_a=201, township_staff_a=201, deputy_a=201),
        {"deputy": "{deputy}", "kind": "visit", "occurred_on": "2025-03-04", "title": "走访"}),
    row("POST", "/api/v1/duty-records/", members(403, admin_a=201, station_staff_a=201),
        {"deputy": "{west_deputy}", "kind": "reception", "occurred_on": "2025-03-04", "title": "接待"}),
    row("POST", "/api/v1/duty-records/", members(400, deputy_a=201),  # no deputy named: only a deputy's own
        {"kind": "visit", "occurred_on": "2025-03-04", "title": "走访"}),
    # the author edits; the deputy confirms or disputes
    row("PATCH", Prepared(RECORD, a_record), members(200, **_with(SEEN_BY, township_staff_a=403, deputy_a=403)),
        {"title": "走访东村（更正）"}),
    row("POST", Prepared(RECORD + "confirm/", a_record),
        members(200, **_with(SEEN_BY, admin_a=403, township_staff_a=403))),
    row("POST", Prepared(RECORD + "dispute/", a_record),
        members(200, **_with(SEEN_BY, admin_a=403, township_staff_a=403)), {"reason": "未参加"}),
    row("POST", "/api/v1/duty-records/999999/confirm/", NONE_HERE),
    row("POST", "/api/v1/duty-records/999999/dispute/", NONE_HERE, {"reason": "x"}),
    Row("POST", ALPHA, Prepared(RECORD + "photos/", a_record),
        members(201, **_with(SEEN_BY, admin_a=201, township_staff_a=201, deputy_a=201)),
        data=FormBody(photo=Png()), content_type=MULTIPART_CONTENT),
    Row("POST", ALPHA, "/api/v1/duty-records/999999/photos/", NONE_HERE, data=FormBody(photo=Png()),
        content_type=MULTIPART_CONTENT),
    # reports and rules
    row("GET", "/api/v1/three-ones/", READERS),
    row("GET", "/api/v1/three-ones/?year=2025", READERS),
    row("GET", "/api/v1/duty-evaluation/", READERS),
    row("GET", "/api/v1/duty-evaluation/?year=2025", READERS),
    row("GET", "/api/v1/duty-rule/", members(200)),
    row("PUT", "/api/v1/duty-rule/", ADMIN_ONLY, {"visits_per_month": 2, "weights": {"visit": 3}}),
    # training: every member reads; the county or a township organises; staff mark their deputies
    row("GET", "/api/v1/training-events/", members(200)),
    row("GET", Prepared(EVENT, an_event), members(200)),
    row("GET", "/api/v1/training-events/999999/", NONE_HERE),
    row("POST", "/api/v1/training-events/", created(ADMIN_ONLY), {"title": "全县代表培训", "held_on": "2025-05-01"}),
    row("POST", "/api/v1/training-events/", created(members(403, admin_a=200, township_staff_a=200)),
        {"title": "东镇学习会", "kind": "study", "held_on": "2025-05-01", "township": "{east}"}),
    row("POST", Prepared(EVENT + "attendance/", an_event), members(403, admin_a=200, township_staff_a=200),
        {"deputy": "{deputy}", "status": "present"}),
    row("POST", Prepared(EVENT + "attendance/", an_event), members(403, admin_a=200, station_staff_a=200),
        {"deputy": "{west_deputy}", "status": "absent"}),
    row("POST", "/api/v1/training-events/999999/attendance/", NONE_HERE, {"deputy": "{deputy}", "status": "present"}),
]

# The registers (三簿一卡) as Excel, read as their pages are: a station's books by who manages the station (v1:
# the office and east town's staff), a deputy's card by who manages the deputy and the deputy, the issue form
# by who reads the case (matrix_casework's, received by deputy_a at v1); out of reach is 404.
V1_BOOKS = page(200, "admin_a", "township_staff_a", other=404)
ROWS += [
    Row("GET", ALPHA, "/registers/activity/{ids[v1]}/?start=2025-01-01&end=2025-12-31&format=xlsx", V1_BOOKS),
    Row("GET", ALPHA, "/registers/attendance/{ids[v1]}/?start=2025-01-01&end=2025-12-31&format=xlsx", V1_BOOKS),
    Row("GET", ALPHA, "/registers/card/{ids[deputy]}/?year=2025&format=xlsx",
        page(200, "admin_a", "township_staff_a", "deputy_a", other=404)),
    Row("GET", ALPHA, Prepared("/registers/issue-form/{ids[case]}/?format=xlsx", a_case),
        page(200, "admin_a", "township_staff_a", "deputy_a", other=404)),
]
