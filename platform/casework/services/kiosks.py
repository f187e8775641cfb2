"""A station's registered touch screen (自助终端): its lobby's constituents all come from one address, so the
form's per-address limits (5 opinions, 3 codes an hour) would lock a busy lobby out. A screen the station's
staff register carries a signed token naming the county and the station; its submissions and codes count
against the station's own allowance (KIOSK_PER_HOUR) instead of the address's. The per-mobile limits stay.
The token is a signed value (django.core.signing), not a session: the screen keeps no one signed in."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from access.scope import Actor
from audit.services import audit_record
from organisation.models import Venue
from organisation.selectors import venues_managed_by
from tenants.db import tenant_connection

KIOSK_PER_HOUR = 60
KIOSK_TOKEN_DAYS = 400
_SALT = "jiazhan.casework.kiosk"


def may_register_kiosk(actor: Actor, venue: Venue) -> bool:
    """Who manages the station (its township's presidium, its own staff) or the county office."""
    return venues_managed_by(actor).filter(pk=venue.pk).exists()


def kiosk_register(*, actor: Actor, venue: Venue) -> str:
    """The token for `venue`'s screen (may_register_kiosk)."""
    if not may_register_kiosk(actor, venue):
        raise PermissionDenied(_("只有本站点的管理人员可以登记自助终端。"))
    audit_record(actor=actor, action="kiosk.register", target=venue)
    return signing.dumps({"county": tenant_connection().schema_name, "venue": venue.pk}, salt=_SALT)


def kiosk_station(token: str | None) -> int | None:
    """The station a screen's token was registered for in this county, or None (absent, forged, expired,
    another county's)."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=_SALT, max_age=KIOSK_TOKEN_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("county") != tenant_connection().schema_name:
        return None
    venue = data.get("venue")
    return venue if isinstance(venue, int) else None


def throttle_key(address: str, kiosk_venue: int | None) -> tuple[str, int | None]:
    """Whose allowance a public request counts against: a registered screen's station (KIOSK_PER_HOUR), else
    the client address (the caller's own limit: None)."""
    if kiosk_venue is not None:
        return f"kiosk:{kiosk_venue}", KIOSK_PER_HOUR
    return address, None
