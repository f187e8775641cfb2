"""Chinese PDFs without font files: ReportLab's built-in CID font STSong-Light.

`pdf_document()` lays out a title, then blocks: ("h", text) a heading, ("p", text) a paragraph,
("table", rows) a table whose first row is the header, ("pagebreak", None). Registers, attendance
notices and casework forms all print through it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
Block = tuple[str, object]


@cache
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, alignment=1, spaceAfter=6 * mm),
        "h": ParagraphStyle("h", parent=base, fontSize=13, leading=20, spaceBefore=4 * mm, spaceAfter=2 * mm),
        "p": ParagraphStyle("p", parent=base, spaceAfter=2 * mm),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
    }


def _escape(text: object) -> str:
    return str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: list[list[object]]) -> Table:
    cell = _styles()["cell"]
    data = [[Paragraph(_escape(value), cell) for value in row] for row in rows]
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def pdf_document(*, title: str, blocks: Iterable[Block], author: str = "") -> bytes:
    styles = _styles()
    story: list = [Paragraph(_escape(title), styles["title"])]
    for kind, content in blocks:
        if kind == "table":
            story += [_table(content), Spacer(1, 3 * mm)]  # type: ignore[arg-type]
        elif kind == "pagebreak":
            story.append(PageBreak())
        else:
            story.append(Paragraph(_escape(content), styles[kind]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=author, leftMargin=18 * mm,
                            rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm)
    doc.build(story)
    return buffer.getvalue()
