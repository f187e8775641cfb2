"""Village re-division (撤并村, issue 15 item 3): merge, split and rename the villages of one township from an
effective date. Old villages are ended, never deleted; their venues move to the successor; a successor's
counts and case filter include its predecessors' opinions (merges and renames, not splits); refusals are
Chinese and write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEntry
from casework.models import Channel
from casework.selectors import cases_filtered, cases_visible_to, opinions_by_village
from casework.services.intake import opinion_receive
from duties.models import DutyKind, DutyRecord
from organisation.models import Redivision, RedivisionMove, RedivisionVillageLink, Township, Venue, Village
from organisation.services.redivision import township_merge
from organisation.services.village_redivision import village_lineage, village_merge, village_rename, village_split
from people.actors import actor_for
from people.models import Deputy
from reception.models import ReceptionIssue, ReceptionRecord, ReceptionSession

pytestmark = pytest.mark.django_db

PAST = dt.date(2024, 1, 1)  # after every record of the World (which start on 2021-10-01)
DAY = dt.date(2024, 3, 15)


class Place:
    """East town of the World's Alpha with a second village and its station: 东村 (station v1, a deputy
    stationed since 2021-10-01) and 东二村 (station v3); 西村 is in the west township."""

    def __init__(self, world):
        ids = world.ids
        self.world = world
        self.admin = actor_for(world.admin_a)
        self.east = Township.objects.get(pk=ids["east"])
        self.east_village = Village.objects.get(pk=ids["village_east"])
        self.west_village = Village.objects.get(pk=ids["village_west"])
        self.v1 = Venue.objects.get(pk=ids["v1"])
        self.second = Village.objects.create(township=self.east, name="东二村", division_code="990101100002")
        self.v3 = Venue.objects.create(name="东二村联络站", kind=Venue.Kind.VILLAGE_STATION, township=self.east,
                                       village=self.second)

    def fresh(self, village: Village) -> Village:
        return Village.objects.get(pk=village.pk)

    def opinion(self, village: Village, on: dt.date, venue: Venue | None = None):
        return opinion_receive(actor=self.admin, content=f"{village.name}路灯坏了", channel=Channel.VISIT,
                               received_on=on, village=village, venue=venue)


@pytest.fixture
def place(world):
    with schema_context(world.alpha.schema_name):
        yield Place(world)


def _snapshot() -> dict:
    """Everything a village re-division may touch, to prove that a refused one changed nothing."""
    return {
        "villages": sorted(Village.objects.values_list("pk", "name", "township_id", "ended_on")),
        "venues": sorted(Venue.objects.values_list("pk", "village_id", "township_id")),
        "redivisions": Redivision.objects.count(),
        "links": RedivisionVillageLink.objects.count(),
        "moves": RedivisionMove.objects.count(),
        "audit": AuditEntry.objects.filter(action__startswith="village.").count(),
    }


def _audited(redivision: Redivision, action: str) -> dict:
    entry = AuditEntry.objects.get(action=action, target_id=str(redivision.pk))
    assert entry.target_type == "organisation.redivision"
    return entry.data


# --- the three services ---------------------------------------------------------------------------------


def test_merge_ends_the_sources_moves_their_venues_and_links_them(place):
    redivision = village_merge(actor=place.admin, sources=[place.second], into=place.east_village,
                               effective_on=PAST, note="撤并村")
    assert (redivision.kind, redivision.level, redivision.note) == ("merge", "village", "撤并村")
    second = place.fresh(place.second)  # ended, never deleted
    assert second.ended_on == PAST - dt.timedelta(days=1) and str(second) == "东二村（已撤销）"
    assert place.fresh(place.east_village).ended_on is None
    v3 = Venue.objects.get(pk=place.v3.pk)
    assert (v3.village_id, v3.township_id) == (place.east_village.pk, place.east.pk)
    move = RedivisionMove.objects.get(redivision=redivision, subject="venue", subject_id=place.v3.pk)
    assert (move.from_village_id, move.from_township_id) == (place.second.pk, place.east.pk)
    assert list(redivision.village_links.values_list("predecessor_id", "successor_id")) == [
        (place.second.pk, place.east_village.pk)]
    assert not redivision.links.exists()  # no township changed
    assert village_lineage(place.east_village) == {place.east_village.pk, place.second.pk}
    assert _audited(redivision, "village.merge") == {"township": "东镇", "sources": ["东二村"], "into": "东村"}
    assert not Village.objects.current().filter(pk=place.second.pk).exists()


def test_split_makes_new_villages_and_sends_each_venue_to_its_part(place):
    v4 = Venue.objects.create(name="东村第二联络站", kind=Venue.Kind.VILLAGE_STATION, township=place.east,
                              village=place.east_village)
    redivision = village_split(actor=place.admin, source=place.east_village, effective_on=PAST, parts=[
        {"name": "东一村", "division_code": "990101100011"},
        {"name": "东三社区", "kind": Village.Kind.COMMUNITY, "venues": [v4]},
    ])
    one, three = Village.objects.get(name="东一村"), Village.objects.get(name="东三社区")
    assert (one.township_id, one.started_on, one.kind, one.division_code) == (
        place.east.pk, PAST, Village.Kind.VILLAGE, "990101100011")  # the source's kind by default
    assert (three.kind, three.started_on) == (Village.Kind.COMMUNITY, PAST)
    assert place.fresh(place.east_village).ended_on == PAST - dt.timedelta(days=1)
    assert Venue.objects.get(pk=v4.pk).village_id == three.pk
    assert Venue.objects.get(pk=place.v1.pk).village_id == one.pk  # named by no part: the first
    assert sorted(RedivisionMove.objects.filter(redivision=redivision).values_list("subject_id", "from_village_id")) \
        == sorted([(place.v1.pk, place.east_village.pk), (v4.pk, place.east_village.pk)])
    assert sorted(redivision.village_links.values_list("successor_id", flat=True)) == sorted([one.pk, three.pk])
    # A split's parts do not each inherit the whole source (it would be counted twice).
    assert village_lineage(one) == {one.pk} and village_lineage(three) == {three.pk}
    assert _audited(redivision, "village.split")["parts"] == ["东一村", "东三社区"]


def test_rename_makes_a_successor_village_and_keeps_the_old_one(place):
    redivision = village_rename(actor=place.admin, village=place.second, name="东新村", kind=Village.Kind.COMMUNITY,
                                effective_on=PAST)
    new = Village.objects.get(name="东新村")
    assert new.pk != place.second.pk and (new.division_code, new.kind, new.started_on) == (
        "990101100002", Village.Kind.COMMUNITY, PAST)  # the code kept
    old = place.fresh(place.second)
    assert old.name == "东二村" and old.ended_on == PAST - dt.timedelta(days=1)
    assert Venue.objects.get(pk=place.v3.pk).village_id == new.pk
    assert village_lineage(new) == {new.pk, old.pk}
    assert redivision.kind == "rename" and _audited(redivision, "village.rename")["to"] == "东新村"


def test_a_chain_of_merges_and_renames_rolls_up_and_a_rename_may_reuse_the_name(place):
    village_merge(actor=place.admin, sources=[place.second], into=place.east_village, effective_on=PAST)
    village_rename(actor=place.admin, village=place.east_village, name="东村", division_code="990101100009",
                   effective_on=PAST + dt.timedelta(days=30))
    new = Village.objects.current().get(township=place.east, name="东村")
    assert village_lineage(new) == {new.pk, place.east_village.pk, place.second.pk}


# --- refusals: Chinese, and nothing written ---------------------------------------------------------------


def _merge(place, **changes):
    kwargs = {"actor": place.admin, "sources": [place.second], "into": place.east_village, "effective_on": PAST}
    kwargs.update(changes)
    return lambda: village_merge(**kwargs)


def _split(place, *parts, **changes):
    kwargs = {"actor": place.admin, "source": place.east_village, "effective_on": PAST,
              "parts": list(parts) or [{"name": "东一村"}, {"name": "东三村"}]}
    kwargs.update(changes)
    return lambda: village_split(**kwargs)


def _rename(place, **changes):
    kwargs = {"actor": place.admin, "village": place.second, "name": "东新村", "effective_on": PAST}
    kwargs.update(changes)
    return lambda: village_rename(**kwargs)


def _ended(place) -> Village:
    return Village.objects.create(township=place.east, name="旧村", ended_on=dt.date(2020, 1, 1))


REFUSALS = {
    "across townships": (lambda p: _merge(p, sources=[p.west_village]),
                         "只能合并同一乡镇（街道）的村（社区）：西村 不属于 东镇。"),
    "nothing to merge": (lambda p: _merge(p, sources=[p.east_village]), "请选择要并入的村（社区）。"),
    "ended source": (lambda p: _merge(p, sources=[_ended(p)]), "旧村 已经撤销，不能再调整。"),
    "ended target": (lambda p: _merge(p, into=_ended(p)), "旧村 已经撤销，不能并入。"),
    "future": (lambda p: _merge(p, effective_on=timezone.localdate() + dt.timedelta(days=1)),
               "生效日期不能晚于今天"),
    "before the start": (lambda p: _rename(p, village=Village.objects.create(
        township=p.east, name="新设村", started_on=PAST)), "生效日期须晚于 新设村 的设立日期 2024-01-01。"),
    "target started later": (lambda p: _merge(p, into=Village.objects.create(
        township=p.east, name="新设村", started_on=PAST + dt.timedelta(days=1))),
        "生效日期不能早于 新设村 的设立日期 2024-01-02。"),
    "one part": (lambda p: _split(p, {"name": "东一村"}), "拆分至少要分成两个新单位。"),
    "same names": (lambda p: _split(p, {"name": "东一村"}, {"name": "东一村"}), "新单位名称重复：东一村"),
    "name taken": (lambda p: _split(p, {"name": "东一村"}, {"name": "东二村"}), "已有名为 东二村 的村（社区）。"),
    "no name": (lambda p: _split(p, {"name": "东一村"}, {"name": " "}), "请填写新单位的名称。"),
    "code format": (lambda p: _split(p, {"name": "东一村", "division_code": "99010110001"}, {"name": "东三村"}),
                    "村（社区）区划代码应为12位数字。"),
    "code prefix": (lambda p: _split(p, {"name": "东一村", "division_code": "990101200011"}, {"name": "东三村"}),
                    "村（社区）区划代码 990101200011 应以所属乡镇代码 990101100 开头。"),
    "code taken": (lambda p: _split(p, {"name": "东一村", "division_code": "990101100002"}, {"name": "东三村"}),
                   "区划代码 990101100002 已被其他村（社区）使用。"),
    "foreign venue": (lambda p: _split(p, {"name": "东一村", "venues": [p.v3]}, {"name": "东三村"}),
                      "东二村联络站 不是 东村 的站点。"),
    "venue twice": (lambda p: _split(p, {"name": "东一村", "venues": [p.v1]}, {"name": "东三村", "venues": [p.v1]}),
                    "同一站点只能划入一个新单位"),
    "same name on rename": (lambda p: _rename(p, name="东二村"), "新名称、区划代码和类型与原来相同，无需调整。"),
    "name taken on rename": (lambda p: _rename(p, name="东村"), "已有名为 东村 的村（社区）。"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_are_chinese_and_write_nothing(place, case):
    make, message = REFUSALS[case]
    attempt = make(place)
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        attempt()
    assert message in " ".join(refused.value.messages)
    assert _snapshot() == before


@pytest.mark.parametrize("attempt", [_merge, _split, _rename])
def test_only_the_county_administrator_re_divides_villages(place, attempt):
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        attempt(place, actor=actor_for(place.world.township_staff_a))()
    assert _snapshot() == before


# --- backdating: a record about the villages on or after the date holds the re-division back -------------


def opinion_about_the_village(place) -> None:
    place.opinion(place.second, DAY)


def opinion_at_its_station(place) -> None:
    opinion_receive(actor=place.admin, content="路灯坏了", channel=Channel.VISIT, venue=place.v3, received_on=DAY)


def reception_issue_about_it(place) -> None:
    """Raised at the township's home, about the village."""
    at = timezone.make_aware(dt.datetime(2024, 3, 15, 9))
    session = ReceptionSession.objects.create(venue_id=place.world.ids["home"], planned_on=DAY, date=DAY,
                                              starts_at=at, ends_at=at + dt.timedelta(hours=3))
    record = ReceptionRecord.objects.create(session=session, visitors_count=1)
    ReceptionIssue.objects.create(record=record, content="路灯坏了", village=place.second)


def duty_at_its_station(place) -> None:
    DutyRecord.objects.create(kind=DutyKind.VISIT, deputy=Deputy.objects.get(pk=place.world.ids["deputy"]),
                              occurred_on=DAY, venue=place.v3, title="走访", author_id=place.world.admin_a.pk)


def earlier_village_redivision(place) -> None:
    """东二村 is itself a successor from DAY."""
    Village.objects.create(township=place.east, name="东四村")
    village_merge(actor=place.admin, sources=[Village.objects.get(name="东四村")], into=place.second,
                  effective_on=DAY)


def township_merge_that_moved_it(place) -> None:
    """东二村 came to its township on DAY (its township was merged)."""
    west = Township.objects.get(pk=place.world.ids["west"])
    west_village = Village.objects.create(township=west, name="西二村")
    township_merge(actor=place.admin, sources=[west], into=place.east, effective_on=DAY)
    place.second = Village.objects.get(pk=west_village.pk)


@pytest.mark.parametrize("record", [opinion_about_the_village, opinion_at_its_station, reception_issue_about_it,
                                    duty_at_its_station, earlier_village_redivision, township_merge_that_moved_it])
def test_a_village_redivision_may_not_take_effect_on_or_before_a_record_about_it(place, record):
    record(place)
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        village_merge(actor=place.admin, sources=[place.second], into=place.east_village, effective_on=DAY)
    message = " ".join(refused.value.messages)
    assert "生效日期不能早于或等于原村（社区）已有记录的日期（最近一条记录为 2024-03-15）" in message
    assert _snapshot() == before
    village_merge(actor=place.admin, sources=[place.second], into=place.east_village,
                  effective_on=DAY + dt.timedelta(days=1))
    assert place.fresh(place.second).ended_on == DAY


def test_a_township_redivision_may_not_predate_one_of_its_villages(place):
    village_merge(actor=place.admin, sources=[place.second], into=place.east_village, effective_on=DAY)
    west = Township.objects.get(pk=place.world.ids["west"])
    with pytest.raises(ValidationError, match="最近一条记录为 2024-03-15"):
        township_merge(actor=place.admin, sources=[place.east], into=west, effective_on=DAY)


# --- lineage: counts and the case filter ----------------------------------------------------------------


def test_a_merge_counts_its_predecessors_opinions_and_a_split_does_not_count_twice(place):
    early = dt.date(2023, 6, 1)
    for village in (place.second, place.second, place.east_village):
        place.opinion(village, early)
    assert opinions_by_village(place.admin, [place.east_village.pk, place.second.pk]) == {
        place.east_village.pk: 1, place.second.pk: 2}

    village_merge(actor=place.admin, sources=[place.second], into=place.east_village, effective_on=PAST)
    counts = opinions_by_village(place.admin, [place.east_village.pk, place.second.pk])
    assert counts == {place.east_village.pk: 3, place.second.pk: 2}  # the ended village keeps its own
    by_filter = cases_filtered(cases_visible_to(place.admin), village=place.east_village.pk)
    assert by_filter.count() == 3
    assert cases_filtered(cases_visible_to(place.admin), village=place.second.pk).count() == 2
    # the opinions keep their village
    assert sorted(o.village_id for c in by_filter for o in c.opinions.all()) == sorted(
        [place.second.pk, place.second.pk, place.east_village.pk])

    village_split(actor=place.admin, source=place.east_village, effective_on=PAST + dt.timedelta(days=30),
                  parts=[{"name": "东甲村"}, {"name": "东乙村"}])
    parts = list(Village.objects.filter(name__in=["东甲村", "东乙村"]))
    ids = [place.east_village.pk, *(p.pk for p in parts)]
    counts = opinions_by_village(place.admin, ids)
    assert [counts[p.pk] for p in parts] == [0, 0] and counts[place.east_village.pk] == 3
    assert cases_filtered(cases_visible_to(place.admin), village=parts[0].pk).count() == 0


def test_counts_follow_what_the_actor_may_read(place):
    place.opinion(place.second, dt.date(2023, 6, 1))
    village_merge(actor=place.admin, sources=[place.second], into=place.east_village, effective_on=PAST)
    unit = actor_for(place.world.unit_a)  # handling units read suggestions, not cases
    assert opinions_by_village(unit, [place.east_village.pk]) == {place.east_village.pk: 0}
    staff = actor_for(place.world.township_staff_a)  # east's presidium
    assert opinions_by_village(staff, [place.east_village.pk]) == {place.east_village.pk: 1}


# --- pages and API -------------------------------------------------------------------------------------


def text(response) -> str:
    return response.content.decode()


def _second(world, alpha) -> int:
    with alpha():
        return Place(world).second.pk


def test_village_forms_on_the_redivision_page(world, as_, alpha):
    second = _second(world, alpha)
    client = as_("admin_a")
    east = world.ids["east"]
    chosen = text(client.get(f"/organisation/redivisions/?village-township={east}"))
    assert "东镇：村（社区）合并" in chosen and "东二村" in chosen and "西村" not in chosen.split('id="villages"')[1]

    refused = client.post("/organisation/redivisions/villages/merge/", {  # 东村's station has a deputy since then
        "village-township": east, "vmerge-sources": [world.ids["village_east"]], "vmerge-into": second,
        "vmerge-effective_on": "2021-06-01"})
    assert refused.status_code == 400
    assert "生效日期不能早于或等于原村（社区）已有记录的日期（最近一条记录为 2021-10-01）" in text(refused)
    merged = client.post("/organisation/redivisions/villages/merge/", {
        "village-township": east, "vmerge-sources": [second], "vmerge-into": world.ids["village_east"],
        "vmerge-effective_on": "2024-01-01", "vmerge-note": "东二村并入东村"})
    assert merged.status_code == 302

    step = text(client.get(f"/organisation/redivisions/?village-township={east}"
                           f"&vsplit-source={world.ids['village_east']}&vsplit-parts=2"))
    assert "将 <strong>东村</strong> 拆分为 2 个新村（社区）" in step and "东二村联络站" in step  # merged in
    with alpha():
        v3 = Venue.objects.get(name="东二村联络站").pk
    split = {"village-township": east, "vsplit-source": world.ids["village_east"], "vsplit-parts": 2,
             "vparts-part1_name": "东一村", "vparts-part1_kind": "village", "vparts-part1_code": "990101200011",
             "vparts-part2_name": "东三村", "vparts-part2_kind": "community", f"vparts-venue_{v3}": "2",
             "vparts-effective_on": "2024-02-01"}
    wrong_code = client.post("/organisation/redivisions/villages/split/", split)
    assert wrong_code.status_code == 400 and "应以所属乡镇代码 990101100 开头" in text(wrong_code)
    split["vparts-part1_code"] = "990101100011"
    assert client.post("/organisation/redivisions/villages/split/", split).status_code == 302

    renamed = client.post("/organisation/redivisions/villages/rename/", {
        "village-township": east, "vrename-village": "", "vrename-name": "东新村",
        "vrename-effective_on": "2024-03-01"})
    assert renamed.status_code == 400
    with alpha():
        three = Village.objects.get(name="东三村").pk
    renamed = client.post("/organisation/redivisions/villages/rename/", {
        "village-township": east, "vrename-village": three, "vrename-name": "东新社区",
        "vrename-effective_on": "2024-03-01"})
    assert renamed.status_code == 302
    with alpha():
        current = set(Village.objects.current().filter(township_id=east).values_list("name", flat=True))
        assert current == {"东一村", "东新社区"}
        assert Venue.objects.get(pk=v3).village.name == "东新社区"
        assert Venue.objects.get(pk=world.ids["v1"]).village.name == "东一村"

    history = text(client.get("/organisation/redivisions/")).split("调整记录")[1]
    assert "村（社区）合并" in history and "东二村并入东村" in history
    assert "东二村（已撤销） → 东村（已撤销）" in history
    assert "东村（已撤销） → 东三村（已撤销）" in history and "东三村（已撤销） → 东新社区" in history
    assert as_("township_staff_a").post("/organisation/redivisions/villages/rename/", {}).status_code == 403


def test_township_page_lists_ended_villages_on_request_with_lineage_counts(world, as_, alpha):
    with alpha():
        place = Place(world)
        place.opinion(place.second, dt.date(2023, 6, 1))
        village_merge(actor=place.admin, sources=[place.second], into=place.east_village, effective_on=PAST)
    client = as_("admin_a")
    page = text(client.get(f"/organisation/townships/{world.ids['east']}/"))
    assert f'href="/cases/?village={world.ids["village_east"]}">意见 1 条</a>' in page
    assert "东二村" not in page.split("村（社区）沿革")[0] and "东二村（已撤销） → 东村" in page
    with_ended = text(client.get(f"/organisation/townships/{world.ids['east']}/?ended=1"))
    assert "东二村" in with_ended.split("村（社区）沿革")[0]
    cases = text(client.get(f"/cases/?village={world.ids['village_east']}"))
    assert "东二村路灯坏了" in cases
    assert "/cases/?village=" not in text(as_("unit_a").get(f"/organisation/townships/{world.ids['east']}/"))


def test_api_lists_village_redivisions_and_keeps_ended_villages_as_history(world, as_, alpha):
    with alpha():
        place = Place(world)
        village_merge(actor=place.admin, sources=[place.second], into=place.east_village, effective_on=PAST)
        second = place.second.pk
    client = as_("admin_a")
    [row] = client.get("/api/v1/redivisions/").json()["results"]
    assert row["level"] == "village" and row["links"] == []
    assert row["village_links"][0]["predecessor"] == {"id": second, "name": "东二村", "township": world.ids["east"],
                                                      "ended_on": "2023-12-31"}
    listed = {v["id"] for v in client.get("/api/v1/villages/").json()["results"]}
    assert second not in listed
    assert second in {v["id"] for v in client.get("/api/v1/villages/?ended=1").json()["results"]}
    refused = client.patch(f"/api/v1/villages/{second}/", {"kind": "community"}, content_type="application/json")
    assert refused.status_code == 400 and "该村（社区）已撤销，历史记录不能修改。" in text(refused)
    cases = client.get(f"/api/v1/cases/?village={world.ids['village_east']}")
    assert cases.status_code == 200


def test_api_merges_splits_and_renames_villages_with_the_pages_refusals(world, as_, alpha):
    with alpha():
        place = Place(world)
        second, east_village, v3 = place.second.pk, place.east_village.pk, place.v3.pk
    client = as_("admin_a")

    def post(path: str, **body):
        return client.post(f"/api/v1/redivisions/villages/{path}/", body, content_type="application/json")

    merged = post("merge", sources=[second], into=east_village, effective_on=str(PAST), note="撤并村")
    assert merged.status_code == 201
    assert merged.json()["level"] == "village" and merged.json()["kind"] == "merge"
    assert merged.json()["village_links"][0]["predecessor"]["id"] == second
    with alpha():
        assert Venue.objects.get(pk=v3).village_id == east_village

    again = post("merge", sources=[second], into=east_village, effective_on=str(DAY))
    assert again.status_code == 400 and "对象不存在" in text(again)  # the merged village is ended: no choice

    split = post("split", source=east_village, effective_on=str(DAY),
                 parts=[{"name": "东上村", "venues": [v3]}, {"name": "东下社区", "kind": "community"}])
    assert split.status_code == 201, text(split)
    with alpha():
        upper, lower = Village.objects.get(name="东上村"), Village.objects.get(name="东下社区")
        assert (upper.kind, lower.kind) == ("village", "community")  # the source's kind unless one is given
        assert Venue.objects.get(pk=v3).village_id == upper.pk
        assert Venue.objects.get(pk=world.ids["v1"]).village_id == upper.pk  # no part named it: the first

    one_part = post("split", source=upper.pk, effective_on=str(DAY + dt.timedelta(days=1)),
                    parts=[{"name": "东上一村"}])
    assert one_part.status_code == 400 and "拆分至少要分成两个新单位。" in text(one_part)

    renamed = post("rename", village=lower.pk, name="东下新社区", effective_on=str(DAY + dt.timedelta(days=1)))
    assert renamed.status_code == 201
    with alpha():
        assert Village.objects.current().filter(name="东下新社区").exists()
    assert as_("township_staff_a").post("/api/v1/redivisions/villages/rename/", {
        "village": upper.pk, "name": "x", "effective_on": str(DAY)}, content_type="application/json"
    ).status_code == 403


def test_api_registers_a_village_rename_dated_after_today(world, as_, alpha):
    later = timezone.localdate() + dt.timedelta(days=30)
    client = as_("admin_a")
    answer = client.post("/api/v1/redivisions/villages/rename/", {
        "village": world.ids["village_west"], "name": "西新村", "effective_on": str(later)},
        content_type="application/json")
    assert answer.status_code == 202, text(answer)
    assert answer.json()["level"] == "village" and answer.json()["effective_on"] == str(later)
    with alpha():
        assert Village.objects.get(pk=world.ids["village_west"]).ended_on is None  # on its day, not now
    [listed] = client.get("/api/v1/redivisions/scheduled/").json()["results"]
    assert listed["id"] == answer.json()["id"]
