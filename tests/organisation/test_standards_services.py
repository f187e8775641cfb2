"""Standards, assessments, funds and build progress, called as services with the World's actors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from organisation.models import (
    Assessment,
    ConstructionFunding,
    StandardItem,
    StandardTemplate,
    Venue,
)
from organisation.selectors import (
    PROGRESS_HEADERS,
    build_progress,
    build_progress_for,
    fundings_visible_to,
    progress_township_ids,
)
from organisation.services.standards import (
    assessment_record,
    can_assess,
    funding_set,
    standard_template_save,
    standards_seed_defaults,
    stars_for,
)

pytestmark = pytest.mark.django_db

PAST = dt.date(2024, 1, 1)  # after every record of the World (which start on 2021-10-01)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


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
