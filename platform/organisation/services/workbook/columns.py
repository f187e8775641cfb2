"""The organisation workbook's sheets and columns, the words its cells accept, and the division codes'
formats (GB/T 2260 for the county, the statistical codes for townships and villages)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.xlsx_import import cell_digits
from organisation.models import HandlingUnit, Township, Venue, Village


@dataclass(frozen=True)
class Sheet:
    key: str
    title: Promise
    columns: list[tuple[str, Promise]]  # (key, header); headers are matched by text, so columns may move
    required: tuple[str, ...]

    @property
    def headers(self) -> list[str]:
        return [str(header) for _key, header in self.columns]

    def header(self, key: str) -> str:
        return str(dict(self.columns)[key])


CODE = ("division_code", gettext_lazy("区划代码"))
NAME, KIND = ("name", gettext_lazy("名称")), ("kind", gettext_lazy("类型"))
TOWNSHIPS = Sheet("townships", gettext_lazy("乡镇（街道）"), [
    CODE, NAME, KIND, ("started_on", gettext_lazy("设立日期")),
], ("division_code", "name"))
VILLAGES = Sheet("villages", gettext_lazy("村（社区）"), [
    CODE, NAME, KIND, ("township", gettext_lazy("所属乡镇")),
], ("division_code", "name", "township"))
VENUES = Sheet("venues", gettext_lazy("代表之家和联络站"), [
    NAME, KIND, ("township", gettext_lazy("所属乡镇")), ("village", gettext_lazy("所在村（社区）")),
    ("address", gettext_lazy("地址")), ("opening_hours", gettext_lazy("开放时间")),
    ("contact_name", gettext_lazy("联系人")), ("contact_phone", gettext_lazy("联系电话")),
    ("status", gettext_lazy("状态")),
], ("name", "kind"))
UNITS = Sheet("units", gettext_lazy("承办单位"), [
    NAME, KIND, ("contact_name", gettext_lazy("联系人")), ("contact_phone", gettext_lazy("联系电话")),
    ("is_active", gettext_lazy("是否有效")),
], ("name",))
SHEETS = [TOWNSHIPS, VILLAGES, VENUES, UNITS]

ACTIVE_WORDS = {"是": True, "有效": True, "否": False, "无效": False, "停用": False}


def words(choices) -> dict[str, str]:
    """The labels a kind or status cell accepts (as the pages show them) -> the stored value."""
    return {str(label): value for value, label in choices.choices}


KIND_WORDS = {
    TOWNSHIPS.key: words(Township.Kind), VILLAGES.key: words(Village.Kind), VENUES.key: words(Venue.Kind),
    UNITS.key: words(HandlingUnit.Kind),
}
STATUS_WORDS = words(Venue.Status)

TOWNSHIP_CODE = re.compile(r"^\d{9}$")
TOWNSHIP_CODE_12 = re.compile(r"^(\d{9})000$")  # a township's 12-digit statistical code ends 000
VILLAGE_CODE = re.compile(r"^\d{12}$")


def township_code(value) -> str:
    """A township's code as stored (9 digits); the 12-digit statistical form is accepted. ValueError with
    the message for the person."""
    code = cell_digits(value)
    match = TOWNSHIP_CODE_12.match(code)
    if match:
        return match.group(1)
    if not TOWNSHIP_CODE.match(code):
        raise ValueError(_("乡镇区划代码应为9位数字（或末三位为000的12位统计用区划代码）"))
    return code


def village_code(value) -> str:
    code = cell_digits(value)
    if not VILLAGE_CODE.match(code):
        raise ValueError(_("村（社区）区划代码应为12位数字"))
    return code
