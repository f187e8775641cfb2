"""The county's deputy roster (代表名册) as an .xlsx file: a template to fill in, an import that checks
every row before it writes anything and then writes in bulk (a county's whole roster in one request),
and an export in the same columns, so a file can be exported, edited and imported again.

Import semantics, chosen so that a partial or repeated file never destroys anything:
- a row is matched to a deputy of this county by ID number, else by mobile; a match is updated;
- a blank optional cell leaves the stored value unchanged (a blank 状态 means 在任 for a new mandate);
- mandates, stationings and group places are added or updated, never ended or removed (ending a
  stationing or a mandate is a deliberate act with a date, done on the deputy's record).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.models import Membership, Role
from access.scope import Actor, require
from audit.services import audit_record
from core.levels import Level, MandateStatus
from core.xlsx import rows_to_xlsx, xlsx_rows
from organisation.models import Township, Venue
from people.models import Deputy, DeputyGroup, GroupMember, Mandate, Stationing
from people.selectors import deputies_managed_by, deputy_list
from tenants.models import Account, RegionMandate
from tenants.models.validators import MOBILE_RE
from tenants.selectors import current_county

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
MAX_ROWS = 20000
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
EXAMPLE_MARK = "（示例）"  # a row whose name ends so is the template's example: skipped on import

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
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
TERM = re.compile(r"^第?(\d{1,2})届?$")
DATE_PATTERNS = [re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), re.compile(r"^(\d{4})(\d{2})(\d{2})$")]
MAX_LENGTHS = {"name": 50, "ethnicity": 20, "employer": 200, "county_district": 100, "township_district": 100}


@dataclass
class RowError:
    row: int | None  # the Excel row number (1 is the header row); None for the file as a whole
    messages: list[str]

    def as_dict(self) -> dict:
        return {"row": self.row, "messages": self.messages}

    def __str__(self) -> str:
        prefix = _("第%(row)d行：") % {"row": self.row} if self.row else ""
        return prefix + "；".join(self.messages)


@dataclass
class RosterResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    accounts_created: int = 0
    mandates_created: int = 0
    mandates_updated: int = 0
    stationings_created: int = 0
    group_places_set: int = 0
    memberships_granted: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in (
            "rows", "created", "updated", "accounts_created", "mandates_created", "mandates_updated",
            "stationings_created", "group_places_set", "memberships_granted")}


@dataclass
class _Row:
    number: int
    name: str = ""
    mobile: str = ""
    id_number: str = ""
    gender: str = ""
    ethnicity: str = ""
    birth_date: dt.date | None = None
    employer: str = ""
    levels: list[str] = field(default_factory=list)
    county_term: int | None = None
    county_district: str = ""
    township_term: int | None = None
    township_district: str = ""
    township: Township | None = None
    venues: list[Venue] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    status: str = ""
    errors: list[str] = field(default_factory=list)
    account: Account | None = None
    deputy: Deputy | None = None


# ---------------------------------------------------------------- template


def roster_template() -> bytes:
    """The roster template: headers and one example row, a sheet of instructions, and this county's
    townships and venues (the words the 所属乡镇 and 驻站站点 columns accept)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("代表名册")
    headers = [str(header) for _key, header in COLUMNS]
    sheet.append(headers)
    venue = Venue.objects.exclude(status=Venue.Status.CLOSED).select_related("township").order_by("pk").first()
    township = (venue.township if venue and venue.township else Township.objects.current().order_by("pk").first())
    sheet.append(["张三" + EXAMPLE_MARK, "13800000000", "42280119800101002X", "女", "土家族", "1980-01-01",
                  _("某某村党支部书记"), "县、乡", 17, _("第一选区"), 19, _("第三选区"),
                  township.name if township else _("某某镇"), venue.name if venue else _("某某村代表联络站"),
                  _("组长"), _("在任")])
    for index, (key, header) in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(len(str(header)) * 2 + 6, 30))
        sheet.cell(row=1, column=index).font = Font(bold=True, color="FFFFFF" if key in REQUIRED else "000000")
        sheet.cell(row=1, column=index).fill = PatternFill("solid", fgColor="B71C1C" if key in REQUIRED else "EEEEEE")
        if key in ("mobile", "id_number", "birth_date"):  # text, so Excel keeps every digit
            for row in range(2, 2001):
                sheet.cell(row=row, column=index).number_format = "@"
        sheet.cell(row=2, column=index).font = Font(italic=True, color="888888")
    keys = [key for key, _header in COLUMNS]
    for key, words in (("gender", "男,女"), ("group_role", ",".join(str(v) for v in GroupMember.Role.labels)),
                       ("status", ",".join(str(v) for v in MandateStatus.labels))):
        letter = get_column_letter(keys.index(key) + 1)
        validation = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}2000")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("填写说明"))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 90
    for row in _instructions():
        notes.append(row)
    places = workbook.create_sheet(_("乡镇与站点"))
    places.append([_("所属乡镇"), _("驻站站点"), _("站点状态")])
    for v in Venue.objects.select_related("township").order_by("township__division_code", "kind", "name"):
        places.append([v.township.name if v.township else _("（县级）"), v.name, str(v.get_status_display())])
    for column in ("A", "B", "C"):
        places.column_dimensions[column].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions() -> list[list[str]]:
    return [
        [_("列"), _("填写要求")],
        [_("姓名"), _("必填。第2行是示例（姓名以“（示例）”结尾的行不会导入），可删除。")],
        [_("手机号码"), _("必填，11位手机号码，作为代表的登录账号。")],
        [_("身份证号码"), _("18位，最后一位可以是X；请以文本格式填写。出生日期和性别可由身份证号码得出。")],
        [_("代表层级"), _("省、州（市）、县、乡中的一项或多项，用“、”或“，”分隔，如“县、乡”。"
                      "省、州（市）代表须已由上级人大登记覆盖本县的代表职务。")],
        [_("县级届次 / 乡级届次"), _("数字，如 17；代表层级含“县”时填县级届次，含“乡”时填乡级届次。")],
        [_("所属乡镇"), _("乡级代表所属的乡镇（见“乡镇与站点”表）；不填时取驻站站点所在乡镇。")],
        [_("驻站站点"), _("本县的站点名称（见“乡镇与站点”表）；已关闭的站点不能驻站。多个站点用“、”分隔。")],
        [_("小组职务"), _("组长、副组长、联络员或组员；每个站点的代表小组只能有一名组长。多个站点时按站点顺序填写。")],
        [_("状态"), _("在任、辞职、罢免或去世；新登记的职务不填即为在任。")],
        [_("再次导入"), _("按身份证号码（其次按手机号码）找到已有代表并更新，不会重复登记；空白单元格保留原有内容；"
                      "导入不会结束原有的驻站或职务。")],
        [_("校验"), _("导入前逐行校验，任何一行有错误时整个文件都不导入，请按提示修改后重新上传。")],
    ]


# ---------------------------------------------------------------- reading cells


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def _digits(value) -> str:
    """Full-width digits and letters made half-width (a common paste from Word), spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _text(value))).upper()


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", _text(value))
    if not text:
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return dt.date(*(int(part) for part in match.groups()))  # ValueError for 1980-02-30
    raise ValueError(text)


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


def _parse(number: int, cells: dict[str, object], townships: dict[str, Township],
           venues: dict[str, Venue]) -> _Row:
    """One row's own checks: formats, words, lengths, and that the named township and venues exist."""
    row = _Row(number=number)
    err = row.errors.append
    row.name = _text(cells.get("name"))
    if not row.name:
        err(_("姓名不能为空"))
    raw_mobile = cells.get("mobile")
    row.mobile = _digits(raw_mobile)
    if not row.mobile:
        err(_("手机号码不能为空"))
    elif not MOBILE.match(row.mobile):
        err(_("手机号码格式不正确（应为11位数字）"))
    raw_id = cells.get("id_number")
    row.id_number = _digits(raw_id)
    id_birth = None
    if isinstance(raw_id, int | float) and len(row.id_number) >= 15:
        err(_("身份证号码请以文本格式填写（Excel 会把长数字的末几位变成0）"))
    elif row.id_number and not ID_NUMBER.match(row.id_number):
        err(_("身份证号码格式不正确（应为18位，最后一位可以是X）"))
    elif row.id_number:
        id_birth = id_number_birth_date(row.id_number)
        if id_birth is None:
            err(_("身份证号码中的出生日期无效"))
    gender = _text(cells.get("gender"))
    if gender and gender not in GENDER_WORDS:
        err(_("性别应填写“男”或“女”"))
    row.gender = GENDER_WORDS.get(gender, "")
    if id_birth:
        if row.gender and row.gender != id_number_gender(row.id_number):
            err(_("性别与身份证号码不符"))
        row.gender = id_number_gender(row.id_number)
    row.ethnicity = _text(cells.get("ethnicity"))
    try:
        row.birth_date = _date(cells.get("birth_date"))
    except ValueError:
        err(_("出生日期格式不正确（如 1980-01-01）"))
    if id_birth:
        if row.birth_date and row.birth_date != id_birth:
            err(_("出生日期与身份证号码不符"))
        row.birth_date = id_birth
    row.employer = _text(cells.get("employer"))

    words = [w for w in SEPARATORS.split(_text(cells.get("levels"))) if w]
    if not words:
        err(_("代表层级不能为空（填写省、州（市）、县、乡中的一项或多项）"))
    for word in words:
        level = LEVEL_WORDS.get(word)
        if level is None:
            err(_("代表层级“%(word)s”无法识别（应为省、州（市）、县、乡）") % {"word": word})
        elif level not in row.levels:
            row.levels.append(level)
    for prefix, level, label in (("county", Level.COUNTY, _("县级")), ("township", Level.TOWNSHIP, _("乡级"))):
        term, bad_term = None, False
        try:
            term = _term(cells.get(f"{prefix}_term"))
        except ValueError:
            err(_("%(label)s届次应为数字（如 17）") % {"label": label})
            bad_term = True
        setattr(row, f"{prefix}_term", term)
        setattr(row, f"{prefix}_district", _text(cells.get(f"{prefix}_district")))
        if level in row.levels and term is None and not bad_term:
            err(_("代表层级含“%(word)s”，须填写%(label)s届次") % {"word": LEVEL_WORD[level], "label": label})
        if level not in row.levels and (term is not None or getattr(row, f"{prefix}_district")):
            err(_("填写了%(label)s届次或选区，但代表层级中没有“%(word)s”") % {
                "label": label, "word": LEVEL_WORD[level]})

    township_name = _text(cells.get("township"))
    if township_name:
        row.township = townships.get(township_name)
        if row.township is None:
            err(_("所属乡镇“%(name)s”不存在或已撤销") % {"name": township_name})
    venue_names = [w.strip() for w in re.split(r"[、，,;；]+", _text(cells.get("venue"))) if w.strip()]
    for venue_name in venue_names:
        venue = venues.get(venue_name)
        if venue is None:
            err(_("驻站站点“%(name)s”不是本县的站点") % {"name": venue_name})
        elif venue in row.venues:
            err(_("驻站站点“%(name)s”重复填写") % {"name": venue.name})
        else:
            row.venues.append(venue)
    if Level.TOWNSHIP in row.levels and row.township is None and not township_name:
        townships_of_venues = {v.township for v in row.venues if v.township}
        if len(townships_of_venues) == 1:
            row.township = townships_of_venues.pop()
        else:
            err(_("乡级代表须填写所属乡镇"))
    for word in (w for w in SEPARATORS.split(_text(cells.get("group_role"))) if w):
        if word not in ROLE_WORDS:
            err(_("小组职务“%(word)s”无法识别（应为组长、副组长、联络员或组员）") % {"word": word})
        else:
            row.roles.append(ROLE_WORDS[word])
    if row.roles and not venue_names:
        err(_("填写小组职务须同时填写驻站站点"))
    elif row.roles and len(row.roles) != len(venue_names):
        err(_("小组职务的个数应与驻站站点的个数相同"))
    status = _text(cells.get("status"))
    if status and status not in STATUS_WORDS:
        err(_("状态“%(word)s”无法识别（应为在任、辞职、罢免或去世）") % {"word": status})
    row.status = STATUS_WORDS.get(status, "")
    for key, limit in MAX_LENGTHS.items():
        if len(getattr(row, key)) > limit:
            err(_("%(column)s不能超过%(n)d个字") % {"column": dict(COLUMNS)[key], "n": limit})
    return row


# ---------------------------------------------------------------- import


def roster_import(*, actor: Actor, content: bytes, started_on: dt.date | None = None) -> RosterResult:
    """Import a roster file: every row is checked first, and nothing is written unless all pass.
    County administrators import any row; township staff only rows of their own township."""
    require(actor.is_admin or actor.is_township_staff)
    on = started_on or timezone.localdate()
    try:
        with transaction.atomic():
            result = _import(actor, content, on)
            if not result.ok:
                transaction.set_rollback(True)
            return result
    except IntegrityError:
        # Another import or edit wrote the same person in the meantime; the whole file was rolled back.
        message = _("名册在导入过程中被其他操作修改，未导入任何数据，请重新导入。")
        return RosterResult(errors=[RowError(None, [message])])


def _read(content: bytes) -> tuple[list[tuple[int, dict]], list[RowError]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:  # a small upload that inflates to gigabytes of XML
            return [], [RowError(None, [_("文件内容过大，请分批导入（一次最多%(n)d行）。") % {"n": MAX_ROWS}])]
        headers, body = xlsx_rows(content)
    except Exception:  # noqa: BLE001 - openpyxl and zipfile raise many kinds on a damaged file
        return [], [RowError(None, [_("文件不是有效的 Excel（.xlsx）文件。")])]
    known = {str(header): key for key, header in COLUMNS}
    positions = {known[h]: i for i, h in reversed(list(enumerate(headers))) if h in known}
    missing = [str(header) for key, header in COLUMNS if key in REQUIRED and key not in positions]
    if missing:
        return [], [RowError(1, [_("缺少必填列：%(columns)s（请使用代表名册模板）") % {"columns": "、".join(missing)}])]
    rows = []
    for number, values in body:
        cells = {key: values[i] for key, i in positions.items() if i < len(values)}
        if _text(cells.get("name")).endswith(EXAMPLE_MARK):
            continue
        rows.append((number, cells))
    if not rows:
        return [], [RowError(None, [_("文件中没有代表数据。")])]
    if len(rows) > MAX_ROWS:
        return [], [RowError(None, [_("一次最多导入%(n)d行。") % {"n": MAX_ROWS}])]
    return rows, []


@dataclass
class _Known:
    """What this county already holds about the people of a file, read in a handful of queries."""

    mandates: dict[tuple[int, str, int], Mandate]  # (deputy, level, term) -> mandate
    mandates_of: dict[int, list[Mandate]]
    stationed: set[tuple[int, int]]  # (deputy, venue) of current stationings
    ended_late: dict[tuple[int, int], dt.date]  # (deputy, venue) -> an earlier stationing's end on/after `on`
    covering: dict[int, set[str]]  # account -> levels of upper-tier mandates in force here on `on`
    managed: set[int] | None  # deputies within township staff's reach; None for the county administrator


def in_force(mandate, on: dt.date) -> bool:
    """As people.services.deputies.stationing_allowed: serving, started, not yet ended on that day."""
    return (mandate.status == MandateStatus.SERVING and mandate.started_on <= on
            and (mandate.ended_on is None or mandate.ended_on >= on))


def _covering(account_ids, on: dt.date) -> dict[int, set[str]]:
    county = current_county()
    covering: dict[int, set[str]] = {}
    for mandate in RegionMandate.objects.filter(account_id__in=account_ids):
        if mandate.covers(county) and in_force(mandate, on):
            covering.setdefault(mandate.account_id, set()).add(mandate.level)
    return covering


def _import(actor: Actor, content: bytes, on: dt.date) -> RosterResult:
    cells_by_row, errors = _read(content)
    if errors:
        return RosterResult(errors=errors)
    townships = {t.name: t for t in Township.objects.current()}
    venues = {v.name: v for v in Venue.objects.select_related("township")}
    rows = [_parse(number, cells, townships, venues) for number, cells in cells_by_row]

    mobiles = {r.mobile for r in rows if r.mobile}
    id_numbers = {r.id_number for r in rows if r.id_number}
    accounts = {a.mobile: a for a in Account.objects.filter(mobile__in=mobiles)}
    account_ids = [a.pk for a in accounts.values()]
    deputies = list(Deputy.objects.filter(Q(id_number__in=id_numbers) | Q(account_id__in=account_ids))
                    .select_related("account"))
    deputy_ids = [d.pk for d in deputies]
    known = _Known(mandates={}, mandates_of={}, stationed=set(), ended_late={},
                   covering=_covering(account_ids + [d.account_id for d in deputies], on), managed=None)
    for mandate in Mandate.objects.filter(deputy_id__in=deputy_ids):
        known.mandates[(mandate.deputy_id, mandate.level, mandate.term)] = mandate
        known.mandates_of.setdefault(mandate.deputy_id, []).append(mandate)
    for deputy_id, venue_id, ended_on in Stationing.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on), deputy_id__in=deputy_ids).values_list(
            "deputy_id", "venue_id", "ended_on"):
        if ended_on is None:
            known.stationed.add((deputy_id, venue_id))
        else:
            known.ended_late[(deputy_id, venue_id)] = max(ended_on, known.ended_late.get((deputy_id, venue_id), on))
    if not actor.is_admin:
        # Reach as staff: a township staff member who is also a deputy does not manage themselves.
        staff = dataclasses.replace(actor, deputy_id=None)
        known.managed = set(deputies_managed_by(staff).filter(pk__in=deputy_ids).values_list("pk", flat=True))

    _check_people(rows, accounts, {d.id_number: d for d in deputies if d.id_number},
                  {d.account_id: d for d in deputies})
    leaders: dict[int, int] = {}
    for row in rows:
        _check_row(row, actor, known, on, leaders)
    errors = [RowError(r.number, r.errors) for r in rows if r.errors]
    if errors:
        return RosterResult(errors=errors, rows=len(rows))
    result = RosterResult(rows=len(rows))
    _write(rows, result, known, on)
    audit_record(actor=actor, action="roster.import", data={**result.counts(), "started_on": on.isoformat()})
    return result


def _check_people(rows: list[_Row], accounts: dict, by_id_number: dict, by_account: dict) -> None:
    """Duplicates inside the file, and who each row is: a deputy of this county, an account, or new."""
    first_mobile: dict[str, int] = {}
    first_id: dict[str, int] = {}
    first_deputy: dict[int, int] = {}
    for row in rows:
        if row.mobile in first_mobile:
            row.errors.append(_("手机号码与第%(n)d行重复") % {"n": first_mobile[row.mobile]})
        elif row.mobile:
            first_mobile[row.mobile] = row.number
        if row.id_number in first_id:
            row.errors.append(_("身份证号码与第%(n)d行重复") % {"n": first_id[row.id_number]})
        elif row.id_number:
            first_id[row.id_number] = row.number
        row.account = accounts.get(row.mobile)
        by_mobile = by_account.get(row.account.pk) if row.account else None
        by_id = by_id_number.get(row.id_number) if row.id_number else None
        if by_id and by_mobile and by_id.pk != by_mobile.pk or (
                by_id is None and by_mobile and by_mobile.id_number and row.id_number
                and by_mobile.id_number != row.id_number):
            row.errors.append(_("手机号码%(mobile)s已属于本县名册中另一名代表（%(name)s），其身份证号码与本行不同") % {
                "mobile": row.mobile, "name": by_mobile.account.name})
            continue
        if by_id and by_id.account.mobile != row.mobile:
            row.errors.append(_("该身份证号码的代表（%(name)s）登记的手机号码为%(mobile)s，与本行不同；"
                                "更换登录手机号码不能通过名册导入办理") % {
                "name": by_id.account.name, "mobile": mask_mobile(by_id.account.mobile)})
            continue
        row.deputy = by_id or by_mobile
        if row.deputy is not None:
            if row.deputy.pk in first_deputy:
                row.errors.append(_("与第%(n)d行是同一名代表") % {"n": first_deputy[row.deputy.pk]})
            first_deputy.setdefault(row.deputy.pk, row.number)


def _check_row(row: _Row, actor: Actor, known: _Known, on: dt.date, leaders: dict[int, int]) -> None:
    """Scope, upper-tier mandates, stationing rules and group leaders: what needs the stored data."""
    err = row.errors.append
    if known.managed is not None:  # township staff
        _check_scope(row, actor, known)
    account_levels = known.covering.get(row.account.pk, set()) if row.account else set()
    for level in (Level.PROVINCE, Level.PREFECTURE):
        if level in row.levels and level not in account_levels:
            err(_("%(name)s 没有覆盖本地的省、州（市）代表职务（%(level)s），须先由上级人大登记") % {
                "name": row.name, "level": Level(level).label})
    new_venues = [v for v in row.venues if row.deputy is None or (row.deputy.pk, v.pk) not in known.stationed]
    for venue in new_venues:
        if venue.status == Venue.Status.CLOSED:
            err(_("驻站站点“%(name)s”已关闭，不能驻站") % {"name": venue.name})
        ended = known.ended_late.get((row.deputy.pk, venue.pk)) if row.deputy else None
        if ended is not None:
            err(_("该代表在“%(name)s”的上一次驻站到 %(date)s 才结束，进站日期须在其后") % {
                "name": venue.name, "date": ended.isoformat()})
    if new_venues and not account_levels and not _in_force_after_import(row, known, on):
        err(_("%(name)s 没有本县（市、区）的在任代表职务，也没有覆盖本地的省、州（市）代表职务，不能在此驻站") % {
            "name": row.name})
    for venue, role in zip(row.venues, row.roles, strict=False):
        if role == GroupMember.Role.LEADER:
            if venue.pk in leaders:
                err(_("“%(name)s”代表小组的组长已在第%(n)d行填写，每个小组只能有一名组长") % {
                    "name": venue.name, "n": leaders[venue.pk]})
            leaders.setdefault(venue.pk, row.number)


def _check_scope(row: _Row, actor: Actor, known: _Known) -> None:
    """Township staff: rows of their township, deputies within their reach, and no county mandates
    (those the county records, as people.services.deputies.mandate_add)."""
    err = row.errors.append
    if row.township and row.township.pk not in actor.township_ids:
        err(_("所属乡镇“%(name)s”不在您的管辖范围内") % {"name": row.township.name})
    for venue in row.venues:
        if not actor.can_manage_venue(venue.pk, venue.township_id):
            err(_("驻站站点“%(name)s”不在您的管辖范围内") % {"name": venue.name})
    if not row.township and not row.venues:
        err(_("请填写本乡镇的所属乡镇或驻站站点"))
    if row.deputy is not None and row.deputy.pk not in known.managed:
        err(_("该代表不在您的管辖范围内，请联系县人大常委会办理"))
        return
    if Level.COUNTY in row.levels and row.county_term is not None:
        existing = known.mandates.get((row.deputy.pk, Level.COUNTY, row.county_term)) if row.deputy else None
        if existing is None or (row.county_district and row.county_district != existing.electoral_district) or (
                row.status and row.status != existing.status):
            err(_("县级代表职务由县人大常委会登记，乡镇（街道）不能新增或修改（县级第%(term)d届）") % {
                "term": row.county_term})
    if Level.TOWNSHIP in row.levels and row.township_term is not None and row.deputy is not None:
        existing = known.mandates.get((row.deputy.pk, Level.TOWNSHIP, row.township_term))  # one of another township?
        if existing is not None and existing.township_id not in actor.township_ids and (
                row.township is None or row.township.pk != existing.township_id):
            err(_("该代表的乡级第%(term)d届代表职务属于其他乡镇，不在您的管辖范围内") % {"term": row.township_term})


def _in_force_after_import(row: _Row, known: _Known, on: dt.date) -> bool:
    """Whether the deputy holds a county or township mandate in force on `on` once this row is written."""
    planned: dict[tuple[str, int], bool] = {}
    if row.deputy is not None:
        planned = {(m.level, m.term): in_force(m, on) for m in known.mandates_of.get(row.deputy.pk, [])}
    for level, term in _row_mandates(row):
        existing = known.mandates.get((row.deputy.pk, level, term)) if row.deputy else None
        if existing is None:
            planned[(level, term)] = row.status in ("", MandateStatus.SERVING)
        elif row.status:
            planned[(level, term)] = row.status == MandateStatus.SERVING and in_force(
                Mandate(status=MandateStatus.SERVING, started_on=existing.started_on, ended_on=existing.ended_on), on)
    return any(planned.values())


def _row_mandates(row: _Row) -> list[tuple[str, int]]:
    return [(level, term) for level, term in ((Level.COUNTY, row.county_term), (Level.TOWNSHIP, row.township_term))
            if level in row.levels and term is not None]


def _write(rows: list[_Row], result: RosterResult, known: _Known, on: dt.date) -> None:
    now = timezone.now()
    # Accounts (public schema): one per person, no password until the first login.
    new_accounts = []
    renamed = []
    for row in rows:
        if row.account is None:
            row.account = Account(mobile=row.mobile, name=row.name)
            row.account.set_unusable_password()
            new_accounts.append(row.account)
        elif row.deputy is not None and row.account.name != row.name:
            row.account.name = row.name  # as deputy_update: the roster's name is the person's name
            renamed.append(row.account)
    Account.objects.bulk_create(new_accounts)
    Account.objects.bulk_update(renamed, ["name"])
    result.accounts_created = len(new_accounts)

    # Deputies.
    profile = ("id_number", "gender", "ethnicity", "birth_date", "employer")
    created, changed = [], []
    for row in rows:
        if row.deputy is None:
            row.deputy = Deputy(account=row.account, **{key: getattr(row, key) for key in profile})
            created.append(row.deputy)
            continue
        dirty = False
        for key in profile:
            value = getattr(row, key)
            if value and getattr(row.deputy, key) != value:
                setattr(row.deputy, key, value)
                dirty = True
        if dirty:
            row.deputy.updated_at = now
            changed.append(row.deputy)
    Deputy.objects.bulk_create(created)
    Deputy.objects.bulk_update(changed, [*profile, "updated_at"])
    result.created, result.updated = len(created), len(rows) - len(created)

    # Mandates (deputy + level + term is unique): added, or their district, township and status updated.
    new_mandates, changed_mandates = [], []
    for row in rows:
        for level, term in _row_mandates(row):
            district = row.county_district if level == Level.COUNTY else row.township_district
            township = row.township if level == Level.TOWNSHIP else None
            mandate = known.mandates.get((row.deputy.pk, level, term))
            if mandate is None:
                new_mandates.append(Mandate(deputy=row.deputy, level=level, term=term, township=township,
                                            electoral_district=district, started_on=on,
                                            status=row.status or MandateStatus.SERVING))
                continue
            before = (mandate.township_id, mandate.electoral_district, mandate.status)
            if township is not None:
                mandate.township = township
            mandate.electoral_district = district or mandate.electoral_district
            mandate.status = row.status or mandate.status
            if (mandate.township_id, mandate.electoral_district, mandate.status) != before:
                changed_mandates.append(mandate)
    Mandate.objects.bulk_create(new_mandates)
    Mandate.objects.bulk_update(changed_mandates, ["township", "electoral_district", "status"])
    result.mandates_created, result.mandates_updated = len(new_mandates), len(changed_mandates)

    # Stationing: no second current row at the same venue.
    new_stationings = [Stationing(deputy=row.deputy, venue=venue, started_on=on)
                       for row in rows for venue in row.venues if (row.deputy.pk, venue.pk) not in known.stationed]
    Stationing.objects.bulk_create(new_stationings)
    result.stationings_created = len(new_stationings)

    _write_groups(rows, result, {(s.deputy_id, s.venue_id) for s in new_stationings})
    _write_memberships(rows, result)


def _write_groups(rows: list[_Row], result: RosterResult, newly_stationed: set[tuple[int, int]]) -> None:
    """A deputy newly stationed at a venue joins its group (组员 unless a role is given); a given role
    is set; a blank role leaves an existing place as it is. A new leader replaces the old one, who
    stays a member (as people.services.deputies.group_member_set)."""
    by_venue: dict[int, Venue] = {}
    wanted_at: dict[tuple[int, int], str | None] = {}  # (venue, deputy) -> role, None for "a member"
    for row in rows:
        for index, venue in enumerate(row.venues):
            role = row.roles[index] if row.roles else None
            if role or (row.deputy.pk, venue.pk) in newly_stationed:
                wanted_at[(venue.pk, row.deputy.pk)] = role
                by_venue[venue.pk] = venue
    if not wanted_at:
        return
    groups = {g.venue_id: g for g in DeputyGroup.objects.filter(venue_id__in=by_venue)}
    missing = [DeputyGroup(venue=venue, name=f"{venue.name}代表小组")
               for venue in by_venue.values() if venue.pk not in groups]
    DeputyGroup.objects.bulk_create(missing)
    groups.update({g.venue_id: g for g in missing})
    members = {(m.group_id, m.deputy_id): m
               for m in GroupMember.objects.filter(group_id__in=[g.pk for g in groups.values()])}
    wanted = {(groups[venue_id].pk, deputy_id): role for (venue_id, deputy_id), role in wanted_at.items()}
    new_leaders = {group_id: deputy_id for (group_id, deputy_id), role in wanted.items()
                   if role == GroupMember.Role.LEADER}
    demoted = [m for (group_id, deputy_id), m in members.items()
               if m.role == GroupMember.Role.LEADER and new_leaders.get(group_id, deputy_id) != deputy_id]
    for member in demoted:
        member.role = GroupMember.Role.MEMBER
    GroupMember.objects.bulk_update(demoted, ["role"])  # first, so that the one-leader index never clashes
    new_members, changed = [], []
    for (group_id, deputy_id), role in wanted.items():
        member = members.get((group_id, deputy_id))
        if member is None:
            new_members.append(GroupMember(group_id=group_id, deputy_id=deputy_id,
                                           role=role or GroupMember.Role.MEMBER))
        elif role and member.role != role:
            member.role = role
            changed.append(member)
    GroupMember.objects.bulk_update(changed, ["role"])
    GroupMember.objects.bulk_create(new_members)
    result.group_places_set = len(new_members) + len(changed)


def _write_memberships(rows: list[_Row], result: RosterResult) -> None:
    """Every deputy on the roster holds the county-wide deputy role (as access.services.membership_grant)."""
    account_ids = {row.account.pk for row in rows}
    existing = {m.account_id: m for m in Membership.objects.filter(
        account_id__in=account_ids, role=Role.DEPUTY, township__isnull=True, venue__isnull=True,
        handling_unit__isnull=True)}
    inactive = [m.pk for m in existing.values() if not m.is_active]
    Membership.objects.filter(pk__in=inactive).update(is_active=True, updated_at=timezone.now())
    Membership.objects.bulk_create([Membership(account_id=pk, role=Role.DEPUTY)
                                    for pk in sorted(account_ids - set(existing))])
    result.memberships_granted = len(account_ids - set(existing)) + len(inactive)


# ---------------------------------------------------------------- export


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else "****"


def roster_export(*, actor: Actor, deputies: QuerySet[Deputy]) -> bytes:
    """The given deputies in the import's columns. ID number and birth date are left out, and the
    mobile masked, for anyone but the county administrator and township staff in whose scope the
    deputy is. A constant number of queries however many deputies."""
    qs = deputy_list().filter(pk__in=deputies.values("pk")).prefetch_related("group_memberships__group")
    deputies_ = list(qs)
    if actor.is_admin:
        full = {d.pk for d in deputies_}
    elif actor.is_township_staff:
        full = set(deputies_managed_by(actor).filter(pk__in=[d.pk for d in deputies_])
                   .values_list("pk", flat=True))
    else:
        full = set()
    covering = _covering([d.account_id for d in deputies_], timezone.localdate())
    status_label = dict(MandateStatus.choices)
    rows = []
    for deputy in deputies_:
        latest = {}
        for mandate in sorted(deputy.mandates.all(), key=lambda m: m.term):
            latest[mandate.level] = mandate
        levels = covering.get(deputy.account_id, set()) | set(latest)
        county_m, township_m = latest.get(Level.COUNTY), latest.get(Level.TOWNSHIP)
        stationings = sorted(deputy.current_stationings, key=lambda s: (s.started_on, s.pk))
        role_by_venue = {m.group.venue_id: m.role for m in deputy.group_memberships.all()}
        roles = [role_by_venue.get(s.venue_id) for s in stationings]
        own = deputy.pk in full
        status = (county_m or township_m).status if (county_m or township_m) else ""
        rows.append([
            deputy.account.name,
            deputy.account.mobile if own else mask_mobile(deputy.account.mobile),
            deputy.id_number if own else "",
            deputy.get_gender_display() if deputy.gender else "",
            deputy.ethnicity,
            deputy.birth_date.isoformat() if own and deputy.birth_date else "",
            deputy.employer,
            "、".join(LEVEL_WORD[level] for level in LEVEL_ORDER if level in levels),
            county_m.term if county_m else "",
            county_m.electoral_district if county_m else "",
            township_m.term if township_m else "",
            township_m.electoral_district if township_m else "",
            township_m.township.name if township_m and township_m.township else "",
            "、".join(s.venue.name for s in stationings),
            "、".join(str(GroupMember.Role(r).label) for r in roles) if all(roles) else "",
            str(status_label[status]) if status else "",
        ])
    return rows_to_xlsx([str(header) for _key, header in COLUMNS], rows, title=_("代表名册"))
