"""Reading a roster file and checking every row: its own cells, then against what the county holds."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from access.scope import Actor
from core.files import mask_mobile
from core.levels import Level, MandateStatus
from core.xlsx_import import FileRefused, RowError, check_file, read_table
from core.xlsx_import import cell_date as _date
from core.xlsx_import import cell_digits as _digits
from core.xlsx_import import cell_text as _text
from organisation.models import Township, Venue
from people.models import Deputy, GroupMember, Mandate
from tenants.models import Account, RegionMandate
from tenants.selectors import current_county

from .columns import (
    COLUMNS,
    GENDER_WORDS,
    ID_NUMBER,
    LEVEL_WORD,
    LEVEL_WORDS,
    MAX_LENGTHS,
    MOBILE,
    REQUIRED,
    ROLE_WORDS,
    SEPARATORS,
    STATUS_WORDS,
    _term,
    id_number_birth_date,
    id_number_gender,
)

MAX_ROWS = 20000


def _read(content: bytes) -> tuple[list[tuple[int, dict]], list[RowError]]:
    try:
        check_file(content, max_rows=MAX_ROWS)
        rows = read_table(content, columns=COLUMNS, required=REQUIRED, max_rows=MAX_ROWS,
                          template=_("代表名册模板"))
    except FileRefused as refused:
        return [], [refused.error]
    if not rows:
        return [], [RowError(None, [_("文件中没有代表数据。")])]
    return rows, []


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
    if known.managed is not None and row.deputy is not None and row.deputy.pk not in known.managed:
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
