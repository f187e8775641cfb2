"""Who and what a roster import reaches: province and prefecture deputies with a mandate covering the
county, township staff within their township, and the personal data the export shows to each role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.levels import Level
from core.xlsx import xlsx_rows
from people.actors import actor_for
from people.models import Deputy, Mandate, Stationing
from people.selectors import deputies_managed_by, deputy_list
from people.services.roster import roster_export, roster_import
from tenants.models import Account, Province, RegionMandate
from tests.people.roster.files import (
    HEADERS,
    ON,
    by_mobile,
    counts,
    id_number,
    person,
    roster,
)

pytestmark = pytest.mark.django_db




# ---------------------------------------------------------------- province and prefecture deputies


def test_province_deputy_needs_a_region_mandate_covering_this_county(alpha, admin):
    row = person(name="省代表", mobile="13912348888", levels="省", county_term="", county_district="",
                 township_term="", township_district="", township="", group_role="")
    account = Account.objects.create_user("13912348888", "省代表")
    other = Province.objects.create(name="另一省", division_code="980000")
    RegionMandate.objects.create(account=account, level=Level.PROVINCE, province=other, term=13,
                                 started_on=dt.date(2023, 1, 1))
    refused = roster_import(actor=admin, started_on=ON, content=roster(row))
    assert [str(e) for e in refused.errors] == [
        "第2行：省代表 没有覆盖本地的省、州（市）代表职务（省级），须先由上级人大登记；"
        "省代表 没有本县（市、区）的在任代表职务，也没有覆盖本地的省、州（市）代表职务，不能在此驻站"]
    assert not Deputy.objects.filter(account=account).exists()

    RegionMandate.objects.create(account=account, level=Level.PROVINCE, province=alpha.province, term=14,
                                 started_on=dt.date(2023, 1, 1))
    accepted = roster_import(actor=admin, started_on=ON, content=roster(row))
    assert accepted.ok and accepted.created == 1
    deputy = by_mobile("13912348888")
    assert deputy.mandates.count() == 0  # the mandate stays with the province
    assert deputy.stationings.get().venue_id == alpha.ids["v1"]
    levels = xlsx_rows(roster_export(actor=admin, deputies=Deputy.objects.filter(pk=deputy.pk)))[1][0][1][7]
    assert levels == "省"


def test_prefecture_deputy_with_a_mandate_of_this_prefecture(alpha, admin):
    account = Account.objects.create_user("13912347777", "州代表")
    RegionMandate.objects.create(account=account, level=Level.PREFECTURE, province=alpha.province,
                                 prefecture=alpha.prefecture, term=8, started_on=dt.date(2022, 1, 1))
    result = roster_import(actor=admin, started_on=ON, content=roster(person(
        name="州代表", mobile="13912347777", levels="州（市）、县", township_term="", township_district="",
        township="", group_role="联络员")))
    assert result.ok, [str(e) for e in result.errors]
    assert list(by_mobile("13912347777").mandates.values_list("level", flat=True)) == ["county"]


# ---------------------------------------------------------------- who may import


def test_township_staff_import_only_rows_of_their_township(alpha):
    staff = actor_for(alpha.township_staff_a)
    township_only = {"levels": "乡", "county_term": "", "county_district": ""}
    before = counts()
    result = roster_import(actor=staff, started_on=ON, content=roster(
        person(**township_only),
        person(name="西乡代表", mobile="13912340005", id_number="", township="西乡", venue="西村联络站",
               group_role="", **township_only),
        person(name="无乡镇代表", mobile="13912340006", id_number="", township="", venue="", group_role="",
               township_term="", township_district="", levels="县"),
        person(name=alpha.deputy_a.name, mobile="13700000013", id_number="", group_role="",
               **township_only),  # the west township's deputy
        person(name="县代表", mobile="13912340007", id_number="", group_role=""),  # 县、乡: a new county mandate
    ))
    assert [e.row for e in result.errors] == [3, 4, 5, 6]
    assert result.errors[0].messages == ["所属乡镇“西乡”不在您的管辖范围内", "驻站站点“西村联络站”不在您的管辖范围内"]
    assert result.errors[1].messages == ["请填写本乡镇的所属乡镇或驻站站点",
                                         "县级代表职务由县人大常委会登记，乡镇（街道）不能新增或修改（县级第17届）"]
    assert result.errors[2].messages == ["该代表不在您的管辖范围内，请联系县人大常委会办理"]
    assert result.errors[3].messages == ["县级代表职务由县人大常委会登记，乡镇（街道）不能新增或修改（县级第17届）"]
    assert counts() == before
    assert roster_import(actor=staff, started_on=ON, content=roster(person(**township_only))).ok


def test_township_staff_cannot_move_a_mandate_of_another_township(alpha):
    """The west township's deputy, stationed in the east town too, is within east staff's reach; their
    west township mandate is not."""
    Stationing.objects.create(deputy_id=alpha.ids["west_deputy"], venue_id=alpha.ids["home"], started_on=ON)
    staff = actor_for(alpha.township_staff_a)
    before = counts()
    result = roster_import(actor=staff, started_on=ON, content=roster(person(
        name="甲县乡代表", mobile="13700000013", id_number="430525198001010013", levels="乡", county_term="",
        county_district="", township="东镇", venue="东镇代表之家", group_role="")))
    assert [str(e) for e in result.errors] == ["第2行：该代表的乡级第19届代表职务属于其他乡镇，不在您的管辖范围内"]
    assert counts() == before
    assert Mandate.objects.get(deputy_id=alpha.ids["west_deputy"]).township_id == alpha.ids["west"]


def test_township_staff_reimport_their_export_with_county_mandates_unchanged(alpha):
    """A county deputy of their township keeps the county mandate the county recorded: no error."""
    staff = actor_for(alpha.township_staff_a)
    exported = roster_export(actor=staff, deputies=deputies_managed_by(staff))
    assert {v[0] for _n, v in xlsx_rows(exported)[1]} == {"甲县县代表", "甲县镇代表"}
    result = roster_import(actor=staff, content=exported, started_on=ON)
    assert result.ok, [str(e) for e in result.errors]
    assert result.updated == 2 and result.mandates_created == 0


def test_earlier_stationing_that_ends_after_the_start_is_refused(alpha, admin):
    Stationing.objects.filter(deputy_id=alpha.ids["deputy"]).update(ended_on=ON + dt.timedelta(days=10))
    row = person(name=alpha.deputy_a.name, mobile=alpha.deputy_a.mobile, id_number="430525198001010011",
                 levels="县", township="", township_term="", township_district="", group_role="")
    result = roster_import(actor=admin, started_on=ON, content=roster(row))
    assert [str(e) for e in result.errors] == [
        "第2行：该代表在“东村联络站”的上一次驻站到 2024-01-25 才结束，进站日期须在其后"]
    assert roster_import(actor=admin, started_on=ON + dt.timedelta(days=11), content=roster(row)).ok


def test_mandate_that_ended_does_not_allow_stationing(alpha, admin):
    """deputy_a's county mandate ended before the import's date: not in force, so no new stationing."""
    Mandate.objects.filter(deputy_id=alpha.ids["deputy"]).update(ended_on=ON - dt.timedelta(days=1))
    row = person(name=alpha.deputy_a.name, mobile=alpha.deputy_a.mobile, id_number="430525198001010011",
                 levels="县", township="", township_term="", township_district="", group_role="",
                 venue="东镇代表之家", county_district="")
    result = roster_import(actor=admin, started_on=ON, content=roster(row))
    assert "没有本县（市、区）的在任代表职务" in str(result.errors[0])
    assert roster_import(actor=admin, started_on=ON - dt.timedelta(days=5), content=roster(row)).ok


@pytest.mark.parametrize("who", ["station_staff_a", "deputy_a", "unit_a"])
def test_other_roles_may_not_import(alpha, who):
    with pytest.raises(PermissionDenied):
        roster_import(actor=actor_for(getattr(alpha, who)), content=roster(person()))


# ---------------------------------------------------------------- export


def _export_rows(actor) -> dict[str, list]:
    headers, body = xlsx_rows(roster_export(actor=actor, deputies=deputy_list()))
    assert headers == HEADERS
    return {values[0]: values for _n, values in body}


def test_export_shows_personal_data_to_the_county_admin(alpha, admin):
    assert roster_import(actor=admin, started_on=ON, content=roster(person())).ok
    rows = _export_rows(admin)
    assert rows["李秀英"] == ["李秀英", "13912340001", id_number("19750304", 121), "男", "土家族", "1975-03-04",
                           "东村党支部书记", "县、乡", 17, "第三选区", 19, "东村选区", "东镇", "东村联络站", "组长",
                           "在任"]
    assert rows["甲县县代表"][:3] == ["甲县县代表", "13700000011", "430525198001010011"]


def test_export_hides_personal_data_from_other_roles(alpha, admin):
    assert roster_import(actor=admin, started_on=ON, content=roster(person())).ok
    for who in ("station_staff_a", "deputy_a", "unit_a"):
        rows = _export_rows(actor_for(getattr(alpha, who)))
        assert rows["李秀英"][:7] == ["李秀英", "139****0001", None, "男", "土家族", None, "东村党支部书记"]
        assert all(r[2] is None and r[5] is None and "****" in r[1] for r in rows.values())
    # Township staff of the east town see their township's deputies in full, the others masked.
    rows = _export_rows(actor_for(alpha.township_staff_a))
    assert rows["甲县镇代表"][1:3] == ["13700000012", "430525198001010012"]
    assert rows["李秀英"][5] == "1975-03-04"
    assert rows["甲县乡代表"][1:3] == ["137****0013", None]


def test_export_runs_a_constant_number_of_queries(alpha, admin):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            roster_export(actor=admin, deputies=deputy_list())
        return len(captured)

    def add(n: int, offset: int) -> None:
        assert roster_import(actor=admin, started_on=ON, content=roster(*[
            person(name=f"代表{i}", mobile=f"139123{i:05d}", id_number=id_number("19800101", i), group_role="")
            for i in range(offset, offset + n)])).ok

    add(1, 0)
    few = queries()
    add(40, 100)
    assert queries() == few <= 14  # 10, and the export's audit row (savepoint, chain lock, last hash, insert)
