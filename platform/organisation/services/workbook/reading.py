"""Checking every row of an organisation workbook against the others and the county's current units,
in the order the sheets depend on one another (townships, villages, venues, units). Nothing is written
here: each row gets its unit -- the stored one it updates, or a new unsaved one -- with its new values,
and its errors in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from core.xlsx_import import cell_date, cell_digits, cell_text
from organisation.models import HandlingUnit, Township, Venue, Village
from organisation.models.venues import venue_place_problem

from .columns import (
    ACTIVE_WORDS,
    KIND_WORDS,
    STATUS_WORDS,
    TOWNSHIPS,
    UNITS,
    VENUES,
    VILLAGES,
    Sheet,
    township_code,
    village_code,
)


@dataclass
class Row:
    sheet: Sheet
    number: int
    cells: dict
    unit: Any = None  # the Township, Village, Venue or HandlingUnit the row writes
    is_new: bool = False
    changed: bool = False
    township: Township | None = None  # a venue's place, set on the venue once the units are written
    village: Village | None = None
    errors: list[str] = field(default_factory=list)

    def text(self, key: str) -> str:
        return cell_text(self.cells.get(key))


def _set(row: Row, unit: models.Model, values: dict) -> None:
    """Give the unit this row's values; a blank optional cell (None) keeps what is stored."""
    for name, value in values.items():
        if value is None:
            continue
        if getattr(unit, name) != value:
            setattr(unit, name, value)
            row.changed = True


def _field_errors(row: Row, unit: models.Model, exclude: list[str]) -> None:
    """The model's own field rules (lengths, formats), named by column."""
    try:
        unit.clean_fields(exclude=exclude)
    except ValidationError as invalid:
        for name, messages in invalid.message_dict.items():
            if getattr(unit, name) in ("", None):
                continue  # a blank required cell is already named by the row's own checks
            label = getattr(unit._meta.get_field(name), "verbose_name", name)
            row.errors.extend(f"{label}：{message}" for message in messages)


def _word(row: Row, key: str, accepted: dict, label: str):
    """A cell that takes one of a few words; None when blank."""
    word = row.text(key)
    if not word:
        return None
    if word not in accepted:
        row.errors.append(_("%(column)s“%(word)s”无法识别（应为%(words)s）") % {
            "column": label, "word": word, "words": "、".join(accepted)})
    return accepted.get(word)


def _once(rows: list[Row], key: Callable[[Row], object], message: str) -> None:
    """A value the file may hold once: later rows repeating it get `message` with the first row's number."""
    first: dict = {}
    for row in rows:
        value = key(row)
        if not value:
            continue
        if value in first:
            row.errors.append(message % {"n": first[value]})
        else:
            first[value] = row.number


class Places:
    """The county's current townships and villages as they will be once the file is written: the stored
    ones (updated in place by their rows) and the file's new ones, one object each."""

    def __init__(self) -> None:
        self.townships = list(Township.objects.current())
        self.villages = list(Village.objects.current())
        by_pk = {t.pk: t for t in self.townships}
        for village in self.villages:  # share the township objects, so a village moved by the file moves
            village.township = by_pk[village.township_id]

    def township(self, reference: str) -> Township | None:
        """By its code (9 or 12 digits) or its name."""
        digits = cell_digits(reference)
        try:
            code = township_code(digits) if digits.isdigit() else ""
        except ValueError:
            code = ""
        for township in self.townships:
            if (code and township.division_code == code) or township.name == reference:
                return township
        return None

    def village(self, reference: str, township: Township | None) -> Village | list[Village] | None:
        """By its 12-digit code, or its name within the township (every village of that name without one)."""
        digits = cell_digits(reference)
        if len(digits) == 12 and digits.isdigit():
            return next((v for v in self.villages if v.division_code == digits), None)
        named = [v for v in self.villages if v.name == reference and (township is None or v.township is township)]
        return named[0] if len(named) == 1 else (named or None)


def _code_and_name(row: Row, parse: Callable[[object], str]) -> tuple[str | None, str]:
    """A township's or village's code (None when malformed: the row says why) and name."""
    code = None
    try:
        code = parse(row.cells.get("division_code"))
    except ValueError as bad:
        row.errors.append(str(bad))
    name = row.text("name")
    if not name:
        row.errors.append(_("名称不能为空"))
    return code, name


def check_townships(rows: list[Row], places: Places, county_code: str) -> None:
    by_code = {t.division_code: t for t in places.townships if t.division_code}
    uncoded = {t.name: t for t in places.townships if not t.division_code}
    for row in rows:
        code, name = _code_and_name(row, township_code)
        if code and county_code and not code.startswith(county_code):
            row.errors.append(_("乡镇代码应以本县（市、区）区划代码%(code)s开头") % {"code": county_code})
        kind = _word(row, "kind", KIND_WORDS[TOWNSHIPS.key], _("类型"))
        started_on = None
        try:
            started_on = cell_date(row.cells.get("started_on"))
        except ValueError:
            row.errors.append(_("设立日期格式不正确（如 2024-01-15）"))
        found = by_code.pop(code, None) if code else None
        if found is None and name in uncoded:
            found = uncoded.pop(name)  # a township typed in by hand before it had a code
        row.unit, row.is_new = found or Township(), found is None
        if row.is_new:
            places.townships.append(row.unit)
        _set(row, row.unit, {"division_code": code, "name": name, "kind": kind, "started_on": started_on})
        _field_errors(row, row.unit, exclude=["ended_on"])
    _once(rows, lambda r: r.unit.division_code, _("区划代码与第%(n)d行重复"))  # 9 digits, however written
    _once(rows, lambda r: r.text("name"), _("名称与第%(n)d行重复"))
    _clashes(rows, places.townships, lambda t: t.name,
             _("本县已有名为“%(value)s”的乡镇（街道），名称不能重复"))


def _clashes(rows: list[Row], units: list, key: Callable, message: str) -> None:
    """A row's unit clashing with a stored unit that the file leaves as it is."""
    in_file = {id(row.unit) for row in rows}
    taken = {key(u): u for u in units if id(u) not in in_file}
    for row in rows:
        value = key(row.unit)
        if value and value in taken:
            row.errors.append(message % {"value": value if isinstance(value, str) else value[1]})


def check_villages(rows: list[Row], places: Places) -> None:
    by_code = {v.division_code: v for v in places.villages if v.division_code}
    uncoded = {(v.township_id, v.name): v for v in places.villages if not v.division_code}
    for row in rows:
        code, name = _code_and_name(row, village_code)
        kind = _word(row, "kind", KIND_WORDS[VILLAGES.key], _("类型"))
        reference = row.text("township")
        township = places.township(reference) if reference else None
        if not reference:
            row.errors.append(_("所属乡镇不能为空"))
        elif township is None:
            row.errors.append(_("所属乡镇“%(name)s”不存在或已撤销") % {"name": reference})
        elif code and not township.division_code:
            row.errors.append(_("所属乡镇“%(name)s”没有区划代码，请在“乡镇（街道）”表中填写") % {"name": township.name})
        elif code and not code.startswith(township.division_code):
            row.errors.append(_("村代码应以所属乡镇代码%(code)s开头") % {"code": township.division_code})
        found = by_code.pop(code, None) if code else None
        if found is None and township is not None and township.pk:
            found = uncoded.pop((township.pk, name), None)
        row.unit, row.is_new = found or Village(), found is None
        if row.is_new:
            places.villages.append(row.unit)
        if township is not None and getattr(row.unit, "township", None) is not township:
            row.unit.township = township  # unsaved townships get their key once written
            row.changed = True
        _set(row, row.unit, {"division_code": code, "name": name, "kind": kind})
        _field_errors(row, row.unit, exclude=["township", "ended_on"])
    _once(rows, lambda r: cell_digits(r.cells.get("division_code")), _("区划代码与第%(n)d行重复"))
    _once(rows, lambda r: (r.text("township"), r.text("name")) if r.text("name") else None,
          _("同一乡镇的村（社区）名称与第%(n)d行重复"))
    _clashes(rows, places.villages, lambda v: (id(getattr(v, "township", None)), v.name) if v.name else None,
             _("所属乡镇已有名为“%(value)s”的村（社区），名称不能重复"))


def check_venues(rows: list[Row], places: Places) -> None:
    stored = {v.name: v for v in Venue.objects.all()}
    for row in rows:
        name = row.text("name")
        if not name:
            row.errors.append(_("名称不能为空"))
        kind = _word(row, "kind", KIND_WORDS[VENUES.key], _("类型"))
        if not row.text("kind"):
            row.errors.append(_("类型不能为空"))
        status = _word(row, "status", STATUS_WORDS, _("状态"))
        township_ref, village_ref = row.text("township"), row.text("village")
        township = places.township(township_ref) if township_ref else None
        if township_ref and township is None:
            row.errors.append(_("所属乡镇“%(name)s”不存在或已撤销") % {"name": township_ref})
        village = places.village(village_ref, township) if village_ref else None
        if isinstance(village, list):
            row.errors.append(_("有多个名为“%(name)s”的村（社区），请填写所属乡镇或村（社区）的12位区划代码") % {
                "name": village_ref})
            village = None
        elif village_ref and village is None:
            row.errors.append(_("所在村（社区）“%(name)s”不存在或已撤销") % {"name": village_ref})
        if village is not None and township is None and not township_ref:
            township = village.township  # a village station belongs to its village's township
        row.unit = stored.get(name) or Venue()
        row.is_new = row.unit.pk is None
        _set(row, row.unit, {"name": name, "kind": kind, "status": status, **{
            key: row.text(key) or None for key in ("address", "opening_hours", "contact_name", "contact_phone")}})
        row.township, row.village = township, village
        for attr, unit in (("township_id", township), ("village_id", village)):
            if unit is None and getattr(row.unit, attr) is not None or unit is not None and (
                    unit.pk is None or unit.pk != getattr(row.unit, attr)):
                row.changed = True
        kind = kind or row.unit.kind
        unresolved = (township_ref and township is None) or (village_ref and village is None)
        problem = venue_place_problem(kind, township, village) if kind and not unresolved else None
        if problem:
            row.errors.append(str(problem[1]))
        _field_errors(row, row.unit, exclude=["township", "village", "description"])
    _once(rows, lambda r: r.text("name"), _("名称与第%(n)d行重复"))


def check_units(rows: list[Row]) -> None:
    stored = {u.name: u for u in HandlingUnit.objects.all()}
    for row in rows:
        name = row.text("name")
        if not name:
            row.errors.append(_("名称不能为空"))
        kind = _word(row, "kind", KIND_WORDS[UNITS.key], _("类型"))
        active = _word(row, "is_active", ACTIVE_WORDS, _("是否有效"))
        row.unit = stored.get(name) or HandlingUnit()
        row.is_new = row.unit.pk is None
        _set(row, row.unit, {"name": name, "kind": kind, "is_active": active, **{
            key: row.text(key) or None for key in ("contact_name", "contact_phone")}})
        _field_errors(row, row.unit, exclude=[])
    _once(rows, lambda r: r.text("name"), _("名称与第%(n)d行重复"))
