"""Who may read and step an upstairs item on the platform host, with the actors the permission matrix lacks:
the staff of the item's prefecture, of its province and of another prefecture, the unit it is assigned to and
one it is not, county staff, a deputy, nobody. The item: prefecture-level, accepted, assigned to one unit."""

from __future__ import annotations

import pytest
from django.test import Client

from casework.services import case_route
from tenants.models import Account, Escalation, RegionUnit
from tenants.orchestration import escalations as steps
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ACTORS = ["prefecture_staff", "province_staff", "other_prefecture_staff", "assigned_unit", "other_unit",
          "county_admin", "deputy", "anonymous"]
NOT_ADMITTED = {"county_admin": None, "deputy": None, "anonymous": None}  # refused on the platform host

PAGE = {"prefecture_staff": 200, "assigned_unit": 200, "province_staff": 404, "other_prefecture_staff": 404,
        "other_unit": 404, **dict.fromkeys(NOT_ADMITTED, 302)}
API_READ = {**PAGE, **dict.fromkeys(NOT_ADMITTED, 403)}


def _expect(staff: int, unit: int) -> dict[str, int]:
    return {**API_READ, "prefecture_staff": staff, "assigned_unit": unit}


CASES = [
    ("GET", "/inbox/", None, {**dict.fromkeys(ACTORS[:5], 200), **dict.fromkeys(NOT_ADMITTED, 302)}),
    ("GET", "/inbox/{pk}/", None, PAGE),
    ("GET", "/api/v1/escalations/", None, {**dict.fromkeys(ACTORS[:5], 200), **dict.fromkeys(NOT_ADMITTED, 403)}),
    ("GET", "/api/v1/escalations/{pk}/", None, API_READ),
    ("POST", "/api/v1/escalations/{pk}/updates/", {"text": "正在调研"}, _expect(201, 201)),
    ("POST", "/api/v1/escalations/{pk}/draft/", {"text": "拟答复"}, _expect(403, 200)),
    ("POST", "/api/v1/escalations/{pk}/forward/", {"reason": "需省里协调"}, _expect(200, 403)),
    ("POST", "/api/v1/escalations/{pk}/return/", {"reason": "属县级事权"}, _expect(200, 403)),
    ("POST", "/api/v1/escalations/{pk}/assign/", {"units": "{unit}"}, _expect(200, 403)),
    ("POST", "/api/v1/escalations/{pk}/answer/", {"answer": "已列入计划"}, _expect(200, 403)),
    ("POST", "/api/v1/escalations/{pk}/accept/", None, _expect(400, 403)),  # accepted already
    ("POST", "/api/v1/escalations/{pk}/approve/", None, _expect(400, 403)),  # nothing drafted
    ("POST", "/api/v1/escalations/{pk}/reject/", {"reason": "请补充"}, _expect(400, 403)),
    ("POST", "/inbox/{pk}/", {"do": "progress", "progress-text": "已电话联系"}, {**PAGE, "prefecture_staff": 302,
                                                                             "assigned_unit": 302}),
]


@pytest.fixture
def item(world, alpha, actors, receive, upper):
    units = {}
    for key, mobile in (("assigned_unit", "13700000061"), ("other_unit", "13700000062")):
        unit = RegionUnit.objects.create(province=world.province, prefecture=world.prefecture, name=f"测试{key}")
        unit.members.add(Account.objects.create_user(mobile, key, password=PASSWORD))
        units[key] = unit
    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="prefecture", reason="州级事权")
    escalation = Escalation.objects.get(pk=case.escalation_id)
    steps.escalation_accept(account=upper["prefecture_staff"], escalation=escalation)
    steps.escalation_assign(account=upper["prefecture_staff"], escalation=escalation, units=[units["assigned_unit"]])
    people = {**upper, "deputy": world.deputy_a, "anonymous": None,
              **{key: unit.members.get() for key, unit in units.items()}}
    return escalation, people, units


def _client(account) -> Client:
    client = Client(HTTP_HOST="localhost")
    if account is not None:  # a refused login leaves the client anonymous, as it would a person
        client.post("/login/", {"mobile": account.mobile, "password": PASSWORD})
    return client


@pytest.mark.parametrize("method, path, body, expected", CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
@pytest.mark.parametrize("actor", ACTORS)
def test_upstairs_permissions(item, actor, method, path, body, expected):
    escalation, people, units = item
    client = _client(people[actor])
    url = path.format(pk=escalation.pk)
    if method == "GET":
        response = client.get(url)
    elif url.startswith("/api/"):
        data = {k: ([units["other_unit"].pk] if v == "{unit}" else v) for k, v in (body or {}).items()}
        response = client.post(url, data, content_type="application/json")
    else:
        response = client.post(url, body)
    assert response.status_code == expected[actor], response.content[:300]


def test_the_item_page_holds_the_case_but_no_constituents_personal_data(item):
    escalation, people, _units = item
    page = _client(people["prefecture_staff"]).get(f"/inbox/{escalation.pk}/").content.decode()
    assert "州级事权" in page and "村口道路坑洼" in page  # the county's routing note, the opinion
    assert "接收代表" in page and "东镇" in page  # the receiving deputy, the township
    assert "13912345678" not in page and "张三" not in page
    assert "139****5678" in page and "张*" in page


def test_attachments_are_served_to_those_who_reach_the_item(item, world, alpha, media):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from casework.models import Opinion
    from casework.services import opinion_attach
    from people.actors import actor_for

    escalation, people, _units = item
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    with alpha():
        opinion = Opinion.objects.filter(case_id=escalation.case_id).first()
        attachment = opinion_attach(actor=actor_for(world.admin_a), opinion=opinion,
                                    upload=SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png"))
    url = f"/inbox/{escalation.pk}/attachments/{attachment.pk}/"
    assert url in _client(people["prefecture_staff"]).get(f"/inbox/{escalation.pk}/").content.decode()
    for actor, status in (("prefecture_staff", 200), ("assigned_unit", 200), ("province_staff", 404),
                          ("other_unit", 404), ("county_admin", 302), ("anonymous", 302)):
        response = _client(people[actor]).get(url)
        assert response.status_code == status, actor
        if status == 200:
            assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content)[:4] == b"\x89PNG"
    missing = _client(people["prefecture_staff"]).get(f"/inbox/{escalation.pk}/attachments/999999/")
    assert missing.status_code == 404
