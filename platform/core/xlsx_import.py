"""What every all-or-nothing .xlsx import shares (the roster, the organisation): reading a sheet of a
template by its headers, the limits a file is held to before any row is read, per-row errors, and the
cell readers. Each import then checks its own rows and writes them in one transaction."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.xlsx import SheetTooLarge, xlsx_rows

MAX_UNPACKED_BYTES = 64 * 1024 * 1024
EXAMPLE_MARK = "（示例）"  # a row whose name ends so is a template's example: skipped on import


@dataclass
class RowError:
    row: int | None  # the Excel row number (1 is the header row); None for the file as a whole
    messages: list[str]
    sheet: str = ""  # the sheet's name, in a workbook of several sheets

    def as_dict(self) -> dict:
        found = {"row": self.row, "messages": self.messages}
        return {**found, "sheet": self.sheet} if self.sheet else found

    def __str__(self) -> str:
        prefix = _("第%(row)d行：") % {"row": self.row} if self.row else ""
        if self.sheet:
            prefix = f"【{self.sheet}】{prefix}"
        return prefix + "；".join(self.messages)


class FileRefused(ValueError):
    """The file as a whole cannot be read; `error` says why, for the person."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


def check_file(content: bytes, *, max_rows: int) -> None:
    """A real .xlsx that does not inflate past MAX_UNPACKED_BYTES (a small upload that unpacks to
    gigabytes of XML); raises FileRefused."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(RowError(None, [_("文件不是有效的 Excel（.xlsx）文件。")])) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(RowError(None, [_("文件内容过大，请分批导入（一次最多%(n)d行）。") % {"n": max_rows}]))


def read_table(content: bytes, *, columns: Sequence[tuple[str, object]], required: Sequence[str],
               max_rows: int, template: str, sheet: int | str = 0, example_key: str = "name",
               sheet_label: str = "") -> list[tuple[int, dict]]:
    """(Excel row number, {column key: raw cell}) of one sheet of a template, matched by header text (so
    columns may be moved or added); the example row and blank rows skipped. A missing required column, too
    many rows or an unreadable file raise FileRefused. A named sheet the workbook lacks reads as empty."""
    try:
        headers, body = xlsx_rows(content, sheet=sheet, max_columns=len(columns) + 16, max_rows=max_rows + 1000)
    except KeyError:
        return []
    except SheetTooLarge as refused:
        raise FileRefused(RowError(None, [str(refused)], sheet_label)) from None
    except Exception:  # noqa: BLE001 - openpyxl and zipfile raise many kinds on a damaged file
        raise FileRefused(RowError(None, [_("文件不是有效的 Excel（.xlsx）文件。")])) from None
    known = {str(header): key for key, header in columns}
    positions = {known[h]: i for i, h in reversed(list(enumerate(headers))) if h in known}
    missing = [str(header) for key, header in columns if key in required and key not in positions]
    if missing and (body or sheet == 0):
        raise FileRefused(RowError(1, [_("缺少必填列：%(columns)s（请使用%(template)s）") % {
            "columns": "、".join(missing), "template": template}], sheet_label))
    rows = []
    for number, values in body:
        cells = {key: values[i] for key, i in positions.items() if i < len(values)}
        if cell_text(cells.get(example_key)).endswith(EXAMPLE_MARK):
            continue
        rows.append((number, cells))
    if len(rows) > max_rows:
        raise FileRefused(RowError(None, [_("一次最多导入%(n)d行。") % {"n": max_rows}], sheet_label))
    return rows


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def cell_digits(value) -> str:
    """Full-width digits and letters made half-width (a common paste from Word), spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value))).upper()


DATE_PATTERNS = [re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), re.compile(r"^(\d{4})(\d{2})(\d{2})$")]


def cell_date(value) -> dt.date | None:
    """A date cell, or a date written as 2024-01-15, 2024/1/15, 2024年1月15日 or 20240115; ValueError else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", cell_text(value))
    if not text:
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return dt.date(*(int(part) for part in match.groups()))  # ValueError for 1980-02-30
    raise ValueError(text)
