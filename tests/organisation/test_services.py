"""The organisation context's domain layer: the permission layer's actors, places and their photos, the
county tree and memberships, called as services with actors from the World (tests/conftest.py; the cast in
tests/organisation/conftest.py). Standards: test_standards_services.py; re-division: test_redivision_services.py."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from access.models import Membership, Role
from access.scope import ANONYMOUS
from access.services import membership_grant
from audit.models import AuditEntry
from core.files import PHOTO_MAX_BYTES
from core.levels import Level
from organisation.models import (
    StandardTemplate,
    Township,
    Venue,
    VenuePhoto,
    Village,
)
from organisation.services.places import (
    township_clashes,
    township_save,
    venue_photo_add,
    venue_save,
    village_clashes,
    village_save,
)
from organisation.services.redivision import township_merge
from organisation.services.standards import (
    assessment_record,
    standards_seed_defaults,
)
from people.actors import actor_for
from people.models import DeputyGroup, GroupMember, Mandate, Stationing
from people.selectors import county_tree
from tenants.models import Account

pytestmark = pytest.mark.django_db

PAST = dt.date(2024, 1, 1)  # after every record of the World (which start on 2021-10-01)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- access.scope ------------------------------------------------------------------------------------


def test_actor_roles_and_scopes_of_each_world_actor(cast):
    ids = cast.world.ids
    assert cast.admin.roles == {Role.COUNTY_ADMIN} and cast.admin.is_admin and cast.admin.is_staff
    assert cast.township_staff.roles == {Role.TOWNSHIP_STAFF}
    assert cast.township_staff.township_ids == {ids["east"]} and not cast.township_staff.venue_ids
    assert cast.station_staff.roles == {Role.STATION_STAFF}
    assert cast.station_staff.venue_ids == {ids["v2"]} and not cast.station_staff.township_ids
    assert cast.station_staff.venue_township_ids == {ids["west"]}
    assert cast.deputy.roles == {Role.DEPUTY} and cast.deputy.deputy_id == ids["deputy"]
    assert not cast.deputy.is_staff
    assert cast.unit.roles == {Role.HANDLING_UNIT} and cast.unit.handling_unit_ids == {ids["unit"]}
    assert not cast.unit.is_staff and cast.unit.deputy_id is None
    for account in (cast.world.admin_b, cast.world.outsider, cast.world.province_staff):
        actor = actor_for(account)
        assert actor.account_id == account.pk and not actor.is_member and not actor.is_staff
    assert actor_for(None) is ANONYMOUS


def test_actor_ignores_inactive_memberships(cast):
    Membership.objects.filter(account_id=cast.world.township_staff_a.pk).update(is_active=False)
    actor = actor_for(cast.world.township_staff_a)
    assert not actor.is_member and not actor.can_manage_township(cast.east.pk)


def test_can_manage_township_and_venue(cast):
    east, west = cast.east.pk, cast.west.pk
    assert cast.admin.can_manage_township(east) and cast.admin.can_manage_township(None)
    assert cast.admin.can_manage_venue(cast.v2.pk, west)
    assert cast.township_staff.can_manage_township(east)
    assert not cast.township_staff.can_manage_township(west)
    assert not cast.township_staff.can_manage_township(None)
    assert cast.township_staff.can_manage_venue(cast.v1.pk, east)
    assert not cast.township_staff.can_manage_venue(cast.v2.pk, west)
    assert cast.station_staff.can_manage_venue(cast.v2.pk, west)
    assert not cast.station_staff.can_manage_venue(cast.v1.pk, east)
    assert not cast.station_staff.can_manage_township(west)
    for actor in (cast.deputy, cast.unit, ANONYMOUS):
        assert not actor.can_manage_township(east) and not actor.can_manage_township(None)
        assert not actor.can_manage_venue(cast.v1.pk, east)


def test_audit_rows_name_the_acting_account(cast):
    township_save(actor=cast.township_staff, township=cast.east, kind=Township.Kind.STREET)
    entry = AuditEntry.objects.filter(action="township.save").first()
    assert entry.actor_id == cast.world.township_staff_a.pk


# --- places ----------------------------------------------------------------------------------------


def test_township_save_by_scope(cast):
    made = township_save(actor=cast.admin, name="南乡", division_code="990101300", kind=Township.Kind.TOWNSHIP)
    assert Township.objects.get(pk=made.pk).name == "南乡"
    for actor in (cast.township_staff, cast.station_staff, cast.deputy, cast.unit):
        with pytest.raises(PermissionDenied):
            township_save(actor=actor, name="北乡")
    township_save(actor=cast.township_staff, township=cast.east, name="东城镇")
    assert Township.objects.get(pk=cast.east.pk).name == "东城镇"
    for actor in (cast.township_staff, cast.station_staff, cast.deputy):
        with pytest.raises(PermissionDenied):
            township_save(actor=actor, township=cast.west, name="西城乡")
    assert Township.objects.get(pk=cast.west.pk).name == cast.west.name


def test_township_save_validates_in_chinese(cast):
    with pytest.raises(ValidationError) as error:
        township_save(actor=cast.admin, name="南乡", division_code="12")
    assert "乡镇区划代码应为9位数字。" in _messages(error.value)
    assert not Township.objects.filter(name="南乡").exists()


def test_names_and_codes_taken_are_refused_by_the_service_on_their_fields(cast):
    """The API's serializer and the page's form ask the same rule (township_clashes, village_clashes)."""
    with pytest.raises(ValidationError) as error:
        township_save(actor=cast.admin, name=cast.east.name, division_code=cast.east.division_code or "990101399")
    assert error.value.message_dict["name"] == ["已有同名的乡镇（街道）。"]
    assert township_save(actor=cast.admin, township=cast.east, name=cast.east.name).pk == cast.east.pk  # itself
    with pytest.raises(ValidationError) as error:
        village_save(actor=cast.admin, township=cast.east, name=cast.village_east.name)
    assert error.value.message_dict["name"] == ["该乡镇已有同名的村（社区）。"]
    assert township_clashes(name="南乡") == {} and village_clashes(township_id=cast.west.pk, name="新村") == {}


def test_township_save_cannot_write_another_row_through_its_primary_key(cast):
    """Field names are the model's editable fields: `id` would turn an edit of east into a write to west."""
    with pytest.raises((TypeError, ValidationError)):
        township_save(actor=cast.township_staff, township=cast.east, id=cast.west.pk, name="被改写")
    assert Township.objects.get(pk=cast.west.pk).name == cast.west.name
    assert Township.objects.get(pk=cast.east.pk).name == cast.east.name


def test_township_staff_cannot_end_their_township_outside_a_redivision(cast):
    with pytest.raises(PermissionDenied):
        township_save(actor=cast.township_staff, township=cast.east, ended_on=PAST)
    assert Township.objects.get(pk=cast.east.pk).ended_on is None
    # a form sending the dates back unchanged is fine
    township_save(actor=cast.township_staff, township=cast.east, name="东镇", started_on=None, ended_on=None)


def test_village_save_by_scope(cast):
    village = village_save(actor=cast.township_staff, township=cast.east, name="东二村",
                           division_code="990101100002")
    assert village.township_id == cast.east.pk
    village_save(actor=cast.township_staff, village=village, name="东新村")
    assert Village.objects.get(pk=village.pk).name == "东新村"
    with pytest.raises(PermissionDenied):
        village_save(actor=cast.township_staff, township=cast.west, name="西二村")
    with pytest.raises(PermissionDenied):
        village_save(actor=cast.township_staff, village=cast.village_west, name="西新村")
    for actor in (cast.station_staff, cast.deputy, cast.unit):
        with pytest.raises(PermissionDenied):
            village_save(actor=actor, township=cast.west, name="西三村")
        with pytest.raises(PermissionDenied):
            village_save(actor=actor, village=cast.village_west, name="西四村")


def test_township_staff_cannot_take_a_village_of_another_township(cast):
    with pytest.raises(PermissionDenied):
        village_save(actor=cast.township_staff, village=cast.village_west, township=cast.east)
    assert Village.objects.get(pk=cast.village_west.pk).township_id == cast.west.pk


def test_village_cannot_be_added_to_an_ended_township(cast):
    Township.objects.filter(pk=cast.west.pk).update(ended_on=PAST)
    west = Township.objects.get(pk=cast.west.pk)
    with pytest.raises(ValidationError) as error:
        village_save(actor=cast.admin, township=west, name="西五村")
    assert "已经撤销" in _messages(error.value)
    assert not Village.objects.filter(name="西五村").exists()


def test_venue_save_by_scope(cast):
    made = venue_save(actor=cast.township_staff, name="东镇中心联络站", kind=Venue.Kind.CENTRAL_STATION,
                      township=cast.east)
    assert made.township_id == cast.east.pk
    with pytest.raises(PermissionDenied):
        venue_save(actor=cast.township_staff, name="西乡中心联络站", kind=Venue.Kind.CENTRAL_STATION,
                   township=cast.west)
    with pytest.raises(PermissionDenied):
        venue_save(actor=cast.township_staff, venue=cast.v2, opening_hours="周一")
    # station staff: only their venue, and no new venues
    venue_save(actor=cast.station_staff, venue=cast.v2, opening_hours="每月第一个星期一")
    assert Venue.objects.get(pk=cast.v2.pk).opening_hours == "每月第一个星期一"
    for venue in (cast.v1, cast.home):
        with pytest.raises(PermissionDenied):
            venue_save(actor=cast.station_staff, venue=venue, opening_hours="周二")
    with pytest.raises(PermissionDenied):
        venue_save(actor=cast.station_staff, name="西乡之家", kind=Venue.Kind.HOME, township=cast.west)
    with pytest.raises(PermissionDenied):  # moving their venue to another township
        venue_save(actor=cast.station_staff, venue=cast.v2, township=cast.east, village=cast.village_east)
    for actor in (cast.deputy, cast.unit):
        with pytest.raises(PermissionDenied):
            venue_save(actor=actor, venue=cast.v1, opening_hours="周三")
        with pytest.raises(PermissionDenied):
            venue_save(actor=actor, name="某站", kind=Venue.Kind.HOME, township=cast.east)
    # a county station belongs to no township: only the county makes it
    with pytest.raises(PermissionDenied):
        venue_save(actor=cast.township_staff, name="县联络站", kind=Venue.Kind.COUNTY_STATION)
    assert venue_save(actor=cast.admin, name="县联络站", kind=Venue.Kind.COUNTY_STATION).township_id is None


@pytest.mark.parametrize("fields, field, message", [
    ({"kind": Venue.Kind.VILLAGE_STATION, "township": "east"}, "village", "村（社区）联络站须选择所在村（社区）。"),
    ({"kind": Venue.Kind.HOME}, "township", "代表之家、中心联络站须选择所属乡镇。"),
    ({"kind": Venue.Kind.CENTRAL_STATION}, "township", "代表之家、中心联络站须选择所属乡镇。"),
    ({"kind": Venue.Kind.COUNTY_STATION, "township": "east"}, "township", "县级联络站不属于某个乡镇。"),
    ({"kind": Venue.Kind.VILLAGE_STATION, "township": "east", "village": "village_west"}, "village",
     "该村（社区）不属于所选乡镇。"),
])
def test_venue_rules_in_chinese(cast, fields, field, message):
    fields = {k: getattr(cast, v) if k in ("township", "village") else v for k, v in fields.items()}
    before = Venue.objects.count()
    with pytest.raises(ValidationError) as error:
        venue_save(actor=cast.admin, name="新站", **fields)
    assert message in error.value.message_dict[field]
    assert Venue.objects.count() == before


def test_village_station_takes_the_township_of_its_village(cast):
    """A village station given only its village belongs to that village's township (not to the county)."""
    venue = venue_save(actor=cast.admin, name="西村二站", kind=Venue.Kind.VILLAGE_STATION, village=cast.village_west)
    assert venue.township_id == cast.west.pk
    with pytest.raises(PermissionDenied):
        venue_save(actor=cast.township_staff, name="西村三站", kind=Venue.Kind.VILLAGE_STATION,
                   village=cast.village_west)


def test_venue_cannot_be_placed_in_an_ended_township(cast):
    Township.objects.filter(pk=cast.west.pk).update(ended_on=PAST)
    with pytest.raises(ValidationError) as error:
        venue_save(actor=cast.admin, name="西乡之家", kind=Venue.Kind.HOME,
                   township=Township.objects.get(pk=cast.west.pk))
    assert "已经撤销" in _messages(error.value)


# photos

def _image(fmt: str, size=(32, 24)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)



@pytest.mark.parametrize("fmt, name", [("PNG", "门牌.png"), ("JPEG", "外景.jpg")])
def test_venue_photo_add_accepts_a_real_image(cast, media, fmt, name):
    upload = SimpleUploadedFile(name, _image(fmt), content_type=f"image/{fmt.lower()}")
    photo = venue_photo_add(actor=cast.station_staff, venue=cast.v2, upload=upload, caption="外景")
    assert VenuePhoto.objects.filter(venue=cast.v2).count() == 1
    with photo.image.open("rb") as stored:
        assert stored.read() == _image(fmt)


@pytest.mark.parametrize("content, message", [
    (b"not an image at all\n" * 10, "文件不是有效的图片（支持JPEG、PNG、WEBP）。"),
    ("gif", "图片格式须为JPEG、PNG或WEBP。"),
    ("big", "图片不能超过5MB。"),
    ("truncated", "文件不是有效的图片（支持JPEG、PNG、WEBP）。"),
    ("bomb", "文件不是有效的图片（支持JPEG、PNG、WEBP）。"),
])
def test_venue_photo_add_refuses_bad_files_and_saves_nothing(cast, media, content, message):
    if content == "gif":
        content = _image("GIF")
    elif content == "big":
        from PIL import Image

        side = 1400  # random pixels do not compress: a real PNG of about 5.9 MB
        content = io.BytesIO()
        Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(content, format="PNG")
        content = content.getvalue()
        assert len(content) > PHOTO_MAX_BYTES
    elif content == "truncated":
        content = _image("JPEG", size=(400, 300))
        content = content[:len(content) // 2]  # the header passes verify(); the pixels are cut
    elif content == "bomb":  # a tiny PNG that claims 40000 x 40000 pixels
        content = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 40000, 40000, 1, 0, 0, 0, 0))
                   + _png_chunk(b"IDAT", zlib.compress(b"\0" * 100)) + _png_chunk(b"IEND", b""))
    upload = SimpleUploadedFile("photo.png", content, content_type="image/png")
    with pytest.raises(ValidationError) as error:
        venue_photo_add(actor=cast.admin, venue=cast.v1, upload=upload)
    assert message in error.value.message_dict["image"]
    assert not VenuePhoto.objects.exists()
    assert not any(media.rglob("photo*"))


def test_venue_photo_add_by_scope(cast, media):
    for actor in (cast.station_staff, cast.deputy, cast.unit):
        with pytest.raises(PermissionDenied):
            venue_photo_add(actor=actor, venue=cast.v1, upload=SimpleUploadedFile("a.png", _image("PNG")))
    assert not VenuePhoto.objects.exists()


# --- the tree in a constant number of queries -----------------------------------------------------------


def _grow(n: int, tag: str) -> None:
    """n more townships, each with a village, a home, a village station, a group and stationed deputies."""
    from people.models import Deputy as DeputyModel

    for i in range(n):
        township = Township.objects.create(name=f"{tag}镇{i}")
        village = Village.objects.create(township=township, name=f"{tag}村{i}")
        home = Venue.objects.create(name=f"{tag}之家{i}", kind=Venue.Kind.HOME, township=township)
        station = Venue.objects.create(name=f"{tag}站{i}", kind=Venue.Kind.VILLAGE_STATION, township=township,
                                       village=village)
        group = DeputyGroup.objects.create(venue=station, name=f"{tag}小组{i}")
        for j, venue in enumerate((home, station, station)):
            account = Account.objects.create_user(f"136{tag == 'b' and 5 or 4}{i:04d}{j:03d}", f"{tag}代表{i}-{j}")
            deputy = DeputyModel.objects.create(account=account)
            Mandate.objects.create(deputy=deputy, level=Level.TOWNSHIP, term=19, township=township,
                                   started_on=dt.date(2021, 10, 1))
            Stationing.objects.create(deputy=deputy, venue=venue, started_on=dt.date(2021, 10, 1))
            if venue == station:
                GroupMember.objects.create(group=group, deputy=deputy,
                                           role=GroupMember.Role.LEADER if j == 1 else GroupMember.Role.MEMBER)


def _walk_tree() -> int:
    county_venues, townships = county_tree()
    seen = 0
    for node in county_venues:
        seen += len(str(node.venue)) + len(node.deputies)
    for township in townships:
        seen += len([v.name for v in township.villages.all()])
        for node in township.tree_venues:
            seen += len(str(node.venue.village or "")) + len([d.account.name for d in node.deputies])
            if node.group:
                seen += len([(m.deputy.account.name, m.get_role_display()) for m in node.group.members.all()])
    return seen


def test_county_tree_runs_a_constant_number_of_queries(cast):
    _grow(3, "a")
    with CaptureQueriesContext(connection) as small:
        _walk_tree()
    _grow(20, "b")
    with CaptureQueriesContext(connection) as large:
        _walk_tree()
    assert len(small) == len(large) <= 10


# --- access.services ----------------------------------------------------------------------------------------


def test_membership_grant_checks_role_and_scope_in_chinese(cast):
    account = cast.world.outsider
    for kwargs, field, message in [
        ({"role": "superuser"}, "role", "角色无效。"),
        ({"role": Role.TOWNSHIP_STAFF}, "township", "该角色须指定乡镇。"),
        ({"role": Role.STATION_STAFF}, "venue", "该角色须指定站点。"),
    ]:
        with pytest.raises(ValidationError) as error:
            membership_grant(account=account, actor=cast.admin, **kwargs)
        assert message in error.value.message_dict[field]
    Township.objects.filter(pk=cast.west.pk).update(ended_on=PAST)
    with pytest.raises(ValidationError) as error:
        membership_grant(account=account, role=Role.TOWNSHIP_STAFF, actor=cast.admin,
                         township=Township.objects.get(pk=cast.west.pk))
    assert "已经撤销" in _messages(error.value)
    assert not Membership.objects.filter(account_id=account.pk).exists()


def test_membership_grant_again_reactivates_and_updates_the_position(cast):
    account = cast.world.outsider
    grants = AuditEntry.objects.filter(action="membership.grant", actor_id=cast.world.admin_a.pk)
    before = grants.count()
    first = membership_grant(account=account, role=Role.STATION_STAFF, actor=cast.admin, venue=cast.v1,
                             position="liaison_officer")
    Membership.objects.filter(pk=first.pk).update(is_active=False)
    again = membership_grant(account=account, role=Role.STATION_STAFF, actor=cast.admin, venue=cast.v1,
                             position="head")
    assert again.pk == first.pk
    row = Membership.objects.get(pk=first.pk)
    assert row.is_active and row.position == "head"
    assert grants.count() == before + 2


def test_an_abolished_township_cannot_be_edited(world):
    from organisation.services.places import township_save

    with schema_context(world.alpha.schema_name):
        west = Township.objects.get(pk=world.ids["west"])
        Township.objects.filter(pk=west.pk).update(ended_on=dt.date(2024, 1, 1))
        west.refresh_from_db()
        with pytest.raises(ValidationError, match="已经撤销，不能再修改"):
            township_save(actor=actor_for(world.admin_a), township=west, name="新西乡")
        west.refresh_from_db()
        assert west.name == "西乡"


def test_duplicate_current_township_name_reads_in_chinese(world):
    with schema_context(world.alpha.schema_name):
        with pytest.raises(ValidationError, match="已有同名的乡镇"):
            Township(name="东镇", kind=Township.Kind.TOWN).full_clean()


def test_an_assessment_keeps_its_township_when_a_merge_moves_the_venue(world):

    with schema_context(world.alpha.schema_name):
        admin = actor_for(world.admin_a)
        standards_seed_defaults()
        template = StandardTemplate.objects.get(name="六有")
        v2 = Venue.objects.get(pk=world.ids["v2"])
        assessment = assessment_record(actor=admin, venue=v2, template=template, assessed_on=dt.date(2024, 5, 1),
                                       results={item.pk: (True, "") for item in template.items.all()})
        assert assessment.township_id == world.ids["west"]
        township_merge(actor=admin, sources=[Township.objects.get(pk=world.ids["west"])],
                       into=Township.objects.get(pk=world.ids["east"]), effective_on=dt.date(2024, 6, 1))
        assessment.refresh_from_db()
        assert Venue.objects.get(pk=v2.pk).township_id == world.ids["east"]  # the venue moved
        assert assessment.township_id == world.ids["west"]  # its history did not
