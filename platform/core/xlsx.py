"""Excel (.xlsx) files: every list exports through here, and imports read through here."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.text import printable


def rows_to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    """A one-sheet workbook: a bold header row, then `rows`; streamed, so large lists stay small in memory."""
    return sheets_to_xlsx([(title, headers, rows)])


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: none of []:*?/\\ (a heading like "2026/1" would stop the file being
    written), at most 31 characters, not empty."""
    return re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31].strip("'") or "Sheet1"


def sheets_to_xlsx(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook of (title, headers, rows) sheets, each as rows_to_xlsx writes its one."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=sheet_title(title))
        widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
        for index, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width, 40)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=printable(header))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(["" if value is None else printable(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class SheetTooLarge(ValueError):
    """The first sheet reaches past the columns or rows a reader allows; the message is for the person."""


# What any reader allows unless it says less: beyond every list this platform exports.
XLSX_MAX_COLUMNS = 100
XLSX_MAX_ROWS = 100_000


def xlsx_rows(content: bytes, *, max_columns: int = XLSX_MAX_COLUMNS, max_rows: int = XLSX_MAX_ROWS,
              sheet: int | str = 0) -> tuple[list[str], list[tuple[int, list]]]:
    """Headers and (Excel row number, values) of a sheet (the first, or the one of that index or name:
    KeyError when there is none); blank rows skipped.

    A sheet reaching past `max_columns` or `max_rows` raises SheetTooLarge (in Chinese) without reading it
    all: the size the file declares (its <dimension> element) is checked first, then the rows are read one
    by one, each as wide as its last cell, and the file refused at the first row or cell beyond the limits
    (a file may declare no size, or too small a one). Left to itself, openpyxl pads every row to the
    declared width and yields every missing row: a 5 KB file with cells at XFD1 and A1048576 is 16,384
    columns by a million rows."""
    too_large = SheetTooLarge(_("表格超过允许的范围：最多%(columns)d列、%(rows)d行。") % {
        "columns": max_columns, "rows": max_rows})
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        worksheet = workbook.worksheets[sheet] if isinstance(sheet, int) else workbook[sheet]
        declared_columns, declared_rows = worksheet.max_column, worksheet.max_row
        if (declared_columns or 0) > max_columns or (declared_rows or 0) > max_rows:
            raise too_large
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
        headers: list[str] = []
        body = []
        for number, values in enumerate(rows, start=1):
            if number > max_rows or len(values) > max_columns:
                raise too_large
            if number == 1:
                headers = [str(h).strip() if h is not None else "" for h in values]
                continue
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            body.append((number, list(values) + [None] * (len(headers) - len(values))))
    finally:
        workbook.close()
    return headers, body


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_disposition(filename: str, *, ascii_fallback: str = "download.xlsx") -> str:
    """The Content-Disposition of an .xlsx download. A Chinese name goes as RFC 6266's
    filename*=utf-8''… (Django's encoding), after a plain ASCII filename= for clients that read only that."""
    header = content_disposition_header(True, filename)
    if filename.isascii():
        return header
    return header.replace("attachment; ", f'attachment; filename="{ascii_fallback}"; ', 1)


def xlsx_attachment(content: bytes, *, filename: str, ascii_fallback: str = "download.xlsx") -> HttpResponse:
    """An .xlsx attachment, for the API and the pages alike; a Chinese file name arrives intact."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = xlsx_disposition(filename, ascii_fallback=ascii_fallback)
    return response
