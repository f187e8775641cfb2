"""What the reception services share: who may manage a station's reception days, times, messages."""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor, require
from organisation.models import Venue
from tenants.db import tenant_connection
from tenants.models import County

WEEKDAYS = "一二三四五六日"


def may_manage_venue(actor: Actor, venue: Venue) -> bool:
    """The county, the presidium of the venue's township, and the station's own staff."""
    return actor.can_manage_venue(venue.pk, venue.township_id)


def require_venue(actor: Actor, venue: Venue) -> None:
    require(may_manage_venue(actor, venue))


def reception_duty_source(session_id: int, deputy_id: int) -> str:
    """The key of the duty record a deputy's attendance at a session logs (duties.DutyRecord.source)."""
    return f"reception:{session_id}:{deputy_id}"


def at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def day_label(day: dt.date) -> str:
    return _("%(m)d月%(d)d日（星期%(w)s）") % {"m": day.month, "d": day.day, "w": WEEKDAYS[day.weekday()]}


def hours_label(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{start:%H:%M}—{end:%H:%M}"


def county_name() -> str:
    """The county whose schema this is, for the signature of a message. Kept a minute per process, so a
    scan or a notice job asks once, and a renamed county signs with its new name soon after."""
    schema = tenant_connection().schema_name
    cached = _county_names.get(schema)
    if cached is None or cached[1] < time.monotonic():
        name = County.objects.filter(schema_name=schema).values_list("name", flat=True).first() or ""
        cached = _county_names[schema] = (name, time.monotonic() + 60)
    return cached[0]


_county_names: dict[str, tuple[str, float]] = {}
