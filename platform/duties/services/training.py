"""Training events and study sessions (003) and their attendance. Marking a deputy present logs a
study_training duty record for them, once: the record's source is the attendance."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from duties.models import DutyKind, DutyRecord, TrainingAttendance, TrainingEvent
from duties.services.records import duty_record_log
from organisation.models import Township, Venue
from people.models import Deputy
from people.services.deputies import manages_as_staff


def can_organise(actor: Actor, township: Township | None) -> bool:
    """The county organises county-wide events; a township's presidium staff their township's."""
    return actor.is_admin or (township is not None and township.pk in actor.township_ids)


def organises_training(actor: Actor) -> bool:
    """Whether can_organise allows the actor some event (the pages offer the form only then)."""
    return actor.is_admin or bool(actor.township_ids)


@transaction.atomic
def training_event_create(*, actor: Actor, title: str, held_on: dt.date, kind: str = TrainingEvent.Kind.TRAINING,
                          venue: Venue | None = None, place: str = "", organiser: str = "",
                          township: Township | None = None) -> TrainingEvent:
    require(can_organise(actor, township))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写名称。")
    if kind not in TrainingEvent.Kind.values:
        errors["kind"] = _("请选择类型。")
    if not isinstance(held_on, dt.date):
        errors["held_on"] = _("请填写日期。")
    if errors:
        raise ValidationError(errors)
    event = TrainingEvent(title=title.strip(), kind=kind, held_on=held_on, venue=venue, place=place,
                          organiser=organiser, township=township)
    event.full_clean()
    event.save()
    audit_record(actor=actor, action="training.create", target=event)
    return event


def _source(event: TrainingEvent, deputy: Deputy) -> str:
    return f"training:{event.pk}:{deputy.pk}"


@transaction.atomic
def training_attendance_mark(*, actor: Actor, event: TrainingEvent, deputy: Deputy, status: str,
                             today: dt.date | None = None) -> TrainingAttendance:
    """Staff mark a deputy they manage present, absent or excused. Present logs the deputy's study and
    training duty (once, however often it is marked); a later change to absent or excused removes it."""
    require(actor.is_staff and manages_as_staff(actor, deputy))
    if status not in TrainingAttendance.Status.values:
        raise ValidationError({"status": _("请选择出勤情况。")})
    if event.held_on > (today or timezone.localdate()):
        raise ValidationError({"status": _("活动尚未举行，不能登记出勤。")})
    TrainingEvent.objects.select_for_update().filter(pk=event.pk).first()  # marks of one event take turns
    attendance, _created = TrainingAttendance.objects.update_or_create(
        event=event, deputy=deputy, defaults={"status": status, "marked_by_id": actor.account_id})
    source = _source(event, deputy)
    if status == TrainingAttendance.Status.PRESENT:
        duty_record_log(actor=actor, deputy=deputy, kind=DutyKind.STUDY_TRAINING, occurred_on=event.held_on,
                        title=event.title, venue=event.venue, place=event.place, source=source,
                        content=str(event.get_kind_display()), from_register=True)
    else:
        DutyRecord.objects.filter(source=source).delete()
    audit_record(actor=actor, action="training.attendance", target=attendance,
                 data={"deputy": deputy.pk, "status": status})
    return attendance
