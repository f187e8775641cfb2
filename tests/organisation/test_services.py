"""The organisation context's domain layer: the permission layer's actors, places, standards and
re-division, called as services with actors from the World (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import zlib
from decimal import Decimal

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
from core.levels import Level, MandateStatus
from organisation.models import (
    Assessment,
    ConstructionFunding,
    Redivision,
    RedivisionLink,
    StandardItem,
    StandardTemplate,
    Township,
    Venue,
    VenuePhoto,
    Village,
)
from organisation.selectors import (
    PROGRESS_HEADERS,
    build_progress,
    build_progress_for,
    fundings_visible_to,
    progress_township_ids,
)
from organisation.services.places import (
    township_clashes,
    township_save,
    venue_photo_add,
    venue_save,
    village_clashes,
    village_save,
)
from organisation.services.redivision import township_lineage, township_merge, township_rename, township_split
from organisation.services.standards import (
    assessment_record,
    can_assess,
    funding_set,
    standard_template_save,
    standards_seed_defaults,
    stars_for,
)
from people.actors import actor_for
from people.models import Deputy, DeputyGroup, GroupMember, Mandate, Stationing
from people.selectors import county_tree
from tenants.models import Account

pytestmark = pytest.mark.django_db

PAST = dt.date(2024, 1, 1)  # after every record of the World (which start on 2021-10-01)


class Cast:
    """The World's Alpha actors and rows, loaded inside Alpha's schema."""

    def __init__(self, world):
        self.world = world
        ids = world.ids
        self.admin = actor_for(world.admin_a)
        self.township_staff = actor_for(world.township_staff_a)
        self.station_staff = actor_for(world.station_staff_a)
        self.deputy = actor_for(world.deputy_a)
        self.unit = actor_for(world.unit_a)
        self.east = Township.objects.get(pk=ids["east"])
        self.west = Township.objects.get(pk=ids["west"])
        self.village_east = Village.objects.get(pk=ids["village_east"])
        self.village_west = Village.objects.get(pk=ids["village_west"])
        self.home = Venue.objects.get(pk=ids["home"])
        self.v1 = Venue.objects.get(pk=ids["v1"])
        self.v2 = Venue.objects.get(pk=ids["v2"])


@pytest.fixture
def cast(world):
    with schema_context(world.alpha.schema_name):
        yield Cast(world)


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


# --- standards -----------------------------------------------------------------------------------------


def test_standards_seed_defaults_is_idempotent(cast):
    StandardTemplate.objects.all().delete()
    standards_seed_defaults()
    first = {t.name: [i.text for i in t.items.all()] for t in StandardTemplate.objects.prefetch_related("items")}
    standards_seed_defaults()
    again = {t.name: [i.text for i in t.items.all()] for t in StandardTemplate.objects.prefetch_related("items")}
    assert first == again
    assert len(again["六有"]) == 6 and len(again["九有"]) == 9
    assert StandardItem.objects.count() == 15


@pytest.fixture
def ten(cast):
    """A template of ten items of ten points each."""
    template = StandardTemplate.objects.create(name="十有")
    StandardItem.objects.bulk_create([StandardItem(template=template, order=i, text=f"有{i}", points=10)
                                      for i in range(10)])
    return template


def test_standard_template_save_writes_the_standard_and_its_items_at_once(cast, ten):
    made = standard_template_save(actor=cast.admin, template=None, name="三有", items=[
        (None, {"order": 1, "text": "有场所", "points": 10}), (None, {"order": 2, "text": "有牌子", "points": 5})])
    assert [(i.text, i.points) for i in made.items.all()] == [("有场所", 10), ("有牌子", 5)]
    first, second, *_rest = ten.items.all()
    assessment_record(actor=cast.admin, venue=cast.v1, template=ten, assessed_on=PAST,
                      results={item.pk: (True, "") for item in ten.items.all()})
    with pytest.raises(ValidationError) as error:  # used by the assessment: the whole save is refused
        standard_template_save(actor=cast.admin, template=ten, name="十有（改）", removed=[first],
                               items=[(second, {"text": "改过"})])
    assert "以下项目已用于评定，不能删除" in _messages(error.value)
    ten.refresh_from_db()
    assert ten.name == "十有" and ten.items.count() == 10 and ten.items.filter(text="改过").count() == 0
    with pytest.raises(PermissionDenied):  # an item of another standard
        standard_template_save(actor=cast.admin, template=made, name="三有", items=[(second, {"text": "x"})])
    for actor in (cast.township_staff, cast.station_staff, cast.deputy, cast.unit):
        with pytest.raises(PermissionDenied):
            standard_template_save(actor=actor, template=ten, name="十有")
    assert AuditEntry.objects.filter(action="standard.save").count() == 1


@pytest.mark.parametrize("met, stars", [(10, 5), (9, 5), (8, 4), (7, 3), (6, 2), (5, 1), (0, 1)])
def test_assessment_record_scores_and_stars(cast, ten, met, stars):
    items = list(ten.items.all())
    results = {item.pk: (n < met, "照片") for n, item in enumerate(items)}
    assessment = assessment_record(actor=cast.admin, venue=cast.v1, template=ten, assessed_on=PAST, results=results)
    assessment.refresh_from_db()
    assert (assessment.score, assessment.max_score, assessment.stars) == (met * 10, 100, stars)
    assert assessment.items.filter(met=True).count() == met
    assert assessment.assessor_id == cast.world.admin_a.pk


def test_star_thresholds_at_their_edges():
    assert stars_for(90, 100) == 5 and stars_for(89, 100) == 4
    assert stars_for(80, 100) == 4 and stars_for(79, 100) == 3
    assert stars_for(70, 100) == 3 and stars_for(60, 100) == 2 and stars_for(59, 100) == 1
    assert stars_for(27, 30) == 5 and stars_for(26, 30) == 4


def test_assessment_record_refuses_bad_input_and_saves_nothing(cast, ten):
    items = list(ten.items.all())
    other = StandardTemplate.objects.create(name="另一标准")
    foreign = StandardItem.objects.create(template=other, text="他项", points=10)
    full = {item.pk: (True, "") for item in items}
    cases = [
        ({k: v for k, v in full.items() if k != items[0].pk}, PAST, "以下项目未评定：有0"),
        ({**full, foreign.pk: (True, "")}, PAST, "评定项目不属于该标准。"),
        (full, dt.date.today() + dt.timedelta(days=1), "评定日期不能晚于今天。"),
    ]
    for results, on, message in cases:
        with pytest.raises(ValidationError) as error:
            assessment_record(actor=cast.admin, venue=cast.v1, template=ten, assessed_on=on, results=results)
        assert message in _messages(error.value)
    assert not Assessment.objects.filter(template=ten).exists()


def test_assessment_record_refuses_an_empty_or_inactive_template(cast, ten):
    empty = StandardTemplate.objects.create(name="空标准")
    with pytest.raises(ValidationError) as error:
        assessment_record(actor=cast.admin, venue=cast.v1, template=empty, assessed_on=PAST, results={})
    assert "没有评定项目" in _messages(error.value)
    StandardTemplate.objects.filter(pk=ten.pk).update(is_active=False)
    ten.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        assessment_record(actor=cast.admin, venue=cast.v1, template=ten, assessed_on=PAST,
                          results={i.pk: (True, "") for i in ten.items.all()})
    assert "已停用" in _messages(error.value)
    assert not Assessment.objects.filter(template__in=[empty, ten]).exists()


def test_assessment_record_by_scope(cast, ten):
    results = {item.pk: (True, "") for item in ten.items.all()}
    assessment_record(actor=cast.township_staff, venue=cast.v1, template=ten, assessed_on=PAST, results=results)
    for actor, venue in [(cast.township_staff, cast.v2), (cast.station_staff, cast.v2), (cast.deputy, cast.v1),
                         (cast.unit, cast.v1)]:
        with pytest.raises(PermissionDenied):
            assessment_record(actor=actor, venue=venue, template=ten, assessed_on=PAST, results=results)
    county = Venue.objects.create(name="县联络站", kind=Venue.Kind.COUNTY_STATION)
    with pytest.raises(PermissionDenied):
        assessment_record(actor=cast.township_staff, venue=county, template=ten, assessed_on=PAST, results=results)
    assessment_record(actor=cast.admin, venue=county, template=ten, assessed_on=PAST, results=results)
    assert Assessment.objects.filter(template=ten).count() == 2


def test_can_assess_is_the_rule_of_assessment_record(cast):
    """The venue page's link, the API's early refusal and the service all ask can_assess."""
    assert can_assess(cast.township_staff, cast.v1) and can_assess(cast.admin, cast.v2)
    for actor, venue in [(cast.township_staff, cast.v2), (cast.station_staff, cast.v2), (cast.deputy, cast.v1),
                         (cast.unit, cast.v1)]:
        assert not can_assess(actor, venue)
    county = Venue(name="县联络站", kind=Venue.Kind.COUNTY_STATION)
    assert can_assess(cast.admin, county) and not can_assess(cast.township_staff, county)


def test_assessment_evidence_too_long_is_a_chinese_error(cast, ten):
    results = {item.pk: (True, "很长" * 300) for item in ten.items.all()}
    with pytest.raises(ValidationError) as error:
        assessment_record(actor=cast.admin, venue=cast.v1, template=ten, assessed_on=PAST, results=results)
    assert "佐证" in _messages(error.value)
    assert not Assessment.objects.filter(template=ten).exists()


def test_funding_set_validates_and_updates_instead_of_duplicating(cast):
    for kwargs, field, message in [
        ({"budget": Decimal("-1"), "disbursed": Decimal(0), "spent": Decimal(0)}, "budget", "金额不能为负数。"),
        ({"budget": Decimal(10), "disbursed": Decimal(0), "spent": Decimal("-0.01")}, "spent", "金额不能为负数。"),
        ({"budget": Decimal(10), "disbursed": Decimal("10.01"), "spent": Decimal(0)}, "disbursed",
         "已拨付金额不能超过预算。"),
    ]:
        with pytest.raises(ValidationError) as error:
            funding_set(actor=cast.admin, township=cast.east, year=2024, **kwargs)
        assert message in error.value.message_dict[field]
    assert not ConstructionFunding.objects.exists()
    funding_set(actor=cast.township_staff, township=cast.east, year=2024, budget=Decimal(30), disbursed=Decimal(20),
                spent=Decimal(5))
    again = funding_set(actor=cast.admin, township=cast.east, year=2024, budget=Decimal(40), disbursed=Decimal(40),
                        spent=Decimal(35), note="追加")
    row = ConstructionFunding.objects.get()
    assert row.pk == again.pk and (row.budget, row.disbursed, row.spent, row.note) == (40, 40, 35, "追加")
    for actor in (cast.township_staff, cast.station_staff, cast.deputy):
        with pytest.raises(PermissionDenied):
            funding_set(actor=actor, township=cast.west, year=2024, budget=Decimal(1), disbursed=Decimal(0),
                        spent=Decimal(0))


@pytest.mark.parametrize("year, amount", [(0, Decimal(1)), (40000, Decimal(1)), (2024, Decimal("1.005")),
                                          (2024, Decimal("123456789"))])
def test_funding_set_refuses_impossible_years_and_amounts(cast, year, amount):
    with pytest.raises(ValidationError):
        funding_set(actor=cast.admin, township=cast.east, year=year, budget=amount, disbursed=Decimal(0),
                    spent=Decimal(0))
    assert not ConstructionFunding.objects.exists()


def test_build_progress_shows_the_best_state_of_the_home_or_central_station(cast):
    Venue.objects.filter(pk=cast.home.pk).update(status=Venue.Status.OPEN)
    Venue.objects.create(name="东镇中心联络站", kind=Venue.Kind.CENTRAL_STATION, township=cast.east,
                         status=Venue.Status.PLANNED)
    Venue.objects.filter(pk=cast.v2.pk).update(status=Venue.Status.BUILDING)
    funding_set(actor=cast.admin, township=cast.east, year=2024, budget=Decimal(30), disbursed=Decimal(20),
                spent=Decimal(15))
    rows = {row.township.pk: row for row in build_progress(2024)}
    east, west = rows[cast.east.pk], rows[cast.west.pk]
    assert east.central_status == "已建成运行"
    assert (east.village_planned, east.village_open) == (1, 1)
    assert (east.budget, east.disbursed, east.spent, east.undisbursed, east.spent_percent) == (
        30, 20, 15, 10, Decimal("50.0"))
    assert west.central_status == "未规划" and (west.village_planned, west.village_open) == (1, 0)
    assert west.spent_percent is None


def test_funds_and_progress_are_read_by_township(cast):
    """The county reads every township; township staff their own; station staff their station's."""
    assert progress_township_ids(cast.admin) is None
    assert progress_township_ids(cast.township_staff) == {cast.east.pk}
    assert progress_township_ids(cast.station_staff) == {cast.west.pk}
    for township in (cast.east, cast.west):
        funding_set(actor=cast.admin, township=township, year=2024, budget=Decimal(10), disbursed=Decimal(4),
                    spent=Decimal(2))
    assert fundings_visible_to(cast.admin).count() == 2
    assert [f.township_id for f in fundings_visible_to(cast.station_staff)] == [cast.west.pk]
    assert not fundings_visible_to(cast.deputy).exists() and not fundings_visible_to(cast.unit).exists()
    report = build_progress_for(cast.station_staff, 2024)
    assert [r.township.pk for r in report.rows] == [cast.west.pk]
    assert (report.totals.budget, report.totals.undisbursed) == (10, 6)
    assert report.headers == PROGRESS_HEADERS and report.title == "2024年建设进度"
    assert report.table() == [["西乡", "未规划", 1, 1, 10, 4, 6, 2, Decimal("20.0")],
                              ["合计", "", 1, 1, 10, 4, 6, 2, Decimal("20.0")]]
    assert len(build_progress_for(cast.admin, 2024).rows) == 2
    for actor in (cast.deputy, cast.unit):
        with pytest.raises(PermissionDenied):
            build_progress_for(actor, 2024)


# --- re-division ---------------------------------------------------------------------------------------


def _snapshot() -> dict:
    """Everything a re-division may touch, to prove that a refused one changed nothing."""
    return {
        "townships": sorted(Township.objects.values_list("pk", "name", "ended_on")),
        "villages": sorted(Village.objects.values_list("pk", "township_id")),
        "venues": sorted(Venue.objects.values_list("pk", "township_id")),
        "mandates": sorted(Mandate.objects.values_list("pk", "township_id")),
        "memberships": sorted(Membership.objects.values_list("pk", "township_id", "is_active")),
        "redivisions": Redivision.objects.count(),
        "links": RedivisionLink.objects.count(),
    }


def _west_staff() -> Account:
    account = Account.objects.create_user("13700000051", "西乡主席团")
    membership_grant(account=account, role=Role.TOWNSHIP_STAFF, actor=None,
                     township=Township.objects.get(name="西乡"))
    return account


def test_merge_moves_villages_venues_mandates_and_staff(cast):
    staff = _west_staff()
    west_deputy = Deputy.objects.get(pk=cast.world.ids["west_deputy"])
    redivision = township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST,
                                note="撤乡并镇")
    assert redivision.kind == Redivision.Kind.MERGE and redivision.created_by_id == cast.world.admin_a.pk
    west = Township.objects.get(pk=cast.west.pk)
    assert west.ended_on == PAST - dt.timedelta(days=1)
    assert Village.objects.get(pk=cast.village_west.pk).township_id == cast.east.pk
    assert Venue.objects.get(pk=cast.v2.pk).township_id == cast.east.pk
    assert west_deputy.mandates.get(level=Level.TOWNSHIP).township_id == cast.east.pk
    assert Membership.objects.get(account_id=staff.pk).township_id == cast.east.pk
    assert list(redivision.links.values_list("predecessor_id", "successor_id")) == [(cast.west.pk, cast.east.pk)]
    assert township_lineage(cast.east) == {cast.east.pk, cast.west.pk}
    assert not Township.objects.current().filter(pk=cast.west.pk).exists()
    # the moved staff now manage the merged township, and keep the books of the one merged into it
    assert actor_for(staff).township_ids == {cast.east.pk, cast.west.pk}
    # and the tree shows the west station under east
    _county, townships = county_tree()
    by_pk = {t.pk: t for t in townships}
    assert cast.west.pk not in by_pk
    assert {n.venue.pk for n in by_pk[cast.east.pk].tree_venues} == {cast.home.pk, cast.v1.pk, cast.v2.pk}


def test_merge_of_a_person_on_staff_of_both_townships_keeps_one_membership(cast):
    membership_grant(account=cast.world.township_staff_a, role=Role.TOWNSHIP_STAFF, actor=None, township=cast.west)
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    active = Membership.objects.filter(account_id=cast.world.township_staff_a.pk, is_active=True)
    assert list(active.values_list("township_id", flat=True)) == [cast.east.pk]


def test_merge_with_a_village_name_taken_in_the_target_is_refused(cast):
    Village.objects.create(township=cast.west, name="东村")
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    assert "东村" in _messages(error.value) and "重名" in _messages(error.value)
    assert _snapshot() == before


def test_merge_lists_each_source_once(cast):
    redivision = township_merge(actor=cast.admin, sources=[cast.west, cast.west, cast.east], into=cast.east,
                                effective_on=PAST)
    assert redivision.links.count() == 1


def _second_east_village() -> Village:
    return Village.objects.create(township=Township.objects.get(name="东镇"), name="东二村",
                                  division_code="990101100002")


def test_split_sends_villages_with_their_venues_and_the_rest_to_the_first_part(cast):
    village2 = _second_east_village()
    v3 = Venue.objects.create(name="东二村联络站", kind=Venue.Kind.VILLAGE_STATION, township=cast.east,
                              village=village2)
    center = Venue.objects.create(name="东镇中心联络站", kind=Venue.Kind.CENTRAL_STATION, township=cast.east)
    township_deputy = Deputy.objects.get(pk=cast.world.ids["township_deputy"])
    redivision = township_split(actor=cast.admin, source=cast.east, effective_on=PAST, parts=[
        {"name": "东一街道", "kind": Township.Kind.STREET, "division_code": "990101101",
         "villages": [cast.village_east]},
        {"name": "东二街道", "villages": [village2], "venues": [center]},
    ])
    one, two = Township.objects.get(name="东一街道"), Township.objects.get(name="东二街道")
    assert (one.started_on, two.started_on, two.kind) == (PAST, PAST, Township.Kind.STREET)
    assert Township.objects.get(pk=cast.east.pk).ended_on == PAST - dt.timedelta(days=1)
    assert Village.objects.get(pk=cast.village_east.pk).township_id == one.pk
    assert Village.objects.get(pk=village2.pk).township_id == two.pk
    assert Venue.objects.get(pk=cast.v1.pk).township_id == one.pk
    assert Venue.objects.get(pk=v3.pk).township_id == two.pk
    assert Venue.objects.get(pk=center.pk).township_id == two.pk
    assert Venue.objects.get(pk=cast.home.pk).township_id == one.pk  # named by no part: the first
    assert township_deputy.mandates.get(level=Level.TOWNSHIP).township_id == one.pk
    assert Membership.objects.get(account_id=cast.world.township_staff_a.pk).township_id == one.pk
    assert sorted(redivision.links.values_list("successor_id", flat=True)) == sorted([one.pk, two.pk])
    # A split's parts do not each inherit the whole history (it would be counted twice).
    assert township_lineage(one) == {one.pk}
    assert township_lineage(one, through_splits=True) == {one.pk, cast.east.pk}


@pytest.mark.parametrize("case", ["missing", "twice", "foreign", "one_part", "same_names", "taken_name",
                                  "foreign_venue", "venue_twice"])
def test_split_refuses_bad_parts_and_changes_nothing(cast, case):
    village2 = _second_east_village()
    parts = [{"name": "东一街道", "villages": [cast.village_east]}, {"name": "东二街道", "villages": [village2]}]
    message = "原乡镇的每个村（社区）都要且只能划入一个新单位。"
    if case == "missing":
        parts[1]["villages"] = []
    elif case == "twice":
        parts[1]["villages"] = [village2, cast.village_east]
    elif case == "foreign":
        parts[1]["villages"] = [village2, cast.village_west]
    elif case == "one_part":
        parts = [{"name": "东一街道", "villages": [cast.village_east, village2]}]
        message = "拆分至少要分成两个新单位。"
    elif case == "same_names":
        parts[1]["name"] = "东一街道"
        message = "新单位名称重复：东一街道"
    elif case == "taken_name":
        parts[1]["name"] = "西乡"
        message = "已有名为 西乡 的乡镇"
    elif case == "foreign_venue":
        parts[1]["venues"] = [cast.v2]
        message = "不是 东镇 的乡镇级站点"
    elif case == "venue_twice":
        parts[0]["venues"] = [cast.home]
        parts[1]["venues"] = [cast.home]
        message = "同一站点只能划入一个新单位"
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        township_split(actor=cast.admin, source=cast.east, parts=parts, effective_on=PAST)
    assert message in _messages(error.value)
    assert _snapshot() == before


def test_rename_makes_a_successor_and_keeps_history_with_the_old_unit(cast):
    deputy = Deputy.objects.get(pk=cast.world.ids["deputy"])
    old = Mandate.objects.create(deputy=deputy, level=Level.TOWNSHIP, term=18, township=cast.east,
                                 status=MandateStatus.RESIGNED, started_on=dt.date(2016, 10, 1),
                                 ended_on=dt.date(2021, 9, 30))
    funding_set(actor=cast.admin, township=cast.east, year=2023, budget=Decimal(10), disbursed=Decimal(5),
                spent=Decimal(5))
    redivision = township_rename(actor=cast.admin, township=cast.east, name="东城街道", kind=Township.Kind.STREET,
                                 effective_on=PAST)
    new = Township.objects.get(name="东城街道", ended_on__isnull=True)
    assert new.pk != cast.east.pk and new.division_code == cast.east.division_code and new.started_on == PAST
    east = Township.objects.get(pk=cast.east.pk)
    assert east.name == "东镇" and east.ended_on == PAST - dt.timedelta(days=1) and str(east) == "东镇（已撤销）"
    assert Village.objects.get(pk=cast.village_east.pk).township_id == new.pk
    assert set(Venue.objects.filter(township=new).values_list("pk", flat=True)) == {cast.home.pk, cast.v1.pk}
    township_deputy = Deputy.objects.get(pk=cast.world.ids["township_deputy"])
    assert township_deputy.mandates.get(term=19).township_id == new.pk
    # closed records stay with the old unit
    assert Mandate.objects.get(pk=old.pk).township_id == cast.east.pk
    assert ConstructionFunding.objects.get(year=2023).township_id == cast.east.pk
    assert redivision.kind == Redivision.Kind.RENAME
    assert township_lineage(new) == {new.pk, cast.east.pk}
    # the staff follow, and keep the old unit's books
    assert actor_for(cast.world.township_staff_a).township_ids == {new.pk, cast.east.pk}


def test_rename_to_the_same_name_is_refused(cast):
    before = _snapshot()
    with pytest.raises(ValidationError):
        township_rename(actor=cast.admin, township=cast.east, name="东镇", effective_on=PAST)
    assert _snapshot() == before


def test_lineage_follows_a_chain_of_merges_and_renames(cast):
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    township_rename(actor=cast.admin, township=cast.east, name="东城街道", effective_on=PAST + dt.timedelta(days=30))
    new = Township.objects.get(name="东城街道")
    assert township_lineage(new) == {new.pk, cast.east.pk, cast.west.pk}


@pytest.mark.parametrize("record", ["assessment", "stationing", "mandate", "ended_stationing", "ended_mandate"])
def test_redivision_dated_in_the_past_over_closed_records_is_refused(cast, record, ten):
    """Issue 3's bad input: records of the old unit dated on or after the effective date would be
    moved to a unit that did not exist when they were made."""
    deputy = Deputy.objects.get(pk=cast.world.ids["deputy"])
    if record == "assessment":
        assessment_record(actor=cast.admin, venue=cast.v2, template=ten, assessed_on=dt.date(2024, 5, 1),
                          results={i.pk: (True, "") for i in ten.items.all()})
    elif record == "stationing":
        Stationing.objects.create(deputy=deputy, venue=cast.v2, started_on=dt.date(2024, 5, 1))
    elif record == "mandate":
        Mandate.objects.create(deputy=deputy, level=Level.TOWNSHIP, term=20, township=cast.west,
                               started_on=dt.date(2024, 5, 1))
    elif record == "ended_stationing":  # a closed stationing that ran past the date
        Stationing.objects.create(deputy=deputy, venue=cast.v2, started_on=dt.date(2022, 1, 1),
                                  ended_on=dt.date(2024, 5, 1))
    elif record == "ended_mandate":
        Mandate.objects.create(deputy=deputy, level=Level.TOWNSHIP, term=18, township=cast.west,
                               status=MandateStatus.RESIGNED, started_on=dt.date(2019, 1, 1),
                               ended_on=dt.date(2024, 5, 1))
    before = _snapshot()
    west_ended_before = Township.objects.get(pk=cast.west.pk).ended_on
    for attempt in (
        lambda: township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST),
        lambda: township_rename(actor=cast.admin, township=cast.west, name="西城乡", effective_on=PAST),
        lambda: township_split(actor=cast.admin, source=cast.west, effective_on=PAST, parts=[
            {"name": "西一乡", "villages": [cast.village_west]}, {"name": "西二乡", "villages": []}]),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "2024-05-01" in _messages(error.value) and "生效日期" in _messages(error.value)
    assert _snapshot() == before
    assert Township.objects.get(pk=cast.west.pk).ended_on == west_ended_before is None
    # the same re-division dated after the record is accepted
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=dt.date(2024, 5, 2))


def test_redivision_before_the_township_existed_is_refused(cast):
    Township.objects.filter(pk=cast.west.pk).update(started_on=dt.date(2023, 6, 1))
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        township_rename(actor=cast.admin, township=Township.objects.get(pk=cast.west.pk), name="西城乡",
                        effective_on=dt.date(2023, 6, 1))
    assert "2023-06-01" in _messages(error.value)
    with pytest.raises(ValidationError):  # nor into a township that did not exist yet
        township_merge(actor=cast.admin, sources=[cast.east], into=Township.objects.get(pk=cast.west.pk),
                       effective_on=dt.date(2023, 1, 1))
    assert _snapshot() == before


def test_redivision_in_the_future_is_refused(cast):
    """Applying it now would end a township that still exists until then."""
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        township_merge(actor=cast.admin, sources=[cast.west], into=cast.east,
                       effective_on=dt.date.today() + dt.timedelta(days=10))
    assert "生效日期不能晚于今天" in _messages(error.value)
    assert _snapshot() == before


def test_redividing_an_ended_township_is_refused(cast):
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    west = Township.objects.get(pk=cast.west.pk)
    before = _snapshot()
    later = PAST + dt.timedelta(days=30)
    for attempt in (
        lambda: township_merge(actor=cast.admin, sources=[west], into=cast.east, effective_on=later),
        lambda: township_merge(actor=cast.admin, sources=[cast.east], into=west, effective_on=later),
        lambda: township_rename(actor=cast.admin, township=west, name="西城乡", effective_on=later),
        lambda: township_split(actor=cast.admin, source=west, effective_on=later,
                               parts=[{"name": "甲", "villages": []}, {"name": "乙", "villages": []}]),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "已经撤销" in _messages(error.value)
    assert _snapshot() == before


def test_redividing_with_a_stale_township_object_is_refused(cast):
    """The check reads the database, not the caller's copy (which may predate another re-division)."""
    stale_west = Township.objects.get(pk=cast.west.pk)
    township_merge(actor=cast.admin, sources=[cast.west], into=cast.east, effective_on=PAST)
    before = _snapshot()
    with pytest.raises(ValidationError):
        township_rename(actor=cast.admin, township=stale_west, name="西城乡", effective_on=PAST + dt.timedelta(days=5))
    assert _snapshot() == before


def test_only_the_county_admin_may_redivide(cast):
    before = _snapshot()
    for actor in (cast.township_staff, cast.station_staff, cast.deputy, cast.unit, ANONYMOUS):
        with pytest.raises(PermissionDenied):
            township_merge(actor=actor, sources=[cast.west], into=cast.east, effective_on=PAST)
        with pytest.raises(PermissionDenied):
            township_rename(actor=actor, township=cast.east, name="东城", effective_on=PAST)
        with pytest.raises(PermissionDenied):
            township_split(actor=actor, source=cast.east, effective_on=PAST, parts=[
                {"name": "甲", "villages": [cast.village_east]}, {"name": "乙", "villages": []}])
    assert _snapshot() == before


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
    from organisation.models import StandardTemplate
    from organisation.services.redivision import township_merge
    from organisation.services.standards import assessment_record, standards_seed_defaults

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
