"""Duty records: who logs for whom, the deputy's confirmation, edits, photos, refusals, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEntry
from core import files
from duties.models import DutyKind, DutyPhoto, DutyRecord, DutyTransition
from duties.selectors.records import duty_records_filtered, duty_records_visible_to
from duties.services.records import (
    duty_photo_add,
    duty_record_confirm,
    duty_record_dispute,
    duty_record_log,
    duty_record_update,
)
from tests.duties.conftest import image_upload

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 4)
Status = DutyRecord.Status


def test_duty_kinds_are_the_thirteen_of_the_brief_and_the_pairing_rules_two():
    assert DutyKind.values == [
        "reception", "visit", "inspection_survey", "law_enforcement_inspection", "study_training",
        "congress_meeting", "report_to_voters", "pair_contact", "presidium_visit", "voter_contact",
        "deliberation_forum", "policy_promotion",
        "public_welfare", "livelihood_project_supervision", "other"]
    assert DutyKind.REPORT_TO_VOTERS.label == "述职"


def test_a_deputy_logs_their_own_duty_confirmed_at_once(cast):
    record = duty_record_log(actor=cast.deputy, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY,
                             title="走访东村困难户", participants=[cast.td, cast.d])
    assert record.status == Status.CONFIRMED
    assert list(record.participants.all()) == [cast.td]  # the deputy is not their own participant
    assert record.author_id == cast.world.deputy_a.pk
    assert list(record.transitions.values_list("from_status", "to_status")) == [("", "confirmed")]
    assert AuditEntry.objects.filter(action="duty_record.log", target_id=str(record.pk)).exists()


def test_staff_log_on_behalf_and_the_deputy_confirms(cast):
    record = duty_record_log(actor=cast.township_staff, deputy=cast.d, kind=DutyKind.RECEPTION, occurred_on=DAY,
                             title="接待日", venue=cast.v1, constituents_count=12)
    assert record.status == Status.PENDING
    with pytest.raises(PermissionDenied):  # only the deputy confirms
        duty_record_confirm(actor=cast.township_staff, record=record)
    duty_record_confirm(actor=cast.deputy, record=record)
    record.refresh_from_db()
    assert record.status == Status.CONFIRMED
    assert [(t.from_status, t.to_status, t.actor_id) for t in record.transitions.all()] == [
        ("", "pending", cast.world.township_staff_a.pk), ("pending", "confirmed", cast.world.deputy_a.pk)]
    with pytest.raises(ValidationError) as error:  # confirmed is final
        duty_record_confirm(actor=cast.deputy, record=record)
    assert "该履职登记当前为“已确认”，不能改为“已确认”。" in error.value.messages


def test_dispute_needs_a_reason_then_the_author_corrects_it(cast):
    record = duty_record_log(actor=cast.admin, deputy=cast.d, kind=DutyKind.INSPECTION_SURVEY, occurred_on=DAY,
                             title="视察水库")
    with pytest.raises(ValidationError) as error:
        duty_record_dispute(actor=cast.deputy, record=record, reason="  ")
    assert error.value.message_dict == {"reason": ["请说明异议理由。"]}
    assert DutyRecord.objects.get(pk=record.pk).status == Status.PENDING
    duty_record_dispute(actor=cast.deputy, record=record, reason="我当天在外地，没有参加")
    assert DutyRecord.objects.get(pk=record.pk).status == Status.DISPUTED
    with pytest.raises(PermissionDenied):  # someone else's record is not theirs to edit
        duty_record_update(actor=cast.township_staff, record=record, title="视察水库（更正）")
    duty_record_update(actor=cast.admin, record=record, occurred_on=DAY - dt.timedelta(days=1))
    record.refresh_from_db()
    assert record.status == Status.PENDING and record.occurred_on == DAY - dt.timedelta(days=1)
    assert list(record.transitions.values_list("to_status", "reason")) == [
        ("pending", ""), ("disputed", "我当天在外地，没有参加"), ("pending", "")]
    duty_record_confirm(actor=cast.deputy, record=record)
    with pytest.raises(ValidationError) as error:
        duty_record_update(actor=cast.admin, record=record, title="x")
    assert error.value.messages == ["该履职登记已确认，不能再修改。"]


def test_the_deputy_and_the_author_are_told_through_the_outbox(cast):
    from notifications.models import Message

    # The world's outbox already holds the administrator's invitation from provisioning.
    before = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    record = duty_record_log(actor=cast.township_staff, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY,
                             title="走访")
    duty_record_dispute(actor=cast.deputy, record=record, reason="日期不对")
    told = list(Message.objects.filter(pk__gt=before).order_by("pk").values_list("account_id", "channel", "body"))
    assert told == [
        (cast.world.deputy_a.pk, "in_app", "2025-03-04的履职登记“走访”已由工作人员代为登记，请确认。"),
        (cast.world.township_staff_a.pk, "in_app", "代表对履职登记“走访”提出异议：日期不对")]
    duty_record_log(actor=cast.deputy, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY, title="自己登记")
    assert Message.objects.filter(pk__gt=before).count() == 2  # a deputy's own record tells nobody


def test_a_future_date_and_bad_input_are_refused_and_nothing_is_saved(cast):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        duty_record_log(actor=cast.deputy, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=tomorrow, title="走访")
    assert error.value.message_dict == {"occurred_on": ["履职日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as error:
        duty_record_log(actor=cast.deputy, deputy=cast.d, kind="party", occurred_on=DAY, title=" ",
                        constituents_count=-1)
    assert error.value.message_dict == {"kind": ["请选择履职类别。"], "title": ["请填写标题。"],
                                        "constituents_count": ["群众人次须为0到100000之间的整数。"]}
    assert not DutyRecord.objects.exists() and not DutyTransition.objects.exists()


def test_who_may_log_for_whom(cast):
    # east township staff reach deputy_a (stationed in east) but not the west deputy
    duty_record_log(actor=cast.township_staff, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY, title="a")
    duty_record_log(actor=cast.station_staff, deputy=cast.wd, kind=DutyKind.VISIT, occurred_on=DAY, title="b")
    for actor, deputy in [(cast.township_staff, cast.wd), (cast.station_staff, cast.d), (cast.deputy, cast.td),
                          (cast.unit, cast.d)]:
        with pytest.raises(PermissionDenied):
            duty_record_log(actor=actor, deputy=deputy, kind=DutyKind.VISIT, occurred_on=DAY, title="x")
    assert DutyRecord.objects.count() == 2


def test_the_same_source_logs_one_record(cast):
    first = duty_record_log(actor=cast.admin, deputy=cast.d, kind=DutyKind.RECEPTION, occurred_on=DAY,
                            title="接待日签到", source="reception:1:1", from_register=True)
    again = duty_record_log(actor=cast.admin, deputy=cast.d, kind=DutyKind.RECEPTION, occurred_on=DAY,
                            title="接待日签到", source="reception:1:1", from_register=True)
    assert first.pk == again.pk and first.status == Status.CONFIRMED
    assert DutyRecord.objects.count() == 1


def test_selectors_scope_records_by_actor(cast):
    a = duty_record_log(actor=cast.deputy, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY, title="a",
                        venue=cast.v1)
    b = duty_record_log(actor=cast.admin, deputy=cast.wd, kind=DutyKind.VISIT, occurred_on=DAY, title="b",
                        venue=cast.v2)
    c = duty_record_log(actor=cast.admin, deputy=cast.td, kind=DutyKind.STUDY_TRAINING,
                        occurred_on=dt.date(2025, 4, 1), title="c", venue=cast.home)

    def seen(actor):
        return set(duty_records_visible_to(actor).values_list("pk", flat=True))

    assert seen(cast.admin) == {a.pk, b.pk, c.pk}
    assert seen(cast.township_staff) == {a.pk, c.pk}
    assert seen(cast.station_staff) == {b.pk}
    assert seen(cast.deputy) == {a.pk}
    assert seen(cast.unit) == set()
    qs = duty_records_visible_to(cast.admin)
    assert set(duty_records_filtered(qs, kind="visit").values_list("pk", flat=True)) == {a.pk, b.pk}
    assert set(duty_records_filtered(qs, month="2025-04").values_list("pk", flat=True)) == {c.pk}
    assert set(duty_records_filtered(qs, venue=cast.v2.pk).values_list("pk", flat=True)) == {b.pk}
    assert set(duty_records_filtered(qs, deputy=cast.d.pk).values_list("pk", flat=True)) == {a.pk}


def test_photo_with_thumbnail_in_the_county_storage(cast, media):
    from PIL import Image

    record = duty_record_log(actor=cast.deputy, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY, title="a")
    photo = duty_photo_add(actor=cast.deputy, record=record, upload=image_upload())
    assert photo.image.name.startswith(f"duties/{record.pk}/")
    assert cast.world.alpha.schema_name in photo.image.path  # per-county folder
    with photo.thumbnail.open("rb") as stored, Image.open(stored) as thumb:
        assert max(thumb.size) == 320
    with pytest.raises(PermissionDenied):
        duty_photo_add(actor=cast.station_staff, record=record, upload=image_upload())


def test_a_record_logged_with_its_photo_is_one_step(cast, media):
    """The photo is checked with the record: a refused one leaves no record, no transition, no audit row."""
    record = duty_record_log(actor=cast.deputy, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY, title="a",
                             photo=image_upload())
    assert record.photos.count() == 1
    before = (DutyRecord.objects.count(), DutyTransition.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        duty_record_log(actor=cast.deputy, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY, title="b",
                        photo=SimpleUploadedFile("x.jpg", b"not a picture" * 10))
    assert error.value.message_dict == {"photo": ["文件不是有效的图片（支持JPEG、PNG、WEBP）。"]}
    assert (DutyRecord.objects.count(), DutyTransition.objects.count(), AuditEntry.objects.count()) == before
    assert DutyPhoto.objects.count() == 1 and not any(media.rglob("x*"))


@pytest.mark.parametrize("content, message", [
    (b"%PDF-1.4 not a picture" * 10, "文件不是有效的图片（支持JPEG、PNG、WEBP）。"),
    ("gif", "图片格式须为JPEG、PNG或WEBP。"),
])
def test_photo_that_is_not_an_image_is_refused(cast, media, content, message):
    from tests.duties.conftest import image_bytes

    record = duty_record_log(actor=cast.deputy, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY, title="a")
    if content == "gif":
        content = image_bytes("GIF")
    with pytest.raises(ValidationError) as error:
        duty_photo_add(actor=cast.deputy, record=record, upload=SimpleUploadedFile("x.jpg", content))
    assert error.value.message_dict == {"photo": [message]}
    assert not DutyPhoto.objects.exists()
    assert not any(media.rglob("x*"))


def test_photo_size_limit(cast, media, monkeypatch):
    monkeypatch.setattr(files, "PHOTO_MAX_BYTES", 1000)
    record = duty_record_log(actor=cast.deputy, deputy=cast.d, kind=DutyKind.VISIT, occurred_on=DAY, title="a")
    with pytest.raises(ValidationError) as error:
        duty_photo_add(actor=cast.deputy, record=record, upload=image_upload())
    assert error.value.message_dict == {"photo": ["图片不能超过5MB。"]}
