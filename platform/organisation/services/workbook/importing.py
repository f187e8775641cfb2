"""organisation_import: every row of every sheet checked first (reading.py), then the whole workbook
written in bulk in one transaction, or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from core.xlsx_import import FileRefused, RowError, check_file, read_table
from organisation.models import HandlingUnit, Township, Venue, Village
from organisation.services.jobs import Progress
from tenants.selectors import current_county

from .columns import SHEETS, TOWNSHIPS, UNITS, VENUES, VILLAGES, Sheet
from .reading import Places, Row, check_townships, check_units, check_venues, check_villages

MAX_ROWS = 20000  # a sheet's rows: a county has some hundreds of villages, a large city district a few thousand
FIELDS = {
    TOWNSHIPS.key: ["division_code", "name", "kind", "started_on"],
    VILLAGES.key: ["division_code", "name", "kind", "township"],
    VENUES.key: ["name", "kind", "township", "village", "address", "opening_hours", "contact_name",
                 "contact_phone", "status"],
    UNITS.key: ["name", "kind", "contact_name", "contact_phone", "is_active"],
}
MODELS: dict[str, Any] = {TOWNSHIPS.key: Township, VILLAGES.key: Village, VENUES.key: Venue, UNITS.key: HandlingUnit}


@dataclass
class OrganisationResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)  # sheet key -> units made
    updated: dict[str, int] = field(default_factory=dict)  # sheet key -> units changed
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict:
        return {"rows": self.rows, "unchanged": self.unchanged, **{
            f"{sheet.key}_{what}": getattr(self, what).get(sheet.key, 0)
            for sheet in SHEETS for what in ("created", "updated")}}


def organisation_import(*, actor: Actor, content: bytes, progress: Progress | None = None) -> OrganisationResult:
    """Import an organisation workbook (the county administrator's): nothing is written unless every
    row of every sheet passes; a unit already here is updated (townships and villages matched by code,
    venues and handling units by name), never duplicated."""
    require(actor.is_admin)
    try:
        with transaction.atomic():
            result = _import(actor, content, progress or (lambda phase, done, total: None))
            if not result.ok:
                transaction.set_rollback(True)
            return result
    except IntegrityError:
        message = _("组织架构在导入过程中被其他操作修改，未导入任何数据，请重新导入。")
        return OrganisationResult(errors=[RowError(None, [message])])


def read_sheets(content: bytes) -> dict[str, list[Row]]:
    """Every sheet's rows (a sheet the workbook lacks has none); raises FileRefused."""
    check_file(content, max_rows=MAX_ROWS)
    return {sheet.key: [Row(sheet, number, cells) for number, cells in read_table(
        content, columns=sheet.columns, required=sheet.required, max_rows=MAX_ROWS, sheet=str(sheet.title),
        template=_("组织架构模板"), sheet_label=str(sheet.title))] for sheet in SHEETS}


def _import(actor: Actor, content: bytes, progress: Progress) -> OrganisationResult:
    try:
        rows = read_sheets(content)
    except FileRefused as refused:
        return OrganisationResult(errors=[refused.error])
    everything = [row for sheet in SHEETS for row in rows[sheet.key]]
    if not everything:
        return OrganisationResult(errors=[RowError(None, [_("文件中没有组织架构数据（请使用组织架构模板）。")])])
    # Lock the county's units against another import or edit until commit: rows are matched to them below.
    list(Township.objects.select_for_update().values_list("pk", flat=True))
    places = Places()
    total, done = len(everything), 0
    checks = {TOWNSHIPS.key: lambda rs: check_townships(rs, places, current_county().division_code),
              VILLAGES.key: lambda rs: check_villages(rs, places), VENUES.key: lambda rs: check_venues(rs, places),
              UNITS.key: check_units}
    for sheet in SHEETS:
        progress("checking", done, total)
        checks[sheet.key](rows[sheet.key])
        done += len(rows[sheet.key])
    errors = [RowError(r.number, r.errors, str(r.sheet.title)) for r in everything if r.errors]
    result = OrganisationResult(rows=len(everything), errors=errors)
    if errors:
        return result
    done = 0
    for sheet in SHEETS:
        progress("writing", done, total)
        _write(sheet, rows[sheet.key], result)
        done += len(rows[sheet.key])
    _follow_moved_villages(rows[VILLAGES.key])
    audit_record(actor=actor, action="organisation.import", data=result.counts())
    return result


def _write(sheet: Sheet, rows: list[Row], result: OrganisationResult) -> None:
    for row in rows:  # the units written before this sheet have their keys now
        if sheet is VILLAGES:
            row.unit.township = row.unit.township
        elif sheet is VENUES:
            row.unit.township, row.unit.village = row.township, row.village
    new = [row.unit for row in rows if row.is_new]
    changed = [row.unit for row in rows if row.changed and not row.is_new]
    model = MODELS[sheet.key]
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, FIELDS[sheet.key], batch_size=500)
    result.created[sheet.key], result.updated[sheet.key] = len(new), len(changed)
    result.unchanged += sum(1 for row in rows if not row.is_new and not row.changed)


def _follow_moved_villages(rows: list[Row]) -> None:
    """A village moved to another township takes its stations along (as a re-division moves them)."""
    moved: dict[int, list[int]] = {}
    for row in rows:
        if not row.is_new and row.changed:
            moved.setdefault(row.unit.township_id, []).append(row.unit.pk)
    for township_id, village_ids in moved.items():
        Venue.objects.filter(village_id__in=village_ids).exclude(township_id=township_id).update(
            township_id=township_id)
