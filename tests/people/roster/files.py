"""Roster files for the tests: a person's row, a roster workbook, the counts an import may change, and a
file stretched past the template's limits."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from access.models import Membership
from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx
from people.models import Deputy, DeputyGroup, GroupMember, Mandate, Stationing
from people.services.roster import COLUMNS
from tenants.models import Account

HEADERS = [str(header) for _key, header in COLUMNS]
KEYS = [key for key, _header in COLUMNS]
ON = dt.date(2024, 1, 15)


def id_number(born: str, seq: int, region: str = "990101") -> str:
    """A valid 18-digit ID number (with its GB 11643 check digit)."""
    body = f"{region}{born}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def person(**cells) -> dict:
    base = {"name": "李秀英", "mobile": "13912340001", "id_number": id_number("19750304", 121),
            "ethnicity": "土家族", "employer": "东村党支部书记", "levels": "县、乡", "county_term": 17,
            "county_district": "第三选区", "township_term": 19, "township_district": "东村选区",
            "township": "东镇", "venue": "东村联络站", "group_role": "组长", "status": "在任"}
    base.update(cells)
    return base


def roster(*people: dict, headers: list[str] | None = None) -> bytes:
    return rows_to_xlsx(headers or HEADERS, [[p.get(key, "") for key in KEYS] for p in people])


def counts() -> dict[str, int]:
    return {"deputies": Deputy.objects.count(), "accounts": Account.objects.count(),
            "mandates": Mandate.objects.count(), "stationings": Stationing.objects.count(),
            "groups": DeputyGroup.objects.count(), "members": GroupMember.objects.count(),
            "memberships": Membership.objects.count()}


def by_mobile(mobile: str) -> Deputy:
    return Deputy.objects.select_related("account").get(account__mobile=mobile)


def stretched(content: bytes, *, far_column: bool = True, far_row: bool = True, declared: bool = True) -> bytes:
    """The file with a cell at XFD1 and/or A1048576 added to its XML, declaring (or not) the size that makes."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                if far_column:
                    xml = xml.replace("</row>", '<c r="XFD1" t="inlineStr"><is><t>备注</t></is></c></row>', 1)
                if far_row:
                    xml = xml.replace("</sheetData>", '<row r="1048576"><c r="A1048576" t="inlineStr">'
                                                      "<is><t>王五</t></is></c></row></sheetData>")
                if declared:
                    last = f"{'XFD' if far_column else 'P'}{1048576 if far_row else 2}"
                    xml = xml.replace("<sheetViews>", f'<dimension ref="A1:{last}"/><sheetViews>', 1)
                data = xml.encode()
            target.writestr(info, data)
    return out.getvalue()


REFUSED = "表格超过允许的范围：最多32列、21000行。"


def upload(content: bytes, name: str = "名册.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)
