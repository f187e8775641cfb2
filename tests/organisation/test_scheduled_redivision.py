"""Scheduled re-divisions (自某日起): a re-division announced in advance is registered with its future date, checked
by a dry run of the real service (every Chinese refusal given then, nothing written), and applied by the daily
task on its day, once, as the administrator who registered it; a refusal on the day marks it failed and tells
the county administrators. The page and the API register, list and withdraw them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from access.models import Membership, Role
from audit.models import AuditEntry
from duties.models import DutyKind, DutyRecord
from notifications.models import Message
from organisation.models import Redivision, ScheduledRedivision, Township, Venue, Village
from organisation.services.redivision import township_merge, township_rename, township_split
from organisation.services.scheduled_redivision import apply_due, redivide, redivision_schedule, scheduled_cancel
from organisation.services.village_redivision import village_rename
from organisation.tasks import apply_scheduled_redivisions
from people.actors import actor_for
from people.models import Deputy

pytestmark = pytest.mark.django_db

Status = ScheduledRedivision.Status


def ahead(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


class County:
    """Alpha's administrator and its two townships: 东镇 (东村, station v1, 东镇代表之家) and 西乡 (西村, v2)."""

    def __init__(self, world):
        self.world = world
        self.admin = actor_for(world.admin_a)
        self.east = Township.objects.get(pk=world.ids["east"])
        self.west = Township.objects.get(pk=world.ids["west"])
        self.village_east = Village.objects.get(pk=world.ids["village_east"])
        self.home = Venue.objects.get(pk=world.ids["home"])

    def merge(self, on: dt.date | None = None, **extra) -> ScheduledRedivision:
        return redivision_schedule(township_merge, actor=self.admin, sources=[self.west], into=self.east,
                                   effective_on=on or ahead(), note="自明年起撤乡并镇", **extra)


@pytest.fixture
def county(world):
    with schema_context(world.alpha.schema_name):
        yield County(world)


def _snapshot() -> dict:
    """What a re-division may touch, to prove that registering one wrote nothing but its row."""
    return {
        "townships": sorted(Township.objects.values_list("pk", "name", "ended_on")),
        "villages": sorted(Village.objects.values_list("pk", "name", "township_id", "ended_on")),
        "venues": sorted(Venue.objects.values_list("pk", "township_id", "village_id")),
        "redivisions": Redivision.objects.count(),
        "audit": AuditEntry.objects.exclude(action__startswith="redivision.schedule").count(),
        "scheduled": ScheduledRedivision.objects.count(),
    }


def _refused(call, *, contains: str) -> ValidationError:
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        call()
    assert contains in " ".join(refused.value.messages)
    assert _snapshot() == before
    return refused.value


# registering

def test_registering_a_future_merge_split_or_rename_writes_nothing_but_its_row(county):
    before = _snapshot()
    merge = county.merge()
    assert (merge.status, merge.level, merge.kind) == (Status.SCHEDULED, "township", "merge")
    assert merge.arguments == {"sources": [county.west.pk], "into": county.east.pk}
    assert merge.township_ids == sorted([county.east.pk, county.west.pk])
    assert merge.summary == "西乡 → 东镇"
    assert merge.registered_by_id == county.world.admin_a.pk
    assert _snapshot() == {**before, "scheduled": before["scheduled"] + 1}
    entry = AuditEntry.objects.get(action="redivision.schedule", target_id=str(merge.pk))
    assert entry.data["summary"] == "西乡 → 东镇" and entry.actor_id == county.world.admin_a.pk
    scheduled_cancel(actor=county.admin, scheduled=merge)

    split = redivision_schedule(township_split, actor=county.admin, source=county.east, effective_on=ahead(40),
                                parts=[{"name": "东一街道", "villages": [county.village_east], "venues": [county.home]},
                                       {"name": "东二街道", "kind": "town", "villages": []}])
    assert split.arguments["parts"] == [
        {"name": "东一街道", "villages": [county.village_east.pk], "venues": [county.home.pk]},
        {"name": "东二街道", "kind": "town", "villages": []}]
    assert split.summary == "东镇 → 东一街道、东二街道"
    rename = redivision_schedule(village_rename, actor=county.admin, village=Village.objects.get(name="西村"),
                                 name="西新村", effective_on=ahead(50))
    assert (rename.level, rename.summary, rename.township_ids) == ("village", "西乡：西村 → 西新村", [county.west.pk])
    assert _snapshot()["townships"] == before["townships"] and _snapshot()["redivisions"] == before["redivisions"]


def test_redivide_takes_effect_today_and_schedules_a_later_date(county):
    scheduled = redivide(township_rename, actor=county.admin, township=county.west, name="西新乡",
                         effective_on=ahead(1))
    assert isinstance(scheduled, ScheduledRedivision) and Township.objects.get(pk=county.west.pk).ended_on is None
    scheduled_cancel(actor=county.admin, scheduled=scheduled)
    applied = redivide(township_rename, actor=county.admin, township=county.west, name="西新乡",
                       effective_on=timezone.localdate())
    assert isinstance(applied, Redivision)


def test_a_direct_call_of_the_service_still_refuses_a_future_date(county):
    _refused(lambda: township_rename(actor=county.admin, township=county.west, name="西新乡", effective_on=ahead()),
             contains="生效日期不能晚于今天")


def test_every_refusal_is_given_at_registration_in_chinese_and_writes_nothing(county):
    Village.objects.create(township=county.west, name="东村", division_code="990101200002")
    _refused(lambda: county.merge(), contains="合并后村（社区）重名：东村")
    _refused(lambda: redivision_schedule(township_rename, actor=county.admin, township=county.west, name="东镇",
                                         effective_on=ahead()), contains="已有名为 东镇 的乡镇（街道）")
    nothing_placed = [{"name": "东一街道", "villages": []}, {"name": "东二街道", "villages": []}]
    _refused(lambda: redivision_schedule(township_split, actor=county.admin, source=county.east, effective_on=ahead(),
                                         parts=nothing_placed),
             contains="每个村（社区）都要且只能划入一个新单位")
    _refused(lambda: redivision_schedule(township_rename, actor=county.admin, township=county.west, name="西新乡",
                                         effective_on=timezone.localdate()), contains="生效日期须晚于今天")
    Township.objects.filter(pk=county.west.pk).update(ended_on=dt.date(2024, 1, 1))
    _refused(lambda: county.merge(), contains="西乡 已经撤销，不能再调整")


def test_a_unit_with_a_pending_redivision_takes_no_second_one(county):
    pending = county.merge(on=dt.date(2099, 1, 1))
    _refused(lambda: redivision_schedule(township_rename, actor=county.admin, township=county.west, name="西新乡",
                                         effective_on=ahead()),
             contains="西乡已有一项待生效的区划调整（2099-01-01）")
    _refused(lambda: redivision_schedule(village_rename, actor=county.admin, village=county.village_east,
                                         name="东新村", effective_on=ahead()),
             contains="东镇已有一项待生效的区划调整（2099-01-01）")
    # nor one today through the page's and the API's entry: it would make the pending one fail on its day
    _refused(lambda: redivide(village_rename, actor=county.admin, village=county.village_east, name="东新村",
                              effective_on=timezone.localdate()),
             contains="东镇已有一项待生效的区划调整（2099-01-01）")
    scheduled_cancel(actor=county.admin, scheduled=pending)
    assert redivision_schedule(township_rename, actor=county.admin, township=county.west, name="西新乡",
                               effective_on=ahead()).status == Status.SCHEDULED


def test_only_the_county_administrator_registers_or_cancels(county, world):
    staff = actor_for(world.township_staff_a)
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        redivision_schedule(township_rename, actor=staff, township=county.east, name="东新镇", effective_on=ahead())
    assert _snapshot() == before
    pending = county.merge()
    with pytest.raises(PermissionDenied):
        scheduled_cancel(actor=staff, scheduled=pending)
    assert ScheduledRedivision.objects.get(pk=pending.pk).status == Status.SCHEDULED


def test_cancel_only_while_pending_and_audited(county):
    pending = county.merge()
    cancelled = scheduled_cancel(actor=county.admin, scheduled=pending)
    assert cancelled.status == Status.CANCELLED and cancelled.decided_at is not None
    assert AuditEntry.objects.filter(action="redivision.schedule_cancel", target_id=str(pending.pk)).exists()
    with pytest.raises(ValidationError, match="只能撤销待生效的区划调整"):
        scheduled_cancel(actor=county.admin, scheduled=pending)
    assert apply_due(today=pending.effective_on) == 0
    assert Township.objects.get(pk=county.west.pk).ended_on is None


# applying

def test_apply_due_waits_for_the_date_then_applies_exactly_once(county):
    day = ahead(10)
    pending = county.merge(on=day)
    assert apply_due(today=day - dt.timedelta(days=1)) == 0
    assert Township.objects.get(pk=county.west.pk).ended_on is None
    assert apply_due(today=day) == 1
    assert apply_due(today=day) == 0  # a retried or doubled run
    row = ScheduledRedivision.objects.get(pk=pending.pk)
    assert row.status == Status.APPLIED and row.decided_at is not None
    redivision = row.redivision
    assert (redivision.kind, redivision.effective_on, redivision.note) == ("merge", day, "自明年起撤乡并镇")
    assert redivision.created_by_id == county.world.admin_a.pk
    assert Redivision.objects.count() == 1
    assert Township.objects.get(pk=county.west.pk).ended_on == day - dt.timedelta(days=1)
    assert Village.objects.get(name="西村").township_id == county.east.pk
    entry = AuditEntry.objects.get(action="redivision.merge", target_id=str(redivision.pk))
    assert entry.actor_id == county.world.admin_a.pk


def test_a_split_applies_with_its_parts(county):
    day = ahead(5)
    redivision_schedule(township_split, actor=county.admin, source=county.east, effective_on=day,
                        parts=[{"name": "东一街道", "villages": [], "venues": [county.home]},
                               {"name": "东二街道", "villages": [county.village_east]}])
    assert apply_due(today=day) == 1
    first, second = Township.objects.get(name="东一街道"), Township.objects.get(name="东二街道")
    assert Venue.objects.get(pk=county.home.pk).township_id == first.pk
    assert Village.objects.get(pk=county.village_east.pk).township_id == second.pk


def test_the_task_applies_what_is_due_today(county):
    pending = county.merge(on=ahead(1))
    ScheduledRedivision.objects.filter(pk=pending.pk).update(effective_on=timezone.localdate())  # a day passed
    assert apply_scheduled_redivisions() == 1
    assert ScheduledRedivision.objects.get(pk=pending.pk).status == Status.APPLIED


def test_a_refusal_on_the_day_marks_it_failed_and_tells_the_administrators(county, world):
    day = ahead(10)
    pending = county.merge(on=day)
    DutyRecord.objects.create(kind=DutyKind.VISIT, deputy=Deputy.objects.get(pk=world.ids["west_deputy"]),
                              occurred_on=day, venue_id=world.ids["v2"], title="走访", author_id=world.admin_a.pk)
    assert apply_due(today=day) == 1
    row = ScheduledRedivision.objects.get(pk=pending.pk)
    assert row.status == Status.FAILED and row.redivision is None
    assert "生效日期不能早于或等于原乡镇已有记录的日期" in row.failure and day.isoformat() in row.failure
    assert Township.objects.get(pk=county.west.pk).ended_on is None and Redivision.objects.count() == 0
    [message] = Message.objects.filter(kind="organisation.redivision_failed")
    assert message.account_id == world.admin_a.pk and "未能生效" in message.body and "西乡 → 东镇" in message.body
    assert AuditEntry.objects.filter(action="redivision.schedule_failed", target_id=str(row.pk)).exists()
    assert apply_due(today=day) == 0
    assert Message.objects.filter(kind="organisation.redivision_failed").count() == 1


def test_applied_as_the_registrant_even_after_they_lost_the_role(county, world):
    day = ahead(3)
    pending = county.merge(on=day)
    Membership.objects.filter(account=world.admin_a, role=Role.COUNTY_ADMIN).update(is_active=False)
    assert apply_due(today=day) == 1
    assert ScheduledRedivision.objects.get(pk=pending.pk).status == Status.APPLIED


# the page

def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _pending_section(response) -> str:
    """The text of the page's 待生效的区划调整 section."""
    html = response.content.decode().split('id="scheduled"')[1].split("</section>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_registers_lists_and_withdraws(world, as_, alpha):
    client = as_("admin_a")
    day = ahead(20)
    posted = client.post("/organisation/redivisions/merge/", {
        "merge-sources": [world.ids["west"]], "merge-into": world.ids["east"], "merge-effective_on": day.isoformat(),
        "merge-note": "县政府批复"}, follow=True)
    page = _text(posted)
    assert f"已登记，将于 {day.isoformat()} 生效" in page
    pending = _pending_section(posted)
    assert "西乡 → 东镇" in pending and "待生效" in pending and "撤销" in pending and world.admin_a.name in pending
    with alpha():
        row = ScheduledRedivision.objects.get()
        assert Township.objects.get(pk=world.ids["west"]).ended_on is None
    assert "区划调整请在生效之日起登记" not in page
    assert as_("township_staff_a").post(f"/organisation/redivisions/scheduled/{row.pk}/cancel/").status_code == 403
    cancelled = client.post(f"/organisation/redivisions/scheduled/{row.pk}/cancel/", follow=True)
    assert "已撤销" in _text(cancelled)
    with alpha():
        assert ScheduledRedivision.objects.get().status == Status.CANCELLED
    assert "暂无待生效的区划调整" in _pending_section(client.get("/organisation/redivisions/"))


def test_the_page_shows_a_failure_and_its_reason(world, as_, alpha):
    with alpha():
        row = County(world).merge(on=ahead(2))
        ScheduledRedivision.objects.filter(pk=row.pk).update(status=Status.FAILED, failure="原乡镇已有记录。")
    page = _pending_section(as_("admin_a").get("/organisation/redivisions/"))
    assert "未能生效" in page and "原乡镇已有记录。" in page and "撤销" not in page


def test_the_page_refusal_at_registration_is_on_the_form(world, as_, alpha):
    refused = as_("admin_a").post("/organisation/redivisions/rename/", {
        "rename-township": world.ids["west"], "rename-name": "西新乡", "rename-effective_on": "2099-01-01",
        "rename-division_code": "990101100"})
    assert refused.status_code == 400 and "已被其他乡镇（街道）使用" in _text(refused)
    with alpha():
        assert not ScheduledRedivision.objects.exists()


# the API

def test_the_api_answers_202_lists_and_cancels(world, as_, alpha):
    client = as_("admin_a")
    day = ahead(15)
    answer = client.post("/api/v1/redivisions/rename/", {
        "township": world.ids["west"], "name": "西新乡", "effective_on": day.isoformat()},
        content_type="application/json")
    assert answer.status_code == 202, answer.content
    body = answer.json()
    assert (body["status"], body["status_display"], body["effective_on"]) == ("scheduled", "待生效", day.isoformat())
    assert body["summary"] == "西乡 → 西新乡"
    listed = client.get("/api/v1/redivisions/scheduled/").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    assert as_("township_staff_a").get("/api/v1/redivisions/scheduled/").status_code == 403
    assert as_("deputy_a").post(f"/api/v1/redivisions/scheduled/{body['id']}/cancel/").status_code == 403
    cancelled = client.post(f"/api/v1/redivisions/scheduled/{body['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/redivisions/scheduled/{body['id']}/cancel/")
    assert again.status_code == 400 and "只能撤销待生效的区划调整" in again.content.decode()
    with alpha():
        assert Township.objects.get(pk=world.ids["west"]).ended_on is None
    other = as_("admin_a").post("/api/v1/redivisions/merge/", {
        "sources": [world.ids["west"]], "into": world.ids["east"], "effective_on": "2024-01-01"},
        content_type="application/json")
    assert other.status_code == 201
