"""Rows of the casework context: opinions, cases, suggestions and their actions, routing, categories,
unit scores; and the upper tiers' escalation inbox on the platform host.

The case of these rows is received by deputy_a at v1 (east town): Alpha's administrator and east town's
presidium staff handle it, deputy_a reads it (and is refused its handling, 403), the station staff of v2
(west) and the handling unit do not see it (404). The suggestion is deputy_a's, assigned to unit_a's unit
(a guardian grant): the unit answers, returns, asks for more time; only deputy_a rates it.
"""

from __future__ import annotations

import datetime as dt

from django.test.client import MULTIPART_CONTENT

from tests.api.matrix import ALPHA, PLATFORM, Row, everyone, members
from tests.api.matrix_people import JSON, Body, Prepared


class Upload:
    """A file the test client re-reads for every actor."""

    name = "photo.png"

    def read(self) -> bytes:
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
        return buffer.getvalue()


MULTIPART = MULTIPART_CONTENT  # the client encodes a dict only for this very object


def _actor(mobile: str):
    from people.actors import actor_for
    from tenants.models import Account

    return actor_for(Account.objects.get(mobile=mobile))


ADMIN, DEPUTY, UNIT = "13700000001", "13700000011", "13700000043"


def _opinion(ids, content="东村道路坑洼"):
    from casework.services import opinion_receive
    from organisation.models import Village

    return opinion_receive(actor=_actor(DEPUTY), content=content, channel="reception", constituent_name="张三",
                           village=Village.objects.get(pk=ids["village_east"]), constituent_mobile="13912345678",
                           consent=True)


def a_case(ids):
    opinion = _opinion(ids)
    other = _opinion(ids, "东村道路路灯不亮")
    return {"case": opinion.case_id, "opinion": opinion.pk, "other_case": other.case_id}


def a_routed_case(ids):
    from casework.services import case_route

    case = _opinion(ids).case
    case_route(actor=_actor(ADMIN), case=case, jurisdiction="township")
    return {"case": case.pk}


def a_suggestion(state: str):
    def prepare(ids):
        from casework import services
        from organisation.models import HandlingUnit
        from people.models import Deputy

        admin = _actor(ADMIN)
        s = services.suggestion_submit(actor=_actor(DEPUTY), title="关于东村道路的建议", content="请修缮东村道路",
                                       lead_deputy=Deputy.objects.get(pk=ids["deputy"]))
        if state != "submitted":
            services.suggestion_register(actor=admin, suggestion=s)
        if state in ("assigned", "answered", "extension"):
            services.suggestion_assign(actor=admin, suggestion=s, lead_unit=HandlingUnit.objects.get(pk=ids["unit"]))
        if state == "answered":
            services.suggestion_answer(actor=_actor(UNIT), suggestion=s, outcome="solved", content="已修缮")
        if state == "extension":
            s.refresh_from_db()
            services.extension_request(actor=_actor(UNIT), suggestion=s, reason="需调研",
                                       requested_until=s.due_on + dt.timedelta(days=30))
        return {"suggestion": s.pk}
    return prepare


def an_escalation(ids):
    from casework.services import case_route

    case = _opinion(ids).case
    case = case_route(actor=_actor(ADMIN), case=case, jurisdiction="province")
    return {"escalation": case.escalation_id}


def row(method: str, path, expected: dict, body: dict | None = None, host: str = ALPHA) -> Row:
    if body is None:
        return Row(method, host, path, expected)
    return Row(method, host, path, expected, data=Body(body), content_type=JSON)


def created(expected: dict) -> dict:
    return {actor: (201 if status == 200 else status) for actor, status in expected.items()}


ADMIN_ONLY = members(403, admin_a=200)
NONE_HERE = members(404)
# The deputy_a case at v1: handled by admin and east staff; read by deputy_a; out of reach for the others.
CASE_HANDLERS = members(404, admin_a=200, township_staff_a=200, deputy_a=403)
CASE_READERS = members(404, admin_a=200, township_staff_a=200, deputy_a=200)
# deputy_a's suggestion: the county office acts; deputy_a and (once assigned) unit_a read it.
BEFORE_ASSIGNMENT = members(404, admin_a=200, deputy_a=403)
ASSIGNED_ADMIN = members(404, admin_a=200, deputy_a=403, unit_a=403)
ASSIGNED_UNIT = members(404, admin_a=403, deputy_a=403, unit_a=200)
ON_PLATFORM = {**everyone(403), "province_staff": 200}

ROWS = [
    row("GET", "/api/v1/opinion-categories/", members(200)),
    row("POST", "/api/v1/opinion-categories/", created(ADMIN_ONLY), {"name": "乡村振兴", "position": 10}),
    row("PATCH", "/api/v1/opinion-categories/1/", ADMIN_ONLY, {"name": "工业经济发展"}),
    row("PATCH", "/api/v1/opinion-categories/999999/", members(404, admin_a=404), {"name": "x"}),
    row("GET", "/api/v1/routing-rules/", members(200)),
    row("POST", "/api/v1/routing-rules/", ADMIN_ONLY, {"jurisdiction": "village", "route": "suggestion"}),
    row("GET", "/api/v1/routing-rules/deadlines/", members(200)),
    row("PUT", "/api/v1/routing-rules/deadlines/", ADMIN_ONLY, {"feedback_working_days": 15}),
    # Opinions: staff, deputies (their own) and observers record them; handling units do not.
    row("GET", "/api/v1/opinions/", members(200)),
    row("POST", "/api/v1/opinions/", created(members(403, admin_a=200, township_staff_a=200, station_staff_a=200,
                                                     deputy_a=200)), {"content": "路灯坏了", "channel": "phone"}),
    row("GET", Prepared("/api/v1/opinions/{ids[opinion]}/", a_case), CASE_READERS),
    row("GET", "/api/v1/opinions/999999/", NONE_HERE),
    Row("POST", ALPHA, Prepared("/api/v1/opinions/{ids[opinion]}/attachments/", a_case),
        created(members(404, admin_a=200, township_staff_a=200, deputy_a=200)), data={"file": Upload()},
        content_type=MULTIPART),
    # Cases.
    row("GET", "/api/v1/cases/", members(200)),
    row("GET", "/api/v1/cases/?status=open&category=1&township={ids[east]}&q=道路&overdue=1", members(200)),
    row("GET", Prepared("/api/v1/cases/{ids[case]}/", a_case), CASE_READERS),
    row("GET", "/api/v1/cases/999999/", NONE_HERE),
    row("POST", Prepared("/api/v1/cases/{ids[case]}/route/", a_case), CASE_HANDLERS, {"jurisdiction": "village"}),
    row("POST", Prepared("/api/v1/cases/{ids[case]}/answer/", a_routed_case), CASE_HANDLERS, {"answer": "已修"}),
    row("POST", Prepared("/api/v1/cases/{ids[case]}/close/", a_case),
        members(404, admin_a=200, township_staff_a=403, deputy_a=403), {"reason": "政策解释"}),
    Row("POST", ALPHA, Prepared("/api/v1/cases/{ids[case]}/merge/", a_case), CASE_HANDLERS,
        data=None),  # replaced below: the body names the second case
    row("POST", "/api/v1/cases/999999/route/", NONE_HERE, {"jurisdiction": "village"}),
    # Suggestions.
    row("GET", "/api/v1/suggestions/", members(200)),
    row("GET", "/api/v1/suggestions/?status=assigned&unit={ids[unit]}", members(200)),
    row("POST", "/api/v1/suggestions/", created(members(403, admin_a=200, deputy_a=200)),
        {"title": "关于农村饮水的建议", "content": "请改善饮水", "lead_deputy": "{deputy}", "period": "in_session"}),
    row("GET", Prepared("/api/v1/suggestions/{ids[suggestion]}/", a_suggestion("assigned")),
        members(404, admin_a=200, deputy_a=200, unit_a=200)),
    row("GET", Prepared("/api/v1/suggestions/{ids[suggestion]}/", a_suggestion("submitted")),
        members(404, admin_a=200, deputy_a=200)),
    row("GET", "/api/v1/suggestions/999999/", NONE_HERE),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/register/", a_suggestion("submitted")),
        BEFORE_ASSIGNMENT, {}),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/refuse/", a_suggestion("submitted")),
        BEFORE_ASSIGNMENT, {"reason": "不属于本级职权"}),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/assign/", a_suggestion("registered")),
        BEFORE_ASSIGNMENT, {"lead_unit": "{unit}"}),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/return/", a_suggestion("assigned")), ASSIGNED_UNIT,
        {"reason": "不属于本单位职责"}),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/answer/", a_suggestion("assigned")), ASSIGNED_UNIT,
        {"outcome": "being_solved", "content": "正在施工"}),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/extension/", a_suggestion("assigned")),
        created(ASSIGNED_UNIT), {"requested_until": "2099-01-01", "reason": "需要实地调研"}),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/extension-decision/", a_suggestion("extension")),
        ASSIGNED_ADMIN, {"grant": True}),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/supervision/", a_suggestion("assigned")),
        ASSIGNED_ADMIN, {"leader_name": "李副主任", "responsible_unit": "{unit}", "deadline": "2099-01-01"}),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/rate/", a_suggestion("answered")),
        members(404, admin_a=403, deputy_a=200, unit_a=403), {"process": "satisfied", "result": "satisfied"}),
    row("POST", Prepared("/api/v1/suggestions/{ids[suggestion]}/close/", a_suggestion("answered")),
        ASSIGNED_ADMIN, {"reason": "常委会决定办结"}),
    row("POST", "/api/v1/suggestions/999999/answer/", NONE_HERE, {"outcome": "solved", "content": "x"}),
    row("GET", "/api/v1/unit-scores/", members(403, admin_a=200, unit_a=200)),
    row("GET", "/api/v1/unit-scores/?year=2026", members(403, admin_a=200, unit_a=200)),
    row("GET", "/api/v1/unit-scores/export/", members(403, admin_a=200, unit_a=200)),
    row("GET", "/api/v1/unit-scores/export/?year=2026", members(403, admin_a=200, unit_a=200)),
    # The upper tiers' inbox lives on the platform host; on a county host it is not there.
    row("GET", "/api/v1/escalations/", members(404)),
    row("GET", "/api/v1/escalations/", ON_PLATFORM, host=PLATFORM),
    row("GET", Prepared("/api/v1/escalations/{ids[escalation]}/", an_escalation), ON_PLATFORM, host=PLATFORM),
    row("GET", "/api/v1/escalations/999999/", {**everyone(403), "province_staff": 404}, host=PLATFORM),
    row("POST", Prepared("/api/v1/escalations/{ids[escalation]}/updates/", an_escalation),
        {**everyone(403), "province_staff": 201}, {"text": "已转省交通运输厅"}, host=PLATFORM),
    row("POST", Prepared("/api/v1/escalations/{ids[escalation]}/answer/", an_escalation), ON_PLATFORM,
        {"answer": "已列入计划"}, host=PLATFORM),
    # The upstairs steps (a province-level item, open): the province's staff take them; a step its status does
    # not allow is a 400 that says why; drafting is a unit's (tests/casework/test_upstairs_permissions.py has
    # the prefecture's staff, another prefecture's and the units).
    row("POST", Prepared("/api/v1/escalations/{ids[escalation]}/accept/", an_escalation), ON_PLATFORM,
        host=PLATFORM),
    row("POST", Prepared("/api/v1/escalations/{ids[escalation]}/forward/", an_escalation), ON_PLATFORM,
        {"reason": "请州人大先行办理"}, host=PLATFORM),
    row("POST", Prepared("/api/v1/escalations/{ids[escalation]}/return/", an_escalation), ON_PLATFORM,
        {"reason": "属县级事权"}, host=PLATFORM),
    row("POST", Prepared("/api/v1/escalations/{ids[escalation]}/assign/", an_escalation),
        {**everyone(403), "province_staff": 400}, {"units": [999999]}, host=PLATFORM),
    row("POST", Prepared("/api/v1/escalations/{ids[escalation]}/draft/", an_escalation), everyone(403),
        {"text": "拟答复"}, host=PLATFORM),
    row("POST", Prepared("/api/v1/escalations/{ids[escalation]}/approve/", an_escalation),
        {**everyone(403), "province_staff": 400}, host=PLATFORM),
    row("POST", Prepared("/api/v1/escalations/{ids[escalation]}/reject/", an_escalation),
        {**everyone(403), "province_staff": 400}, {"reason": "请补充"}, host=PLATFORM),
    row("POST", "/api/v1/escalations/999999/accept/", {**everyone(403), "province_staff": 404}, host=PLATFORM),
]


class MergeBody(Body):
    """The merge body names the second case that the row's Prepared path made."""

    def __str__(self) -> str:
        import json

        from django_tenants.utils import schema_context

        from casework.models import Case
        from tenants.models import County

        with schema_context(County.objects.get(slug="alpha").schema_name):
            newest = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
        return json.dumps({"others": [newest]})


ROWS = [r if not r.path.endswith("/merge/") else
        Row("POST", ALPHA, r.path, CASE_HANDLERS, data=MergeBody({}), content_type=JSON) for r in ROWS]

# The suggestion list's Excel export: every member, each with the rows the list shows them. The units'
# scorecards: the county office every unit's, a unit its own; other members are refused.
ROWS += [
    Row("GET", ALPHA, "/suggestions/?export=xlsx", {**members(200), "admin_b": 302, "province_staff": 302,
                                                     "outsider": 302, "anonymous": 302}),
    Row("GET", ALPHA, "/casework/rules/?export=scorecards&year=2026",
        {**members(403, admin_a=200, unit_a=200), "admin_b": 302, "province_staff": 302, "outsider": 302,
         "anonymous": 302}),
]
