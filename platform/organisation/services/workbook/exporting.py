"""organisation_export: the county's current units in the import's sheets and columns, so a workbook can
be exported, edited and imported again (the round trip changes nothing)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from core.xlsx import sheets_to_xlsx
from organisation.models import HandlingUnit, Township, Venue, Village

from .columns import TOWNSHIPS, UNITS, VENUES, VILLAGES


def organisation_rows() -> dict[str, list[list]]:
    """Each sheet's rows, in its columns' order; four queries."""
    townships = [[t.division_code, t.name, t.get_kind_display(), t.started_on.isoformat() if t.started_on else ""]
                 for t in Township.objects.current().order_by("division_code", "name")]
    villages = [[v.division_code, v.name, v.get_kind_display(), v.township.name]
                for v in Village.objects.current().select_related("township").order_by("division_code", "name")]
    venues = [[v.name, v.get_kind_display(), v.township.name if v.township else "",
               v.village.name if v.village else "", v.address, v.opening_hours, v.contact_name, v.contact_phone,
               v.get_status_display()]
              for v in Venue.objects.select_related("township", "village").order_by(
                  "township__division_code", "kind", "name")]
    units = [[u.name, u.get_kind_display(), u.contact_name, u.contact_phone, _("是") if u.is_active else _("否")]
             for u in HandlingUnit.objects.order_by("kind", "name")]
    return {TOWNSHIPS.key: townships, VILLAGES.key: villages, VENUES.key: venues, UNITS.key: units}


def organisation_export(*, actor: Actor) -> bytes:
    require(actor.is_admin)
    rows = organisation_rows()
    audit_record(actor=actor, action="organisation.export", data={key: len(value) for key, value in rows.items()})
    return sheets_to_xlsx([(str(sheet.title), sheet.headers, rows[sheet.key])
                           for sheet in (TOWNSHIPS, VILLAGES, VENUES, UNITS)])
