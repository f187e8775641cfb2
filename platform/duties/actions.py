"""Which actions a duty record offers an actor now, beside its transition table (duties.models.records).

As in casework.actions: `duty_record_actions_by_role` (who: a refusal is a 403), `duty_record_actions_by_status`
(where the record stands: a 400 that says why), and `duty_record_actions`, what both allow, which the API
lists, the pages show and the services check.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

from access.scope import Actor
from people.selectors import deputies_managed_by

from .models import DutyRecord
from .models.records import DUTY_TRANSITIONS

Status = DutyRecord.Status


class DutyRecordAction(models.TextChoices):
    CONFIRM = "confirm", _("确认")
    DISPUTE = "dispute", _("提出异议")
    EDIT = "edit", _("修改")
    PHOTO = "photo", _("上传照片")


def deputies_logged_for(actor: Actor, deputy_ids: Iterable[int]) -> set[int]:
    """Of these deputies, those whose duties the actor logs: their own, and as staff (not merely a staff
    member who is that deputy) those their scope reaches. One query for staff, none otherwise."""
    ids = set(deputy_ids)
    found = ids & {actor.deputy_id}
    rest = ids - found
    if actor.is_staff and rest:
        found |= set(deputies_managed_by(dataclasses.replace(actor, deputy_id=None)).filter(pk__in=rest)
                     .values_list("pk", flat=True))
    return found


def _codes(*pairs: tuple[DutyRecordAction, bool]) -> frozenset[str]:
    return frozenset(code.value for code, allowed in pairs if allowed)


def duty_record_actions_by_role(actor: Actor, record: DutyRecord, *, logs_for: bool | None = None) -> frozenset[str]:
    """The record's deputy confirms or disputes it; its author corrects it while they still log for that
    deputy; photos come from the author or anyone who logs for the deputy. `logs_for`: whether the actor
    logs for the record's deputy (read when not given)."""
    if logs_for is None:
        logs_for = record.deputy_id in deputies_logged_for(actor, [record.deputy_id])
    deputy = actor.deputy_id is not None and actor.deputy_id == record.deputy_id
    author = actor.account_id is not None and actor.account_id == record.author_id
    return _codes((DutyRecordAction.CONFIRM, deputy), (DutyRecordAction.DISPUTE, deputy),
                  (DutyRecordAction.EDIT, author and logs_for), (DutyRecordAction.PHOTO, author or logs_for))


def duty_record_actions_by_status(record: DutyRecord) -> frozenset[str]:
    """A confirmed record is final; photos may still be added."""
    return _codes((DutyRecordAction.CONFIRM, (record.status, Status.CONFIRMED) in DUTY_TRANSITIONS),
                  (DutyRecordAction.DISPUTE, (record.status, Status.DISPUTED) in DUTY_TRANSITIONS),
                  (DutyRecordAction.EDIT, record.status != Status.CONFIRMED),
                  (DutyRecordAction.PHOTO, True))


def may_publish_activity(actor: Actor, record: DutyRecord) -> bool:
    """Whether the actor may show this activity on its station's public page (or take it off): the county
    office or the station's own staff; only a confirmed record held at a station can be shown."""
    station = actor.is_admin or (actor.is_station_staff and record.venue_id in actor.venue_ids)
    return station and record.venue_id is not None and record.status == Status.CONFIRMED


def duty_record_actions(actor: Actor, record: DutyRecord, *, logs_for: bool | None = None) -> frozenset[str]:
    return duty_record_actions_by_role(actor, record, logs_for=logs_for) & duty_record_actions_by_status(record)


def duty_records_actions(actor: Actor, records: Iterable[DutyRecord]) -> dict[int, frozenset[str]]:
    """duty_record_actions for a page of records in at most one query, however long the page."""
    rows = list(records)
    logged = deputies_logged_for(actor, {r.deputy_id for r in rows})
    return {r.pk: duty_record_actions(actor, r, logs_for=r.deputy_id in logged) for r in rows}


__all__ = ["DutyRecordAction", "deputies_logged_for", "duty_record_actions", "duty_record_actions_by_role",
           "duty_record_actions_by_status", "duty_records_actions", "may_publish_activity"]
