"""The roster's columns and the words its cells accept, and how one cell is read (or a mobile masked)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.levels import Level, MandateStatus
from core.xlsx_import import cell_digits as _digits
from people.models import Deputy, GroupMember
from tenants.models.validators import MOBILE_RE

# (key, header): the file's columns, in order. Headers are matched by text, so columns may be moved.
COLUMNS = [
    ("name", gettext_lazy("姓名")),
    ("mobile", gettext_lazy("手机号码")),
    ("id_number", gettext_lazy("身份证号码")),
    ("gender", gettext_lazy("性别")),
    ("ethnicity", gettext_lazy("民族")),
    ("birth_date", gettext_lazy("出生日期")),
    ("employer", gettext_lazy("工作单位及职务")),
    ("levels", gettext_lazy("代表层级")),
    ("county_term", gettext_lazy("县级届次")),
    ("county_district", gettext_lazy("县级选区")),
    ("township_term", gettext_lazy("乡级届次")),
    ("township_district", gettext_lazy("乡级选区")),
    ("township", gettext_lazy("所属乡镇")),
    ("venue", gettext_lazy("驻站站点")),
    ("group_role", gettext_lazy("小组职务")),
    ("status", gettext_lazy("状态")),
]
REQUIRED = ("name", "mobile", "levels")

LEVEL_ORDER = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP]
LEVEL_WORD = {Level.PROVINCE: "省", Level.PREFECTURE: "州（市）", Level.COUNTY: "县", Level.TOWNSHIP: "乡"}
# Accepted spellings. A bare 市 is refused: in a county-level city (Enshi) "市代表" means county deputies.
LEVEL_WORDS = {
    "省": Level.PROVINCE, "省级": Level.PROVINCE,
    "州（市）": Level.PREFECTURE, "州(市)": Level.PREFECTURE, "州": Level.PREFECTURE, "州级": Level.PREFECTURE,
    "州（市）级": Level.PREFECTURE, "州(市)级": Level.PREFECTURE,
    "县": Level.COUNTY, "县级": Level.COUNTY,
    "乡": Level.TOWNSHIP, "乡级": Level.TOWNSHIP, "镇": Level.TOWNSHIP, "乡镇": Level.TOWNSHIP,
    "乡镇级": Level.TOWNSHIP,
}
GENDER_WORDS = {"男": Deputy.Gender.MALE, "男性": Deputy.Gender.MALE, "女": Deputy.Gender.FEMALE,
                "女性": Deputy.Gender.FEMALE}
STATUS_WORDS = {str(label): value for value, label in MandateStatus.choices}
ROLE_WORDS = {**{str(label): value for value, label in GroupMember.Role.choices}, "成员": GroupMember.Role.MEMBER}
SEPARATORS = re.compile(r"[、，,;；\s]+")
MOBILE = re.compile(MOBILE_RE)
ID_NUMBER = re.compile(r"^[0-9]{17}[0-9X]\Z")
TERM = re.compile(r"^第?(\d{1,2})届?$")
MAX_LENGTHS = {"name": 50, "ethnicity": 20, "employer": 200, "county_district": 100, "township_district": 100}


def _term(value) -> int | None:
    text = _digits(value)
    if not text:
        return None
    match = TERM.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(text)
    return int(match.group(1))


def id_number_birth_date(id_number: str) -> dt.date | None:
    """The birth date embedded in an ID number (digits 7 to 14), or None when it is not a real date."""
    try:
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None
    return born if dt.date(1900, 1, 1) <= born <= timezone.localdate() else None


def id_number_gender(id_number: str) -> str:
    return Deputy.Gender.MALE if int(id_number[16]) % 2 else Deputy.Gender.FEMALE


