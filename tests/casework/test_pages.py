"""The casework pages: the staff list within its query budget at two sizes, a case with its timeline,
exports without others' constituents, the suggestion workflow forms, the public online form (SMS code,
tracking code, status, rating, throttling), the deputy's QR code, the upper tier's inbox."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Case, Opinion, Suggestion
from notifications.models import Message
from tests.conftest import ALPHA_HOST, login

pytestmark = pytest.mark.django_db


def _bulk_cases(world, alpha, n):
    from datetime import date

    with alpha():
        Case.objects.bulk_create([Case(summary=f"问题{i}", township_id=world.ids["east"], venue_id=world.ids["v1"],
                                       deputy_id=world.ids["deputy"], category_id=1 + i % 9,
                                       received_on=date(2026, 1, 1 + i % 28)) for i in range(n)])


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


def test_case_list_query_budget_is_constant(world, alpha, as_):
    client = as_("township_staff_a")
    url = f"/cases/?status=open&township={world.ids['east']}&category=&q=问题"
    _bulk_cases(world, alpha, 5)
    small, response = _queries(client, url)
    assert "问题4" in response.content.decode()
    _bulk_cases(world, alpha, 120)
    large, response = _queries(client, url + "&page=2")
    assert "第 51–100 条，共 125 条" in response.content.decode()
    # 10, one for a township staff's actor (the townships re-divided into theirs) and one for the township
    # filter's lineage (the townships merged or renamed into the one chosen)
    assert small == large and large <= 12, (small, large)


def test_case_detail_masks_for_a_supervising_station_and_exports_leave_it_out(world, alpha, actors, as_):
    from casework.services import opinion_receive
    from core.xlsx import xlsx_rows
    from organisation.models import Village

    with alpha():
        opinion = opinion_receive(actor=actors("admin_a"), content="西村自来水管破裂", channel="phone",
                                  village=Village.objects.get(pk=world.ids["village_west"]), constituent_name="李四",
                                  constituent_mobile="13800001234", consent=True)
    station = as_("station_staff_a")
    page = station.get(f"/cases/{opinion.case_id}/").content.decode()
    assert "138****1234" in page and "李四" not in page and "流转记录" in page
    _headers, rows = xlsx_rows(station.get("/cases/?export=xlsx").content)
    assert rows and all("13800001234" not in map(str, values) and "李四" not in values for _n, values in rows)
    _headers, rows = xlsx_rows(as_("admin_a").get("/cases/?export=xlsx").content)
    assert any("李四" in values for _n, values in rows)
    assert as_("unit_a").get("/cases/").status_code == 403


def test_routing_and_answer_through_the_case_page(world, alpha, actors, as_, receive):
    with alpha():
        case_id = receive().case_id
    staff = as_("township_staff_a")
    response = staff.post(f"/cases/{case_id}/route/", {"jurisdiction": "policy", "reason": ""})
    assert "办结须填写政策解释" in response.content.decode()
    assert staff.post(f"/cases/{case_id}/route/", {"jurisdiction": "village"}).status_code == 302
    assert staff.post(f"/cases/{case_id}/answer/", {"answer": "已修好"}).status_code == 302
    with alpha():
        assert Case.objects.get(pk=case_id).status == "answered"
    assert as_("station_staff_a").post(f"/cases/{case_id}/answer/", {"answer": "x"}).status_code == 404


def test_suggestion_workflow_pages(world, alpha, as_):
    deputy = as_("deputy_a")
    response = deputy.post("/suggestions/new/", {"title": "关于饮水安全的建议", "content": "请改造管网",
                                                 "period": "in_recess"})
    assert response.status_code == 302
    pk = int(re.search(r"/suggestions/(\d+)/", response["Location"]).group(1))
    admin = as_("admin_a")
    assert "立案" in admin.get(f"/suggestions/{pk}/").content.decode()
    assert admin.post(f"/suggestions/{pk}/register/", {"register-reason": ""}).status_code == 302
    assert admin.post(f"/suggestions/{pk}/assign/", {"assign-lead_unit": world.ids["unit"]}).status_code == 302
    unit = as_("unit_a")
    page = unit.get(f"/suggestions/{pk}/").content.decode()
    assert "答复代表" in page and "退回交办" in page and "申请延期" in page
    assert unit.post(f"/suggestions/{pk}/answer/", {"answer-outcome": "solved", "answer-content": "已改造"}
                     ).status_code == 302
    assert "评价办理情况" in deputy.get(f"/suggestions/{pk}/").content.decode()
    response = deputy.post(f"/suggestions/{pk}/rate/", {"rate-process": "satisfied", "rate-result": "satisfied"})
    assert response.status_code == 302
    with alpha():
        assert Suggestion.objects.get(pk=pk).status == "satisfied"
    assert "办理情况" in unit.get("/suggestions/").content.decode()  # the unit's own scorecard


@pytest.fixture
def fresh_cache(alpha):
    """Forget this file's throttle counters and SMS codes (Alpha's keys only: the cache is shared)."""
    keys = [f"casework:throttle:{kind}:{address}" for kind in ("submit", "code")
            for address in ("127.0.0.1", "10.0.0.9", "10.0.0.10", "10.0.0.11")] + [
        f"casework:{what}:{mobile}" for what in ("code", "codefail", "throttle:code-to")
        for mobile in ("13912349999", "13912348888")]
    with alpha():
        cache.delete_many(keys)
    yield
    with alpha():
        cache.delete_many(keys)


def test_online_form_with_sms_code_tracking_and_rating(world, alpha, actors, fresh_cache):
    public = login(ALPHA_HOST, None)
    assert "网上联络站" in public.get(f"/online/?deputy={world.ids['deputy']}").content.decode()
    form = {"content": "村里路灯不亮", "constituent_mobile": "13912349999", "deputy": world.ids["deputy"],
            "privacy_consent": "on"}
    response = public.post("/online/", {**form, "send_code": "1"})
    assert "验证码已发送" in response.content.decode()
    with alpha():
        sms = Message.objects.get(kind="casework.verify", mobile="13912349999")
        code = re.search(r"\d{6}", sms.body).group(0)
    assert "验证码不正确" in public.post("/online/", {**form, "code": "000000" if code != "000000" else "111111"}
                                        ).content.decode()
    response = public.post("/online/", {**form, "code": code})
    tracking = re.search(r'id="tracking-code">(\w+)<', response.content.decode()).group(1)
    with alpha():
        opinion = Opinion.objects.get(tracking_code=tracking)
        assert (opinion.channel, opinion.deputy_id, opinion.mobile_verified) == ("online", world.ids["deputy"], True)
        from casework.services import case_answer, case_route

        case = case_route(actor=actors("admin_a"), case=opinion.case, jurisdiction="township")
        case_answer(actor=actors("township_staff_a"), case=case, answer="已更换路灯")
    page = public.get(f"/online/track/?code={tracking}").content.decode()
    assert "已答复" in page and "已更换路灯" in page and "提交评价" in page
    assert public.post("/online/rate/", {"code": tracking, "rating": "satisfied"}).status_code == 302
    with alpha():
        assert Case.objects.get(pk=opinion.case_id).status == "closed"
    assert "查询码不正确" in public.get("/online/track/?code=NOPE").content.decode()


def test_a_flood_from_one_address_is_throttled(alpha, fresh_cache):
    public = login(ALPHA_HOST, None)
    with alpha():
        before = Opinion.objects.count()
    for _ in range(5):
        assert public.post("/online/", {"content": "同一个问题", "privacy_consent": "on"},
                           REMOTE_ADDR="10.0.0.9").status_code == 200
    response = public.post("/online/", {"content": "同一个问题", "privacy_consent": "on"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429 and "提交得太频繁" in response.content.decode()
    assert public.post("/online/", {"content": "另一个人", "privacy_consent": "on"},
                       REMOTE_ADDR="10.0.0.10").status_code == 200
    with alpha():
        assert Opinion.objects.count() == before + 6


def test_sms_codes_cannot_be_guessed_or_flood_one_number(alpha, fresh_cache):
    """Five wrong codes and the code is gone (a new one must be sent, and sending is throttled per address
    and per number): a million guesses are not ten minutes' work."""
    from casework.services.public import CODE_ATTEMPTS, verification_ok, verification_send

    with alpha():
        verification_send(mobile="13912348888", address="10.0.0.9")
        code = cache.get("casework:code:13912348888")
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(CODE_ATTEMPTS):
            assert not verification_ok(mobile="13912348888", code=wrong)
        assert not verification_ok(mobile="13912348888", code=code)  # the right code, too late
        verification_send(mobile="13912348888", address="10.0.0.10")
        verification_send(mobile="13912348888", address="127.0.0.1")
        from casework.services import Throttled

        with pytest.raises(Throttled):  # a fourth code to the same number within the hour, from anywhere
            verification_send(mobile="13912348888", address="10.0.0.11")


def test_deputy_qr_code_is_svg(world):
    response = login(ALPHA_HOST, None).get(f"/online/deputies/{world.ids['deputy']}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


def test_the_upper_tier_inbox(world, alpha, actors, receive):
    from casework.services import case_route

    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="province")
    staff = login("localhost", world.province_staff)
    page = staff.get("/inbox/").content.decode()
    assert "甲县" in page
    listed = login(ALPHA_HOST, world.admin_a).get("/cases/?status=escalated").content.decode()
    assert "上级：待受理" in listed  # the county sees where it stands upstairs
    response = staff.post(f"/inbox/{case.escalation_id}/", {"do": "answer", "answer-answer": "已列入省道计划"})
    assert response.status_code == 302
    with alpha():
        assert Case.objects.get(pk=case.pk).status == "answered"
    assert login("localhost", world.province_staff).get("/inbox/999999/").status_code == 404


def test_the_county_edits_its_rules_on_a_page(world, alpha, as_):
    from casework.models import CaseworkRule, OpinionCategory, RoutingRule

    admin = as_("admin_a")
    page = admin.get("/casework/rules/").content.decode()
    assert "按管辖权分办" in page and "住建局" in page  # the units' scores are there too
    assert admin.post("/casework/rules/", {"which": "deadline", "d-answer_months": 2, "d-feedback_working_days": 15,
                                           "d-return_working_days": 7, "d-due_soon_working_days": 3}).status_code == 302
    response = admin.post("/casework/rules/", {"which": "routing", "r-jurisdiction": "province", "r-route": "township"})
    assert "上级事项不能交乡镇办理" in response.content.decode()
    assert admin.post("/casework/rules/", {"which": "category", "c-name": "乡村振兴", "c-position": 10}
                      ).status_code == 302
    with alpha():
        assert CaseworkRule.current().answer_months == 2
        assert RoutingRule.objects.get(jurisdiction="province").route == "escalate"
        assert OpinionCategory.objects.filter(name="乡村振兴").exists()
    assert as_("township_staff_a").post("/casework/rules/", {"which": "category", "c-name": "x", "c-position": 1}
                                        ).status_code == 403
    assert "按管辖权分办" in as_("deputy_a").get("/casework/rules/").content.decode()


def test_an_opinion_observer_hands_in_a_box_all_or_nothing(world, alpha, as_):
    """004: opinion observers hold the keys to the opinion boxes and hand in what they collect. A slip that
    fails is named by its number and nothing of the batch is saved; a clean batch opens a case per slip."""
    import datetime as dt

    from django.utils import timezone

    from access.models import Role
    from access.services import membership_grant
    from casework.models import Opinion
    from tenants.models import Account
    from tests.conftest import ALPHA_HOST, PASSWORD, login

    with alpha():
        observer = Account.objects.create_user("13712340099", "东村民意观察员", password=PASSWORD)
        membership_grant(account=observer, role=Role.OPINION_OBSERVER, actor=None)
        before = Opinion.objects.count()
    client = login(ALPHA_HOST, observer)
    assert "意见箱登记" in client.get("/").content.decode()
    future = timezone.localdate() + dt.timedelta(days=1)
    refused = client.post("/opinions/box/", {"received_on": future.isoformat(), "contents": "路灯不亮\n垃圾清运"})
    assert "第1条：收到日期不能晚于今天。" in refused.content.decode()
    too_long = client.post("/opinions/box/", {"received_on": timezone.localdate().isoformat(),
                                              "contents": "路灯不亮\n" + "长" * 5001})
    assert "第2条：内容不能超过5000字。" in too_long.content.decode()
    with alpha():
        assert Opinion.objects.count() == before  # nothing of either batch
    done = client.post("/opinions/box/", {"received_on": timezone.localdate().isoformat(),
                                          "village": world.ids["village_east"],
                                          "contents": "路灯不亮\n\n垃圾清运不及时\n小学门口缺减速带"}, follow=True)
    assert "已登记 3 条意见" in done.content.decode()
    with alpha():
        made = Opinion.objects.order_by("-pk")[:3]
        assert {o.channel for o in made} == {"opinion_box"}
        assert {o.village_id for o in made} == {world.ids["village_east"]}
        assert len({o.case_id for o in made}) == 3
    assert as_("unit_a").get("/opinions/box/").status_code == 403


def test_the_suggestion_list_exports_the_rows_each_reader_sees(world, alpha, as_):
    from core.xlsx import XLSX_CONTENT_TYPE, xlsx_rows

    response = as_("deputy_a").post("/suggestions/new/", {"title": "关于道路硬化的建议", "content": "请硬化村道",
                                                         "period": "in_recess"})
    assert response.status_code == 302
    for name, sees in (("admin_a", True), ("deputy_a", True), ("station_staff_a", False)):
        exported = as_(name).get("/suggestions/?export=xlsx")
        assert exported.status_code == 200 and exported["Content-Type"] == XLSX_CONTENT_TYPE
        headers, body = xlsx_rows(exported.content)
        assert headers[:3] == ["标题", "领衔代表", "主办单位"]
        assert any(row[0] == "关于道路硬化的建议" for _n, row in body) is sees
