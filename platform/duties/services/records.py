"""Writes on duty records (履职登记): logging, the deputy's confirmation or dispute, edits, photos.

A deputy logs their own duties (confirmed at once); station, township or county staff log on behalf
of the deputies they manage, and those records wait for the deputy to confirm or dispute them. Only
confirmed records count in the three-ones rule, pairing compliance and the yearly evaluation.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from access.scope import Actor, require
from audit.services import audit_record
from core.files import check_image
from duties.actions import (
    DutyRecordAction,
    deputies_logged_for,
    duty_record_actions,
    duty_record_actions_by_role,
    duty_record_actions_by_status,
    may_publish_activity,
)
from duties.models import DutyKind, DutyPhoto, DutyRecord, DutyTransition
from duties.models.records import DUTY_TRANSITIONS
from notifications.models import Channel
from notifications.services import Outgoing, messages_enqueue
from organisation.models import Venue
from people.models import Deputy

Status = DutyRecord.Status

EDITABLE = {"kind", "occurred_on", "venue", "place", "title", "content", "participants", "other_participants",
            "constituents_count"}
MAX_PHOTOS = 9
THUMBNAIL_SIZE = (320, 320)


def can_log_for(actor: Actor, deputy: Deputy) -> bool:
    return deputy.pk in deputies_logged_for(actor, [deputy.pk])


def _clean(fields: dict, record: DutyRecord | None = None) -> dict:
    """Check the fields given; on an edit, `record` supplies the ones left as they were."""
    errors: dict[str, str] = {}
    if "kind" in fields and fields["kind"] not in DutyKind.values:
        errors["kind"] = _("请选择履职类别。")
    occurred_on = fields.get("occurred_on")
    if "occurred_on" in fields:
        if not isinstance(occurred_on, dt.date):
            errors["occurred_on"] = _("请填写履职日期。")
        elif occurred_on > timezone.localdate():
            errors["occurred_on"] = _("履职日期不能晚于今天。")
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            errors["title"] = _("请填写标题。")
        elif len(fields["title"]) > 200:
            errors["title"] = _("标题不能超过200字。")
    count = fields.get("constituents_count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 100000):
        errors["constituents_count"] = _("群众人次须为0到100000之间的整数。")
    kind = fields.get("kind", record.kind if record else None)
    voters = fields["constituents_count"] if "constituents_count" in fields else (
        record.constituents_count if record else None)
    if kind == DutyKind.VOTER_CONTACT and "constituents_count" not in errors and not voters:
        # Counted against the county's yearly figure of voters each deputy keeps contact with.
        errors["constituents_count"] = _("联系选民须填写联系的选民人数（正整数）。")
    venue = fields.get("venue")
    if venue is not None and venue.status == Venue.Status.CLOSED and "occurred_on" in fields \
            and isinstance(occurred_on, dt.date) and occurred_on >= timezone.localdate():
        errors["venue"] = _("该站点已关闭。")
    if len(fields.get("other_participants") or "") > 500:
        errors["other_participants"] = _("其他参加人员不能超过500字。")
    if len(fields.get("place") or "") > 200:
        errors["place"] = _("地点不能超过200字。")
    if errors:
        raise ValidationError(errors)
    return fields


def _transition(record: DutyRecord, *, actor: Actor, from_status: str, to_status: str, reason: str = "") -> None:
    transition = DutyTransition.objects.create(record=record, from_status=from_status, to_status=to_status,
                                               actor_id=actor.account_id, reason=reason)
    _tell(record, transition)


def _tell(record: DutyRecord, transition: DutyTransition) -> None:
    """An in-app message through the outbox: the deputy, when a record waits for them; the author, when
    the deputy disputes it. Keyed by the transition, so each change is told once."""
    if transition.to_status == Status.PENDING:
        account_id = Deputy.objects.filter(pk=record.deputy_id).values_list("account_id", flat=True).first()
        body = _("%(date)s的履职登记“%(title)s”已由工作人员代为登记，请确认。") % {
            "date": record.occurred_on.isoformat(), "title": record.title}
    elif transition.to_status == Status.DISPUTED:
        account_id = record.author_id
        body = _("代表对履职登记“%(title)s”提出异议：%(reason)s") % {"title": record.title,
                                                                  "reason": transition.reason}
    else:
        return
    messages_enqueue([Outgoing(dedupe_key=f"duty:{transition.pk}", kind=f"duty_{transition.to_status}", body=body,
                               account_id=account_id, channel=Channel.IN_APP)])


@transaction.atomic
def duty_record_log(*, actor: Actor, deputy: Deputy, kind: str, occurred_on: dt.date, title: str,
                    content: str = "", venue: Venue | None = None, place: str = "",
                    participants: Iterable[Deputy] = (), other_participants: str = "",
                    constituents_count: int | None = None, source: str = "",
                    from_register: bool = False, photo=None) -> DutyRecord:
    """Log a duty of `deputy`. The deputy's own record is confirmed; one logged on their behalf waits for
    them. `source` names the register entry that produced it (a reception sign-in, a training
    attendance): logging the same source again returns the existing record. `from_register` records
    come from a register staff keep (attendance they marked) and need no confirmation. A `photo` is
    added with the record, in the same transaction: a refused photo logs nothing."""
    # A register entry (a reception sign-in, a training attendance) was authorised by its own service.
    require(from_register or can_log_for(actor, deputy))
    fields = _clean({"kind": kind, "occurred_on": occurred_on, "title": title, "venue": venue, "place": place,
                     "other_participants": other_participants, "constituents_count": constituents_count})
    if source:
        existing = DutyRecord.objects.filter(source=source).first()
        if existing is not None:
            return existing
    own = actor.deputy_id == deputy.pk
    status = Status.CONFIRMED if own or from_register else Status.PENDING
    record = DutyRecord(deputy=deputy, content=content or "", status=status,
                        author_id=actor.account_id,  # type: ignore[misc]  # logged by a member, never anonymous
                        source=source, **fields)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        if source:  # logged by another request a moment ago
            return DutyRecord.objects.get(source=source)
        raise
    participants = [p for p in participants if p.pk != deputy.pk]
    if participants:
        record.participants.set(participants)
    _transition(record, actor=actor, from_status="", to_status=status)
    audit_record(actor=actor, action="duty_record.log", target=record,
                 data={"deputy": deputy.pk, "kind": kind, "status": status, "source": source})
    if photo is not None:
        duty_photo_add(actor=actor, record=record, upload=photo)
    return record


def _locked(record: DutyRecord) -> DutyRecord:
    return DutyRecord.objects.select_for_update().get(pk=record.pk)


def _move(record: DutyRecord, *, actor: Actor, action: str, to_status: str, reason: str = "") -> DutyRecord:
    """The deputy's confirmation or dispute, checked on the locked row."""
    locked = _locked(record)
    if action not in duty_record_actions_by_status(locked):
        raise ValidationError(_("该履职登记当前为“%(status)s”，不能改为“%(to)s”。") % {
            "status": locked.get_status_display(), "to": Status(to_status).label})
    require(action in duty_record_actions_by_role(actor, locked))
    return _step(record, locked, actor=actor, to_status=to_status, reason=reason)


def _step(record: DutyRecord, locked: DutyRecord, *, actor: Actor, to_status: str, reason: str = "") -> DutyRecord:
    assert (locked.status, to_status) in DUTY_TRANSITIONS
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    _transition(locked, actor=actor, from_status=from_status, to_status=to_status, reason=reason)
    audit_record(actor=actor, action=f"duty_record.{to_status}", target=locked, data={"reason": reason})
    record.status = to_status
    return locked


@transaction.atomic
def duty_record_confirm(*, actor: Actor, record: DutyRecord) -> DutyRecord:
    """The deputy confirms a record staff logged on their behalf."""
    return _move(record, actor=actor, action=DutyRecordAction.CONFIRM, to_status=Status.CONFIRMED)


@transaction.atomic
def duty_record_dispute(*, actor: Actor, record: DutyRecord, reason: str) -> DutyRecord:
    """The deputy says a record logged on their behalf is wrong, and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明异议理由。")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("异议理由不能超过500字。")})
    return _move(record, actor=actor, action=DutyRecordAction.DISPUTE, to_status=Status.DISPUTED, reason=reason)


@transaction.atomic
def duty_record_publish(*, actor: Actor, record: DutyRecord, published: bool) -> DutyRecord:
    """The station (or the county office) shows a confirmed activity on the station's public page, or
    takes it off again."""
    locked = _locked(record)
    require(actor.is_admin or (actor.is_station_staff and locked.venue_id in actor.venue_ids))
    if published and not may_publish_activity(actor, locked):
        raise ValidationError(_("只有代表已确认、在站点开展的活动才能公开。"))
    locked.published = bool(published)
    locked.save(update_fields=["published", "updated_at"])
    audit_record(actor=actor, action="duty_record.publish", target=locked, data={"published": bool(published)})
    record.published = locked.published
    return locked


@transaction.atomic
def duty_record_update(*, actor: Actor, record: DutyRecord, **fields) -> DutyRecord:
    """The author corrects a record the deputy has not confirmed; a disputed one goes back to the deputy."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"DutyRecord: cannot set {sorted(unknown)}")
    locked = _locked(record)
    require(DutyRecordAction.EDIT in duty_record_actions_by_role(actor, locked))
    if DutyRecordAction.EDIT not in duty_record_actions_by_status(locked):
        raise ValidationError(_("该履职登记已确认，不能再修改。"))
    participants = fields.pop("participants", None)
    _clean(fields, locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    if participants is not None:
        locked.participants.set([p for p in participants if p.pk != locked.deputy_id])
    if locked.status == Status.DISPUTED:  # corrected: back to the deputy
        _step(locked, locked, actor=actor, to_status=Status.PENDING)
    audit_record(actor=actor, action="duty_record.update", target=locked, data={"fields": sorted(fields)})
    return locked


def _thumbnail(upload) -> ContentFile:
    upload.seek(0)
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80)
    upload.seek(0)
    return ContentFile(out.getvalue())


@transaction.atomic
def duty_photo_add(*, actor: Actor, record: DutyRecord, upload) -> DutyPhoto:
    """A photo of the activity (004: each activity is recorded with photos), with a thumbnail beside it."""
    locked = _locked(record)
    require(DutyRecordAction.PHOTO in duty_record_actions(actor, locked))
    try:
        check_image(upload)
    except ValidationError as error:
        raise ValidationError({"photo": error.message_dict["image"]}) from None
    if locked.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photo": _("每条履职登记最多上传%(n)d张照片。") % {"n": MAX_PHOTOS}})
    photo = DutyPhoto(record=locked)
    photo.image.save(os.path.basename(upload.name or "photo.jpg"), upload, save=False)
    stem = os.path.splitext(os.path.basename(photo.image.name or "photo"))[0]
    photo.thumbnail.save(f"{stem}_thumb.jpg", _thumbnail(upload), save=False)
    photo.save()
    audit_record(actor=actor, action="duty_record.photo_add", target=photo, data={"record": locked.pk})
    return photo
