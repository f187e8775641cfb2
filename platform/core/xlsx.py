"""Excel (.xlsx) files: every list exports through here, and imports read through here."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.utils.http import content_disposition_header
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.text import printable


def rows_to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    """A one-sheet workbook: a bold header row, then `rows`; streamed, so large lists stay small in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
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


def xlsx_rows(content: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    """Headers and (Excel row number, values) of the first sheet; blank rows skipped."""
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    body = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        body.append((number, list(values) + [None] * (len(headers) - len(values))))
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
