"""Roster import (.xlsx): the template, an all-or-nothing import with per-row errors in Chinese, re-import
that updates, the same result as the one-by-one services in fewer queries, and a sheet beyond the template
refused unread. Who may import what: test_scope.py; the API and page: test_web.py."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from access.models import Membership, Role
from audit.models import AuditEntry
from core.levels import Level, MandateStatus
from core.xlsx import rows_to_xlsx, xlsx_rows
from organisation.models import Township, Venue
from people.models import Deputy, DeputyGroup, GroupMember, Stationing
from people.selectors import deputy_list
from people.services.deputies import deputy_create, group_member_set, mandate_add, stationing_add
from people.services.roster import roster_export, roster_import, roster_template
from tenants.models import Account, RegionMandate
from tests.people.roster.files import (
    HEADERS,
    KEYS,
    ON,
    REFUSED,
    by_mobile,
    counts,
    id_number,
    person,
    roster,
    stretched,
)

pytestmark = pytest.mark.django_db




# ---------------------------------------------------------------- template


def test_template_has_the_chinese_headers_and_an_example_row(alpha):
    headers, body = xlsx_rows(roster_template())
    assert headers == ["姓名", "手机号码", "身份证号码", "性别", "民族", "出生日期", "工作单位及职务", "代表层级",
                       "县级届次", "县级选区", "乡级届次", "乡级选区", "所属乡镇", "驻站站点", "小组职务", "状态"]
    assert len(body) == 1 and body[0][1][0].endswith("（示例）")
    sheets = load_workbook(io.BytesIO(roster_template())).sheetnames
    assert sheets == ["代表名册", "填写说明", "乡镇与站点"]


def test_template_round_trip_imports_what_was_filled_in(alpha, admin):
    """Download, leave the example, fill in a row below it, upload: the example is skipped."""
    before = counts()
    untouched = roster_import(actor=admin, content=roster_template(), started_on=ON)
    assert [str(e) for e in untouched.errors] == ["文件中没有代表数据。"]
    assert counts() == before

    workbook = load_workbook(io.BytesIO(roster_template()))
    sheet = workbook["代表名册"]
    row = person()
    sheet.append([row.get(key, "") for key in KEYS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = roster_import(actor=admin, content=buffer.getvalue(), started_on=ON)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.rows, result.created) == (1, 1)
    assert by_mobile("13912340001").account.name == "李秀英"


# ---------------------------------------------------------------- a good file


def test_good_file_imports_deputies_mandates_stationing_and_group_roles(alpha, admin):
    before = counts()
    result = roster_import(actor=admin, started_on=ON, content=roster(
        person(),
        person(name="王建国", mobile="13912340002", id_number=id_number("19680712", 132), levels="乡",
               county_term="", county_district="", township_district="", group_role="副组长", status=""),
        person(name="张志强", mobile="13912340003", id_number="", levels="县", township="", township_term="",
               township_district="", venue="东镇代表之家", group_role="", birth_date="1970/5/6", gender="男"),
    ))
    assert result.ok, [str(e) for e in result.errors]
    assert result.counts() == {"rows": 3, "created": 3, "updated": 0, "accounts_created": 3, "mandates_created": 4,
                               "mandates_updated": 0, "stationings_created": 3, "group_places_set": 3,
                               "memberships_granted": 3}
    after = counts()
    assert after["deputies"] - before["deputies"] == 3 and after["accounts"] - before["accounts"] == 3

    li = by_mobile("13912340001")
    assert (li.id_number, li.gender, li.birth_date, li.ethnicity) == (
        id_number("19750304", 121), Deputy.Gender.MALE, dt.date(1975, 3, 4), "土家族")
    assert not li.account.has_usable_password()
    assert sorted((m.level, m.term, m.township_id, m.electoral_district, m.status, m.started_on)
                  for m in li.mandates.all()) == [
        (Level.COUNTY, 17, None, "第三选区", MandateStatus.SERVING, ON),
        (Level.TOWNSHIP, 19, alpha.ids["east"], "东村选区", MandateStatus.SERVING, ON)]
    assert list(li.stationings.values_list("venue_id", "started_on", "ended_on")) == [(alpha.ids["v1"], ON, None)]
    v1_group = DeputyGroup.objects.get(venue_id=alpha.ids["v1"])
    assert v1_group.name == "东村联络站代表小组"
    assert {(m.deputy.account.name, m.role) for m in v1_group.members.select_related("deputy__account")} == {
        ("李秀英", GroupMember.Role.LEADER), ("王建国", GroupMember.Role.VICE_LEADER)}
    zhang = by_mobile("13912340003")
    assert (zhang.id_number, zhang.gender, zhang.birth_date) == ("", Deputy.Gender.MALE, dt.date(1970, 5, 6))
    assert GroupMember.objects.get(deputy=zhang).role == GroupMember.Role.MEMBER  # newly stationed: a member
    assert Membership.objects.filter(account_id=zhang.account_id, role=Role.DEPUTY, is_active=True).exists()
    # 乡 level with no 所属乡镇 takes the venue's township.
    wang = by_mobile("13912340002")
    assert list(wang.mandates.values_list("level", "township_id")) == [(Level.TOWNSHIP, alpha.ids["east"])]
    audit = AuditEntry.objects.filter(action="roster.import").get()
    assert audit.data["created"] == 3 and audit.actor_id == alpha.admin_a.pk


def test_existing_account_becomes_a_deputy_without_a_new_account(alpha, admin):
    """The township staff member's account (made by the county) is found by mobile, not duplicated."""
    staff = alpha.township_staff_a
    result = roster_import(actor=admin, started_on=ON, content=roster(
        person(name=staff.name, mobile=staff.mobile, group_role="")))
    assert result.ok and (result.created, result.accounts_created) == (1, 0)
    assert by_mobile(staff.mobile).account_id == staff.pk
    assert Account.objects.get(pk=staff.pk).has_usable_password()  # their password is untouched


def test_reimport_updates_and_does_not_duplicate(alpha, admin):
    first = roster(person(), person(name="王建国", mobile="13912340002", id_number=id_number("19680712", 132),
                                    group_role="副组长"))
    assert roster_import(actor=admin, content=first, started_on=ON).ok
    once = counts()
    again = roster_import(actor=admin, content=first, started_on=ON + dt.timedelta(days=30))
    assert again.ok
    assert again.counts() == {"rows": 2, "created": 0, "updated": 2, "accounts_created": 0, "mandates_created": 0,
                              "mandates_updated": 0, "stationings_created": 0, "group_places_set": 0,
                              "memberships_granted": 0}
    assert counts() == once

    # Edited: a new employer, a new name, a new county term, a resignation of the township mandate,
    # another venue, and the leader's place moved to the other person. Matched by ID number.
    edited = roster(
        person(name="李秀英", employer="东镇农业服务中心主任", county_term=18, group_role="组员", levels="县、乡",
               status=""),
        person(name="王建国（更名）", mobile="13912340002", id_number=id_number("19680712", 132), levels="乡",
               county_term="", county_district="", status="辞职", venue="东村联络站、东镇代表之家",
               group_role="组长、组员"),
    )
    result = roster_import(actor=admin, content=edited, started_on=ON + dt.timedelta(days=60))
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.mandates_created, result.stationings_created) == (0, 2, 1, 1)
    li, wang = by_mobile("13912340001"), by_mobile("13912340002")
    assert li.employer == "东镇农业服务中心主任"
    assert sorted(li.mandates.values_list("level", "term", "status")) == [
        ("county", 17, "serving"), ("county", 18, "serving"), ("township", 19, "serving")]
    assert wang.account.name == "王建国（更名）"
    assert sorted(wang.mandates.values_list("level", "term", "status")) == [
        ("county", 17, "serving"), ("township", 19, "resigned")]
    group = DeputyGroup.objects.get(venue_id=alpha.ids["v1"])
    assert dict(group.members.values_list("deputy_id", "role")) == {li.pk: "member", wang.pk: "leader"}
    assert Stationing.objects.filter(deputy=wang, ended_on__isnull=True).count() == 2
    assert Deputy.objects.filter(account__mobile__in=["13912340001", "13912340002"]).count() == 2


def test_reimport_matches_by_mobile_when_the_id_number_is_new(alpha, admin):
    """A deputy with no ID number on record is found by mobile and gets the file's ID number."""
    number = id_number("19800101", 11, region="430525")
    result = roster_import(actor=admin, started_on=ON, content=roster(person(
        name=alpha.township_deputy_a.name, mobile=alpha.township_deputy_a.mobile, id_number="", group_role="",
        venue="", levels="乡", county_term="", county_district="", township_term=19)))
    assert result.ok and result.updated == 1
    Deputy.objects.filter(pk=alpha.ids["township_deputy"]).update(id_number="")
    result = roster_import(actor=admin, started_on=ON, content=roster(person(
        name=alpha.township_deputy_a.name, mobile=alpha.township_deputy_a.mobile, id_number=number, group_role="",
        venue="", levels="乡", county_term="", county_district="", township_term=19)))
    assert result.ok and result.updated == 1 and result.created == 0
    assert Deputy.objects.get(pk=alpha.ids["township_deputy"]).id_number == number


def test_export_then_import_changes_nothing(alpha, admin):
    assert roster_import(actor=admin, started_on=ON, content=roster(
        person(), person(name="王建国", mobile="13912340002", id_number=id_number("19680712", 132),
                         group_role="副组长"))).ok
    exported = roster_export(actor=admin, deputies=deputy_list())
    before = counts()
    snapshot = _snapshot()
    result = roster_import(actor=admin, content=exported, started_on=ON + dt.timedelta(days=1))
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 0 and result.updated == Deputy.objects.count()
    assert (result.mandates_created, result.stationings_created, result.group_places_set) == (0, 0, 0)
    assert counts() == before
    # The world's deputies had no gender or birth date on record: the ID number's are filled in.
    after = _snapshot()
    assert after.keys() == snapshot.keys()
    for mobile, record in after.items():
        derived = {"gender": snapshot[mobile]["gender"], "birth_date": snapshot[mobile]["birth_date"]}
        assert {**record, **derived} == snapshot[mobile]


# ---------------------------------------------------------------- bad input: one row error, nothing imported

BAD_ROWS = [
    ("mobile", person(mobile="1391234000"), "手机号码格式不正确（应为11位数字）"),
    ("mobile letters", person(mobile="1391234000a"), "手机号码格式不正确（应为11位数字）"),
    ("mobile missing", person(mobile=""), "手机号码不能为空"),
    ("name missing", person(name=""), "姓名不能为空"),
    ("id format", person(id_number="99010119750304122"), "身份证号码格式不正确（应为18位，最后一位可以是X）"),
    ("id letter", person(id_number="99010119750304122Y"), "身份证号码格式不正确（应为18位，最后一位可以是X）"),
    ("id birth date", person(id_number="990101197502301220"), "身份证号码中的出生日期无效"),
    ("id as number", person(id_number=990101197503041220), "身份证号码请以文本格式填写"),
    ("birth date differs", person(birth_date="1975-03-05"), "出生日期与身份证号码不符"),
    ("gender differs", person(gender="女"), "性别与身份证号码不符"),
    ("birth date format", person(id_number="", birth_date="去年"), "出生日期格式不正确"),
    ("level word", person(levels="县、市"), "代表层级“市”无法识别"),
    ("level missing", person(levels=""), "代表层级不能为空"),
    ("term word", person(county_term="十七"), "县级届次应为数字"),
    ("term missing", person(township_term=""), "代表层级含“乡”，须填写乡级届次"),
    ("term without level", person(levels="县"), "填写了乡级届次或选区，但代表层级中没有“乡”"),
    ("township unknown", person(township="南镇"), "所属乡镇“南镇”不存在或已撤销"),
    ("venue unknown", person(venue="南村联络站"), "驻站站点“南村联络站”不是本县的站点"),
    ("group role word", person(group_role="队长"), "小组职务“队长”无法识别"),
    ("group role without venue", person(venue=""), "填写小组职务须同时填写驻站站点"),
    ("status word", person(status="退休"), "状态“退休”无法识别"),
    ("province without mandate", person(levels="省、县"), "没有覆盖本地的省、州（市）代表职务"),
    ("prefecture without mandate", person(levels="州（市）"), "没有覆盖本地的省、州（市）代表职务"),
    ("resigned cannot be stationed", person(status="辞职"), "没有本县（市、区）的在任代表职务"),
    ("name too long", person(name="李" * 51), "姓名不能超过50个字"),
    ("gender word", person(gender="M"), "性别应填写“男”或“女”"),
    ("venue twice", person(venue="东村联络站、东村联络站", group_role="组长、组员"), "驻站站点“东村联络站”重复填写"),
    ("roles and venues", person(venue="东村联络站、东镇代表之家", group_role="组长"),
     "小组职务的个数应与驻站站点的个数相同"),
    ("township deputy without township", person(levels="乡", county_term="", county_district="", township="",
                                                venue="", group_role=""), "乡级代表须填写所属乡镇"),
]


@pytest.mark.parametrize("kind,bad,message", BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_bad_row_is_reported_and_nothing_is_imported(alpha, admin, kind, bad, message):
    good = person(name="王建国", mobile="13912340002", id_number=id_number("19680712", 132), group_role="")
    before = counts()
    result = roster_import(actor=admin, content=roster(good, bad), started_on=ON)
    assert not result.ok
    assert [e.row for e in result.errors] == [3]
    assert any(message in m for m in result.errors[0].messages), result.errors[0].messages
    assert str(result.errors[0]).startswith("第3行：")
    assert counts() == before
    assert not Account.objects.filter(mobile="13912340002").exists()


def test_township_and_venue_that_ended_or_closed_are_refused(alpha, admin):
    Township.objects.create(name="旧镇", ended_on=dt.date(2020, 1, 1))
    Venue.objects.filter(pk=alpha.ids["v1"]).update(status=Venue.Status.CLOSED)
    before = counts()
    result = roster_import(actor=admin, started_on=ON, content=roster(person(township="旧镇")))
    assert result.errors[0].messages == ["所属乡镇“旧镇”不存在或已撤销", "驻站站点“东村联络站”已关闭，不能驻站"]
    assert counts() == before


def test_duplicates_inside_the_file(alpha, admin):
    before = counts()
    result = roster_import(actor=admin, started_on=ON, content=roster(
        person(),
        person(name="王建国", id_number=id_number("19680712", 132), group_role=""),  # same mobile
        person(name="张志强", mobile="13912340003", group_role=""),  # same ID number
        person(name="赵敏", mobile="13912340004", id_number=id_number("19900101", 20), group_role="组长"),
    ))
    assert [str(e) for e in result.errors] == [
        "第3行：手机号码与第2行重复",
        "第4行：身份证号码与第2行重复",
        "第5行：“东村联络站”代表小组的组长已在第2行填写，每个小组只能有一名组长",
    ]
    assert counts() == before


def test_mobile_of_another_persons_id_number_is_refused(alpha, admin):
    """deputy_a's mobile with a different ID number: not the same person, so not an update."""
    before = counts()
    result = roster_import(actor=admin, started_on=ON, content=roster(
        person(name="冒名", mobile=alpha.deputy_a.mobile, id_number=id_number("19750304", 121))))
    assert result.errors[0].row == 2
    assert "已属于本县名册中另一名代表" in result.errors[0].messages[0]
    # And the other way: deputy_a's ID number with someone else's (existing deputy's) mobile.
    result = roster_import(actor=admin, started_on=ON, content=roster(
        person(name="冒名", mobile=alpha.township_deputy_a.mobile, id_number="430525198001010011")))
    assert "已属于本县名册中另一名代表" in result.errors[0].messages[0]
    # deputy_a's ID number with a fresh mobile: changing a login is not done by an import.
    result = roster_import(actor=admin, started_on=ON, content=roster(
        person(name="甲县县代表", mobile="13912349999", id_number="430525198001010011")))
    assert "更换登录手机号码不能通过名册导入办理" in result.errors[0].messages[0]
    assert counts() == before


def test_wrong_file_and_missing_columns(alpha, admin):
    assert [str(e) for e in roster_import(actor=admin, content=b"not a workbook").errors] == [
        "文件不是有效的 Excel（.xlsx）文件。"]
    no_mobile = roster(person(), headers=[h if h != "手机号码" else "电话" for h in HEADERS])
    assert [str(e) for e in roster_import(actor=admin, content=no_mobile).errors] == [
        "第1行：缺少必填列：手机号码（请使用代表名册模板）"]


def test_a_file_that_inflates_beyond_the_limit_is_refused_unread(alpha, admin, monkeypatch):
    import core.xlsx_import as reader  # the roster reads through the shared all-or-nothing reader

    content = roster(*[person(name=f"代表{i}", mobile=f"139123{i:05d}", id_number="", group_role="")
                       for i in range(200)])
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 20_000)
    monkeypatch.setattr(reader, "xlsx_rows", lambda content, **limits: pytest.fail("a bomb must not be parsed"))
    assert [str(e) for e in roster_import(actor=admin, content=content).errors] == [
        "文件内容过大，请分批导入（一次最多20000行）。"]


def test_columns_may_be_reordered_and_cells_typed_loosely(alpha, admin):
    """Columns found by header; a mobile typed as a number, full-width digits, 第17届, 2024年1月1日."""
    order = list(reversed(HEADERS))
    row = person(mobile=13912340001, county_term="第17届", township_term="１９", birth_date="1975年3月4日",
                 levels="县级，乡镇")
    content = rows_to_xlsx(order, [[row.get(KEYS[HEADERS.index(h)], "") for h in order]])
    result = roster_import(actor=admin, content=content, started_on=ON)
    assert result.ok, [str(e) for e in result.errors]
    assert sorted(by_mobile("13912340001").mandates.values_list("level", "term")) == [
        ("county", 17), ("township", 19)]


# ---------------------------------------------------------------- the same as the services, fewer queries


def _snapshot() -> dict[str, dict]:
    """Everything the county holds about each deputy, with no ids or timestamps."""
    result = {}
    for d in Deputy.objects.select_related("account").prefetch_related(
            "mandates__township", "stationings__venue", "group_memberships__group__venue"):
        result[d.account.mobile] = {
            "name": d.account.name, "usable_password": d.account.has_usable_password(),
            "id_number": d.id_number, "gender": d.gender, "ethnicity": d.ethnicity, "birth_date": d.birth_date,
            "employer": d.employer,
            "mandates": sorted((m.level, m.term, m.township.name if m.township else "", m.electoral_district,
                                m.status, m.started_on, m.ended_on) for m in d.mandates.all()),
            "stationings": sorted((s.venue.name, s.started_on, s.ended_on) for s in d.stationings.all()),
            "groups": sorted((g.group.venue.name, g.group.name, g.role) for g in d.group_memberships.all()),
            "memberships": sorted(Membership.objects.filter(account_id=d.account_id)
                                  .values_list("role", "is_active", "township_id", "venue_id")),
        }
    return result


class _Undo(Exception):
    pass


def test_import_equals_the_one_by_one_services(alpha, admin):
    v1 = Venue.objects.get(pk=alpha.ids["v1"])
    group_member_set(actor=admin, venue=v1, deputy=Deputy.objects.get(pk=alpha.ids["deputy"]), role="leader")
    RegionMandate.objects.create(account=Account.objects.create_user("13912348888", "省代表"), level=Level.PROVINCE,
                                 province=alpha.province, term=14, started_on=dt.date(2023, 1, 1))
    rows = [
        person(),  # the leader of v1's group now: deputy_a stays a member
        person(name="王建国", mobile="13912340002", id_number=id_number("19680712", 132), levels="乡",
               county_term="", county_district="", group_role="副组长"),
        person(name="省代表", mobile="13912348888", id_number="", levels="省", county_term="", county_district="",
               township_term="", township_district="", township="", venue="东镇代表之家", group_role=""),
        person(name=alpha.township_staff_a.name, mobile=alpha.township_staff_a.mobile,
               id_number=id_number("19850101", 41), levels="乡", county_term="", county_district="",
               township="西乡", venue="西村联络站", group_role="联络员"),
    ]
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as bulk_queries:
                assert roster_import(actor=admin, content=roster(*rows), started_on=ON).ok
            imported = _snapshot()
            raise _Undo
    except _Undo:
        pass
    assert "13912340001" not in _snapshot()

    with CaptureQueriesContext(connection) as service_queries:
        for row in rows:
            fields = {"ethnicity": row["ethnicity"], "employer": row["employer"]}
            if row["id_number"]:
                fields.update(id_number=row["id_number"], gender="male" if int(row["id_number"][16]) % 2 else "female",
                              birth_date=dt.date(int(row["id_number"][6:10]), int(row["id_number"][10:12]),
                                                 int(row["id_number"][12:14])))
            deputy = deputy_create(actor=admin, mobile=row["mobile"], name=row["name"], **fields)
            if "县" in row["levels"]:
                mandate_add(actor=admin, deputy=deputy, level=Level.COUNTY, term=row["county_term"], started_on=ON,
                            electoral_district=row["county_district"])
            if "乡" in row["levels"]:
                mandate_add(actor=admin, deputy=deputy, level=Level.TOWNSHIP, term=row["township_term"],
                            started_on=ON, township=Township.objects.get(name=row["township"]),
                            electoral_district=row["township_district"])
            venue = Venue.objects.get(name=row["venue"])
            stationing_add(actor=admin, deputy=deputy, venue=venue, started_on=ON)
            role = {"组长": "leader", "副组长": "vice_leader", "联络员": "liaison_officer", "": "member"}[
                row["group_role"]]
            group_member_set(actor=admin, venue=venue, deputy=deputy, role=role)
    assert _snapshot() == imported
    assert len(bulk_queries) < len(service_queries)


def test_import_runs_a_constant_number_of_queries(alpha, admin):
    def queries(n: int, offset: int) -> int:
        content = roster(*[person(name=f"代表{i}", mobile=f"139123{i:05d}", id_number=id_number("19800101", i),
                                  group_role="组员") for i in range(offset, offset + n)])
        with CaptureQueriesContext(connection) as captured:
            assert roster_import(actor=admin, content=content, started_on=ON).ok
        return len(captured)

    queries(1, 900)  # makes v1's group
    assert queries(3, 0) == queries(60, 100) <= 25


@pytest.mark.parametrize("shape", [
    {}, {"declared": False}, {"far_row": False, "declared": False}, {"far_column": False, "declared": False},
])
def test_a_sheet_reaching_past_the_template_is_refused_at_once(alpha, admin, shape):
    content = stretched(roster(person()), **shape)
    assert len(content) < 10_000
    # Read whole, a file reaching XFD is 16,384 columns a row for a million rows: hours of this process's
    # CPU. The bound is CPU time, which a loaded machine does not stretch as it does the wall clock (a
    # 1-second wall-clock bound failed once in CI at 1.015 s with the refusal itself taking 8 ms).
    started = time.process_time()
    errors = roster_import(actor=admin, content=content).errors
    assert time.process_time() - started < 5.0
    assert [str(e) for e in errors] == [REFUSED]


def test_a_sheet_within_the_limits_that_declares_too_small_a_size_is_read_whole(alpha, admin):
    content = stretched(roster(person(), person(name="王五", mobile="13912340002", id_number="", group_role="组员")),
                         far_column=False, far_row=False)
    content = content.replace(b"A1:P2", b"A1:B1")  # a writer that under-declares: openpyxl alone would cut
    result = roster_import(actor=admin, content=content)
    assert result.ok and result.rows == 2
