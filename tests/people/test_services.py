"""The people context's domain layer: deputies, mandates, stationing, groups and the scoped selectors,
called as services with actors from the World (tests/conftest.py; the cast in tests/people/conftest.py).
Pairing: test_pairing_services.py."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from access.models import Membership, Role
from core.levels import Level, MandateStatus
from organisation.models import Township, Venue
from people.actors import actor_for
from people.models import Deputy, GroupMember, Mandate, Stationing
from people.selectors import deputies_managed_by, deputy_list
from people.services.deputies import (
    deputy_create,
    deputy_update,
    group_member_set,
    mandate_add,
    may_add_mandates,
    stationing_add,
    stationing_allowed,
    stationing_end,
)
from tenants.models import Account, Prefecture, Province, RegionMandate

pytestmark = pytest.mark.django_db

START = dt.date(2021, 10, 1)
ON = dt.date(2024, 3, 1)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- deputy_create / deputy_update ------------------------------------------------------------------


def test_deputy_create_makes_an_account_and_grants_the_deputy_membership(cast):
    deputy = deputy_create(actor=cast.admin, mobile="13912345678", name="新代表", employer="某村村委会主任")
    account = Account.objects.get(mobile="13912345678")
    assert deputy.account_id == account.pk and account.name == "新代表"
    assert not account.has_usable_password()  # until the first login
    assert Membership.objects.filter(account_id=account.pk, role=Role.DEPUTY, is_active=True).exists()
    assert actor_for(account).deputy_id == deputy.pk


def test_deputy_create_reuses_the_account_of_the_mobile(cast):
    accounts = Account.objects.count()
    deputy = deputy_create(actor=cast.admin, mobile=cast.world.outsider.mobile, name="别的名字")
    assert deputy.account_id == cast.world.outsider.pk and Account.objects.count() == accounts
    assert Account.objects.get(pk=cast.world.outsider.pk).name == cast.world.outsider.name


def test_deputy_create_refuses_the_same_mobile_twice(cast):
    before = Deputy.objects.count()
    with pytest.raises(ValidationError) as error:
        deputy_create(actor=cast.admin, mobile=cast.world.deputy_a.mobile, name="重复")
    assert "该手机号码的代表已在名册中。" in error.value.message_dict["mobile"]
    assert Deputy.objects.count() == before


@pytest.mark.parametrize("mobile, fields, field, message", [
    ("12345", {}, "mobile", "请输入11位中国大陆手机号码。"),
    ("13912340001", {"id_number": "123"}, "id_number", "身份证号码应为18位，最后一位可以是X。"),
    ("13912340002", {"id_number": "430525198001010011"}, "id_number", "该身份证号码已登记在另一位代表名下。"),
])
def test_deputy_create_refuses_bad_rows_in_chinese_and_saves_nothing(cast, mobile, fields, field, message):
    accounts, deputies = Account.objects.count(), Deputy.objects.count()
    with pytest.raises(ValidationError) as error:
        deputy_create(actor=cast.admin, mobile=mobile, name="某人", **fields)
    assert message in error.value.message_dict[field]
    assert (Account.objects.count(), Deputy.objects.count()) == (accounts, deputies)


def test_deputy_create_by_role(cast):
    for actor in (cast.deputy_actor, cast.unit):
        with pytest.raises(PermissionDenied):
            deputy_create(actor=actor, mobile="13912340003", name="某人")
    assert not Account.objects.filter(mobile="13912340003").exists()


def test_deputy_services_set_only_profile_fields(cast):
    with pytest.raises(TypeError):
        deputy_create(actor=cast.admin, mobile="13912340004", name="某人", id=cast.deputy.pk)
    with pytest.raises(TypeError):
        deputy_update(actor=cast.admin, deputy=cast.township_deputy, account_id=cast.world.outsider.pk)
    assert Deputy.objects.get(pk=cast.deputy.pk).account_id == cast.world.deputy_a.pk
    assert Deputy.objects.get(pk=cast.township_deputy.pk).account_id == cast.world.township_deputy_a.pk


def test_deputy_update_by_scope(cast):
    deputy_update(actor=cast.admin, deputy=cast.west_deputy, name="改名", id_number="430525198001019999")
    row = Deputy.objects.select_related("account").get(pk=cast.west_deputy.pk)
    assert (row.account.name, row.id_number) == ("改名", "430525198001019999")
    # township staff: deputies of their township, every field
    deputy_update(actor=cast.township_staff, deputy=cast.township_deputy, employer="东镇党委", name="东镇代表")
    assert Deputy.objects.get(pk=cast.township_deputy.pk).employer == "东镇党委"
    with pytest.raises(PermissionDenied):
        deputy_update(actor=cast.township_staff, deputy=cast.west_deputy, employer="x")
    # station staff: deputies stationed at their venue
    deputy_update(actor=cast.station_staff, deputy=cast.west_deputy, ethnicity="土家族")
    with pytest.raises(PermissionDenied):
        deputy_update(actor=cast.station_staff, deputy=cast.deputy, ethnicity="苗族")
    # the deputy: their own card only
    deputy_update(actor=cast.deputy_actor, deputy=cast.deputy, public_phone="0718-1234567", bio="简介")
    assert Deputy.objects.get(pk=cast.deputy.pk).public_phone == "0718-1234567"
    for fields in ({"id_number": "430525198001018888"}, {"employer": "x"}, {"name": "新名"},
                   {"bio": "x", "birth_date": dt.date(1980, 1, 1)}):
        with pytest.raises(PermissionDenied):
            deputy_update(actor=cast.deputy_actor, deputy=cast.deputy, **fields)
    with pytest.raises(PermissionDenied):
        deputy_update(actor=cast.deputy_actor, deputy=cast.township_deputy, bio="不是我")
    with pytest.raises(PermissionDenied):
        deputy_update(actor=cast.unit, deputy=cast.deputy, bio="x")
    row = Deputy.objects.select_related("account").get(pk=cast.deputy.pk)
    assert row.id_number != "430525198001018888" and row.account.name == cast.world.deputy_a.name


def test_staff_who_are_deputies_edit_their_own_record_only_as_deputies(cast):
    """Station staff of v2 who are also a deputy (stationed elsewhere) may not rewrite their own ID number."""
    me = deputy_create(actor=cast.admin, mobile=cast.world.station_staff_a.mobile, name="站员代表")
    actor = actor_for(cast.world.station_staff_a)
    assert actor.is_station_staff and actor.deputy_id == me.pk
    deputy_update(actor=actor, deputy=me, bio="我的简介")
    with pytest.raises(PermissionDenied):
        deputy_update(actor=actor, deputy=me, id_number="430525198001017777")
    assert Deputy.objects.get(pk=me.pk).id_number == ""


def test_deputy_photo_must_be_an_image(cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(ValidationError) as error:
        deputy_update(actor=cast.deputy_actor, deputy=cast.deputy,
                      photo=SimpleUploadedFile("me.png", b"<html>not a photo</html>"))
    assert "文件不是有效的图片（支持JPEG、PNG、WEBP）。" in error.value.message_dict["photo"]
    assert not Deputy.objects.get(pk=cast.deputy.pk).photo
    deputy_update(actor=cast.deputy_actor, deputy=cast.deputy, photo=SimpleUploadedFile("me.png", _png()))
    assert Deputy.objects.get(pk=cast.deputy.pk).photo.name.endswith(".png")


# --- mandates ---------------------------------------------------------------------------------------------


def test_mandate_ending_before_it_starts_is_refused_and_the_database_agrees(cast):
    before = Mandate.objects.count()
    with pytest.raises(ValidationError) as error:
        mandate_add(actor=cast.admin, deputy=cast.deputy, level=Level.COUNTY, term=18, started_on=ON,
                    ended_on=ON - dt.timedelta(days=1))
    assert "终止日期不能早于起始日期。" in error.value.message_dict["ended_on"]
    assert Mandate.objects.count() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(deputy=cast.deputy, level=Level.COUNTY, term=18, started_on=ON,
                               ended_on=ON - dt.timedelta(days=1))
    assert Mandate.objects.count() == before


def test_mandate_levels(cast):
    with pytest.raises(ValidationError) as error:
        mandate_add(actor=cast.admin, deputy=cast.deputy, level=Level.TOWNSHIP, term=19, started_on=START)
    assert "乡镇级代表须选择所属乡镇。" in error.value.message_dict["township"]
    for level in (Level.PROVINCE, Level.PREFECTURE):
        with pytest.raises(ValidationError) as error:
            mandate_add(actor=cast.admin, deputy=cast.deputy, level=level, term=14, started_on=START)
        assert "省、州（市）人大代表的职务由上级人大登记。" in error.value.message_dict["level"]
    Township.objects.filter(pk=cast.west.pk).update(ended_on=ON)
    with pytest.raises(ValidationError) as error:
        mandate_add(actor=cast.admin, deputy=cast.deputy, level=Level.TOWNSHIP, term=19, started_on=START,
                    township=Township.objects.get(pk=cast.west.pk))
    assert "已经撤销" in _messages(error.value)
    with pytest.raises(ValidationError):  # the same level and term twice
        mandate_add(actor=cast.admin, deputy=cast.deputy, level=Level.COUNTY, term=17, started_on=START)
    # two levels at once is normal
    both = mandate_add(actor=cast.admin, deputy=cast.deputy, level=Level.TOWNSHIP, term=19, started_on=START,
                       township=cast.east)
    assert both.township_id == cast.east.pk
    assert set(cast.deputy.mandates.values_list("level", flat=True)) == {Level.COUNTY, Level.TOWNSHIP}


def test_mandate_add_by_scope(cast):
    mandate_add(actor=cast.township_staff, deputy=cast.township_deputy, level=Level.TOWNSHIP, term=20,
                started_on=START, township=cast.east)
    before = Mandate.objects.count()
    for actor, deputy, level, township in [
        (cast.township_staff, cast.township_deputy, Level.TOWNSHIP, cast.west),  # another township
        (cast.township_staff, cast.township_deputy, Level.COUNTY, None),  # the county's business
        (cast.township_staff, cast.west_deputy, Level.TOWNSHIP, cast.east),  # a deputy out of reach
        (cast.station_staff, cast.west_deputy, Level.TOWNSHIP, cast.west),
        (cast.station_staff, cast.west_deputy, Level.COUNTY, None),
        (cast.deputy_actor, cast.deputy, Level.TOWNSHIP, cast.east),
        (cast.unit, cast.deputy, Level.COUNTY, None),
    ]:
        with pytest.raises(PermissionDenied):
            mandate_add(actor=actor, deputy=deputy, level=level, term=21, started_on=START, township=township)
    with pytest.raises(PermissionDenied):
        mandate_add(actor=cast.deputy_actor, deputy=cast.deputy, level=Level.PROVINCE, term=14, started_on=START)
    assert Mandate.objects.count() == before


def test_who_adds_mandates(cast):
    """The deputy page's link and form, and mandate_add's first gate."""
    assert may_add_mandates(cast.admin, cast.west_deputy)
    assert may_add_mandates(cast.township_staff, cast.township_deputy)
    assert not may_add_mandates(cast.township_staff, cast.west_deputy)  # out of their reach
    for actor in (cast.station_staff, cast.deputy_actor, cast.unit):
        assert not may_add_mandates(actor, cast.deputy)


def test_township_staff_give_a_newly_registered_deputy_a_first_mandate(cast):
    newcomer = deputy_create(actor=cast.township_staff, mobile="13711112222", name="新代表")
    assert not deputies_managed_by(cast.township_staff).filter(pk=newcomer.pk).exists()  # in nobody's scope yet
    assert may_add_mandates(cast.township_staff, newcomer) and not may_add_mandates(cast.station_staff, newcomer)
    with pytest.raises(PermissionDenied):  # not in another township
        mandate_add(actor=cast.township_staff, deputy=newcomer, level=Level.TOWNSHIP, term=19, started_on=START,
                    township=cast.west)
    mandate_add(actor=cast.township_staff, deputy=newcomer, level=Level.TOWNSHIP, term=19, started_on=START,
                township=cast.east)
    assert deputies_managed_by(cast.township_staff).filter(pk=newcomer.pk).exists()
    with pytest.raises(PermissionDenied):  # no longer fresh: west township staff could not take them now
        mandate_add(actor=actor_for(cast.world.station_staff_a), deputy=newcomer, level=Level.TOWNSHIP,
                    term=20, started_on=START, township=cast.west)


# --- stationing -------------------------------------------------------------------------------------------


def _region_mandate(account, **fields) -> RegionMandate:
    with schema_context("public"):
        fields.setdefault("term", 14)
        fields.setdefault("started_on", START)
        fields.setdefault("level", Level.PREFECTURE if fields.get("prefecture") else Level.PROVINCE)
        return RegionMandate.objects.create(account=account, **fields)


def test_stationing_without_a_mandate_that_allows_it_is_refused(cast):
    deputy = cast.new_deputy("无职务")
    with pytest.raises(ValidationError) as error:
        stationing_add(actor=cast.admin, deputy=deputy, venue=cast.v1, started_on=ON)
    message = "没有本县（市、区）的在任代表职务，也没有覆盖本地的省、州（市）代表职务，不能在此驻站。"
    assert message in _messages(error.value)
    assert not Stationing.objects.filter(deputy=deputy).exists()


def test_stationing_needs_a_mandate_in_force_on_the_day(cast):
    deputy = cast.new_deputy("卸任代表")
    mandate_add(actor=cast.admin, deputy=deputy, level=Level.COUNTY, term=16, started_on=dt.date(2016, 10, 1),
                ended_on=dt.date(2021, 9, 30))
    assert not stationing_allowed(deputy, ON)
    with pytest.raises(ValidationError):
        stationing_add(actor=cast.admin, deputy=deputy, venue=cast.v1, started_on=ON)
    assert stationing_allowed(deputy, dt.date(2020, 1, 1))  # a past stationing, while the mandate ran
    resigned = cast.new_deputy("辞职代表")
    mandate_add(actor=cast.admin, deputy=resigned, level=Level.COUNTY, term=17, started_on=START,
                status=MandateStatus.RESIGNED)
    assert not stationing_allowed(resigned, ON)


def test_province_and_prefecture_deputies_of_this_region_may_be_stationed(cast):
    world = cast.world
    province_deputy = cast.new_deputy("省代表")
    _region_mandate(province_deputy.account, province=world.province)
    prefecture_deputy = cast.new_deputy("州代表")
    _region_mandate(prefecture_deputy.account, province=world.province, prefecture=world.prefecture)
    for deputy in (province_deputy, prefecture_deputy):
        stationing = stationing_add(actor=cast.admin, deputy=deputy, venue=cast.v1, started_on=ON)
        assert stationing.pk and stationing.deputy_id == deputy.pk


def test_province_and_prefecture_deputies_of_elsewhere_may_not(cast):
    world = cast.world
    with schema_context("public"):
        other_province = Province.objects.create(name="他省", division_code="980000")
        other_prefecture = Prefecture.objects.create(name="他省某州", division_code="980100", province=other_province)
        sister = Prefecture.objects.create(name="本省另州", division_code="990200", province=world.province)
    cases = [
        {"province": other_province},
        {"province": other_province, "prefecture": other_prefecture},
        {"province": world.province, "prefecture": sister},
        {"province": world.province, "status": MandateStatus.RESIGNED},
        {"province": world.province, "ended_on": dt.date(2023, 12, 31)},
        {"province": world.province, "started_on": dt.date(2024, 6, 1)},
    ]
    for n, fields in enumerate(cases):
        deputy = cast.new_deputy(f"外地代表{n}")
        _region_mandate(deputy.account, **fields)
        with pytest.raises(ValidationError) as error:
            stationing_add(actor=cast.admin, deputy=deputy, venue=cast.v1, started_on=ON)
        assert "不能在此驻站" in _messages(error.value), fields
        assert not Stationing.objects.filter(deputy=deputy).exists()


def test_same_deputy_stationed_twice_at_once_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        stationing_add(actor=cast.admin, deputy=cast.deputy, venue=cast.v1, started_on=ON)
    assert "该代表已在此站点驻站。" in _messages(error.value)
    assert Stationing.objects.filter(deputy=cast.deputy, venue=cast.v1).count() == 1


def test_a_new_stationing_may_not_overlap_an_ended_one(cast):
    stationing = Stationing.objects.get(deputy=cast.deputy, venue=cast.v1)
    stationing_end(actor=cast.admin, stationing=stationing, ended_on=dt.date(2023, 6, 30))
    with pytest.raises(ValidationError) as error:
        stationing_add(actor=cast.admin, deputy=cast.deputy, venue=cast.v1, started_on=dt.date(2023, 1, 1))
    assert "2023-06-30" in _messages(error.value)
    again = stationing_add(actor=cast.admin, deputy=cast.deputy, venue=cast.v1, started_on=dt.date(2023, 7, 1))
    assert again.started_on == dt.date(2023, 7, 1)


def test_stationing_at_a_closed_venue_is_refused(cast):
    Venue.objects.filter(pk=cast.v2.pk).update(status=Venue.Status.CLOSED)
    with pytest.raises(ValidationError) as error:
        stationing_add(actor=cast.admin, deputy=cast.deputy, venue=Venue.objects.get(pk=cast.v2.pk), started_on=ON)
    assert "该站点已关闭，不能驻站。" in _messages(error.value)


def test_stationing_by_scope(cast):
    stationing_add(actor=cast.station_staff, deputy=cast.deputy, venue=cast.v2, started_on=ON)
    stationing_add(actor=cast.township_staff, deputy=cast.west_deputy, venue=cast.v1, started_on=ON)
    for actor, venue in [(cast.station_staff, cast.home), (cast.township_staff, cast.v2),
                         (cast.deputy_actor, cast.v1), (cast.unit, cast.v1)]:
        with pytest.raises(PermissionDenied):
            stationing_add(actor=actor, deputy=cast.township_deputy, venue=venue, started_on=ON)
    assert not Stationing.objects.filter(deputy=cast.township_deputy).exclude(venue=cast.home).exists()


def test_stationing_end_leaves_the_group_and_happens_once(cast):
    group_member_set(actor=cast.admin, venue=cast.v1, deputy=cast.deputy, role=GroupMember.Role.LEADER)
    stationing = Stationing.objects.get(deputy=cast.deputy, venue=cast.v1)
    with pytest.raises(ValidationError):
        stationing_end(actor=cast.admin, stationing=stationing, ended_on=START - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        stationing_end(actor=cast.station_staff, stationing=stationing, ended_on=ON)
    stationing_end(actor=cast.township_staff, stationing=stationing, ended_on=ON)
    assert Stationing.objects.get(pk=stationing.pk).ended_on == ON
    assert not GroupMember.objects.filter(deputy=cast.deputy, group__venue=cast.v1).exists()
    with pytest.raises(ValidationError) as error:
        stationing_end(actor=cast.admin, stationing=stationing, ended_on=ON + dt.timedelta(days=5))
    assert "该驻站已经结束。" in _messages(error.value)
    assert Stationing.objects.get(pk=stationing.pk).ended_on == ON


# --- groups -----------------------------------------------------------------------------------------------


def test_group_members_must_be_stationed_here(cast):
    with pytest.raises(ValidationError) as error:
        group_member_set(actor=cast.admin, venue=cast.v1, deputy=cast.west_deputy, role=GroupMember.Role.MEMBER)
    assert "只有在本站驻站的代表才能加入本站代表小组。" in _messages(error.value)
    assert not GroupMember.objects.filter(deputy=cast.west_deputy).exists()


def test_one_leader_per_group(cast):
    second = cast.new_deputy("第二人", level=Level.TOWNSHIP, township=cast.east, venue=cast.v1)
    first = group_member_set(actor=cast.admin, venue=cast.v1, deputy=cast.deputy, role=GroupMember.Role.LEADER)
    assert first.group.name == f"{cast.v1.name}代表小组"
    group_member_set(actor=cast.township_staff, venue=cast.v1, deputy=second, role=GroupMember.Role.LEADER)
    roles = dict(GroupMember.objects.filter(group__venue=cast.v1).values_list("deputy_id", "role"))
    assert roles == {cast.deputy.pk: GroupMember.Role.MEMBER, second.pk: GroupMember.Role.LEADER}
    group_member_set(actor=cast.admin, venue=cast.v1, deputy=second, role=GroupMember.Role.LIAISON_OFFICER)
    assert not GroupMember.objects.filter(group__venue=cast.v1, role=GroupMember.Role.LEADER).exists()
    with pytest.raises(ValidationError) as error:
        group_member_set(actor=cast.admin, venue=cast.v1, deputy=second, role="boss")
    assert "小组职务无效。" in _messages(error.value)
    for actor in (cast.station_staff, cast.deputy_actor):
        with pytest.raises(PermissionDenied):
            group_member_set(actor=actor, venue=cast.v1, deputy=second, role=GroupMember.Role.LEADER)


# --- selectors --------------------------------------------------------------------------------------------


def test_deputies_managed_by_each_actor(cast):
    everyone = set(Deputy.objects.values_list("pk", flat=True))
    managed = {name: set(deputies_managed_by(getattr(cast, name)).values_list("pk", flat=True))
               for name in ("admin", "township_staff", "station_staff", "deputy_actor", "unit")}
    assert managed["admin"] == everyone
    assert managed["township_staff"] == {cast.deputy.pk, cast.township_deputy.pk}
    assert managed["station_staff"] == {cast.west_deputy.pk}
    assert managed["deputy_actor"] == {cast.deputy.pk}
    assert managed["unit"] == set()


def test_township_staff_reach_deputies_by_mandate_or_current_stationing(cast):
    by_mandate = cast.new_deputy("东镇无站代表", level=Level.TOWNSHIP, township=cast.east)
    visiting = cast.new_deputy("驻东镇的西乡代表", level=Level.TOWNSHIP, township=cast.west, venue=cast.home)
    left = cast.new_deputy("离站代表", level=Level.COUNTY, venue=cast.v1)
    stationing_end(actor=cast.admin, stationing=Stationing.objects.get(deputy=left), ended_on=ON)
    managed = set(deputies_managed_by(cast.township_staff).values_list("pk", flat=True))
    assert {by_mandate.pk, visiting.pk} <= managed and left.pk not in managed
    station = set(deputies_managed_by(cast.station_staff).values_list("pk", flat=True))
    assert station == {cast.west_deputy.pk}


def _grow(cast, n: int, tag: str) -> None:
    for i in range(n):
        deputy = cast.new_deputy(f"{tag}代表{i}", level=Level.TOWNSHIP, township=cast.east,
                                 venue=[cast.v1, cast.home][i % 2])
        mandate_add(actor=cast.admin, deputy=deputy, level=Level.COUNTY, term=17, started_on=START)


def _read_list(qs) -> int:
    seen = 0
    for deputy in qs:
        seen += len(deputy.account.name)
        seen += len([(m.get_level_display(), m.township.name if m.township else "") for m in deputy.mandates.all()])
        seen += len([s.venue.name for s in deputy.current_stationings])
    return seen


@pytest.mark.parametrize("who", ["admin", "township_staff", "station_staff"])
def test_deputy_list_runs_a_constant_number_of_queries(cast, who):
    actor = getattr(cast, who)
    _grow(cast, 3, "少")
    with CaptureQueriesContext(connection) as small:
        _read_list(deputies_managed_by(actor))
        _read_list(deputy_list())
    _grow(cast, 25, "多")
    with CaptureQueriesContext(connection) as large:
        _read_list(deputies_managed_by(actor))
        _read_list(deputy_list())
    assert len(small) == len(large) <= 10
