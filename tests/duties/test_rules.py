"""The three-ones rule, pairing contacts, the yearly evaluation, training attendance and the registers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duties.models import DutyKind, DutyRecord, DutyRule, TrainingAttendance
from duties.selectors.compliance import months_of, pairing_contacts, three_ones_report
from duties.selectors.evaluation import evaluation
from duties.selectors.records import reads_duty_reports
from duties.selectors.registers import activity_register, contact_card, register_pdf
from duties.services.records import duty_record_confirm, duty_record_log
from duties.services.rules import duty_rule_update
from duties.services.training import (
    can_organise,
    organises_training,
    training_attendance_mark,
    training_event_create,
)
from people.models import PairingRule
from people.services.pairing import pairing_create

pytestmark = pytest.mark.django_db

YEAR = 2025


def log(cast, actor, deputy, kind, day, **extra):
    return duty_record_log(actor=actor, deputy=deputy, kind=kind, occurred_on=day, title=str(kind), **extra)


def test_months_of_a_year():
    assert months_of(2025, dt.date(2026, 3, 9)) == list(range(1, 13))
    assert months_of(2026, dt.date(2026, 3, 9)) == [1, 2, 3]
    assert months_of(2027, dt.date(2026, 3, 9)) == []


def test_three_ones_matrix_counts_confirmed_records_only(cast):
    log(cast, cast.deputy, cast.d, DutyKind.RECEPTION, dt.date(YEAR, 1, 6))
    log(cast, cast.deputy, cast.d, DutyKind.VISIT, dt.date(YEAR, 1, 20))
    log(cast, cast.deputy, cast.d, DutyKind.RECEPTION, dt.date(YEAR, 2, 3))  # no visit in February
    log(cast, cast.deputy, cast.d, DutyKind.REPORT_TO_VOTERS, dt.date(YEAR, 12, 1))
    pending = log(cast, cast.admin, cast.d, DutyKind.VISIT, dt.date(YEAR, 2, 10))  # not confirmed yet
    log(cast, cast.admin, cast.wd, DutyKind.RECEPTION, dt.date(YEAR, 1, 6))
    report = three_ones_report(actor=cast.admin, year=YEAR)
    row = next(r for r in report.rows if r.deputy.deputy_id == cast.d.pk)
    assert [(c.receptions, c.visits, c.ok) for c in row.months[:3]] == [(1, 1, True), (1, 0, False), (0, 0, False)]
    assert row.report_ok and row.months_ok == 1
    assert row.deputy.venue_id == cast.v1.pk and row.deputy.township_id == cast.east.pk
    v1 = next(s for s in report.stations if s.id == cast.v1.pk)
    assert v1.deputies == 1 and v1.months_ok[:2] == [1, 0] and v1.reports_ok == 1
    east = next(t for t in report.townships if t.id == cast.east.pk)
    assert east.deputies == 2  # deputy_a at v1 and the township deputy at the home
    duty_record_confirm(actor=cast.deputy, record=pending)
    row = next(r for r in three_ones_report(actor=cast.admin, year=YEAR).rows if r.deputy.deputy_id == cast.d.pk)
    assert row.months[1].ok
    # the county's own figures
    duty_rule_update(actor=cast.admin, visits_per_month=2)
    row = next(r for r in three_ones_report(actor=cast.admin, year=YEAR).rows if r.deputy.deputy_id == cast.d.pk)
    assert row.months_ok == 0


def test_who_reads_the_duty_reports(cast):
    """One rule for the three-ones and the evaluation, on the pages and in the API."""
    for actor in (cast.admin, cast.township_staff, cast.station_staff, cast.deputy, cast.township_deputy):
        assert reads_duty_reports(actor)
    assert not reads_duty_reports(cast.unit)


def test_three_ones_scope_and_constant_queries(cast):
    assert {r.deputy.deputy_id for r in three_ones_report(actor=cast.station_staff, year=YEAR).rows} == {cast.wd.pk}
    assert {r.deputy.deputy_id for r in three_ones_report(actor=cast.deputy, year=YEAR).rows} == {cast.d.pk}
    assert three_ones_report(actor=cast.unit, year=YEAR).rows == []
    DutyRule.current()
    PairingRule.current()

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            three_ones_report(actor=cast.admin, year=YEAR)
        return len(ctx.captured_queries)

    few = queries()
    for month in range(1, 13):
        for deputy in (cast.d, cast.td, cast.wd):
            log(cast, cast.admin, deputy, DutyKind.VISIT, dt.date(YEAR, month, 5))
            log(cast, cast.admin, deputy, DutyKind.RECEPTION, dt.date(YEAR, month, 6))
    DutyRecord.objects.update(status=DutyRecord.Status.CONFIRMED)
    # the deputies, the counts and voters met, the two rule rows; for the townships of each month, the
    # deputies' stations and mandates, where re-divisions moved them (two) and the townships' names
    assert queries() == few <= 9


def test_rule_update_is_the_administrators_and_checked(cast):
    with pytest.raises(PermissionDenied):
        duty_rule_update(actor=cast.township_staff, receptions_per_month=2)
    with pytest.raises(ValidationError) as error:
        duty_rule_update(actor=cast.admin, receptions_per_month=-1, weights={"party": 3},
                         outstanding_top_n=0)
    assert error.value.message_dict == {"receptions_per_month": ["须为0到31之间的整数。"],
                                        "weights": ["各类履职分值须为0到100之间的整数。"],
                                        "outstanding_top_n": ["优秀代表名额须为1到10000之间的整数，或留空。"]}
    assert DutyRule.current().receptions_per_month == 1
    rule = duty_rule_update(actor=cast.admin, weights={"visit": 4})
    assert rule.weight("visit") == 4 and rule.weight("report_to_voters") == 5


def test_pairing_contacts_count_pair_contact_records(cast):
    pairing = pairing_create(actor=cast.admin, county_deputy=cast.d, township_deputy=cast.td,
                             started_on=dt.date(2024, 1, 1))
    log(cast, cast.deputy, cast.d, DutyKind.PAIR_CONTACT, dt.date(YEAR, 3, 1), participants=[cast.td])
    log(cast, cast.township_deputy, cast.td, DutyKind.PAIR_CONTACT, dt.date(YEAR, 5, 1), participants=[cast.d])
    log(cast, cast.deputy, cast.d, DutyKind.PAIR_CONTACT, dt.date(YEAR - 1, 5, 1), participants=[cast.td])
    log(cast, cast.deputy, cast.d, DutyKind.VISIT, dt.date(YEAR, 5, 1), participants=[cast.td])
    log(cast, cast.admin, cast.d, DutyKind.PAIR_CONTACT, dt.date(YEAR, 6, 1), participants=[cast.td])  # pending
    assert pairing_contacts([pairing], year=YEAR) == {pairing.pk: 2}


def test_evaluation_scores_ranks_and_outstanding(cast):
    duty_rule_update(actor=cast.admin, outstanding_top_n=1, outstanding_min_score=5)
    log(cast, cast.deputy, cast.d, DutyKind.RECEPTION, dt.date(YEAR, 1, 6))  # 3
    log(cast, cast.deputy, cast.d, DutyKind.REPORT_TO_VOTERS, dt.date(YEAR, 6, 6))  # 5
    log(cast, cast.township_deputy, cast.td, DutyKind.VISIT, dt.date(YEAR, 1, 6))  # 2
    log(cast, cast.township_deputy, cast.td, DutyKind.RECEPTION, dt.date(YEAR, 1, 7))  # 3
    log(cast, cast.admin, cast.wd, DutyKind.VISIT, dt.date(YEAR, 1, 6))  # pending: 0
    rows = {r.deputy.deputy_id: r for r in evaluation(actor=cast.admin, year=YEAR).rows}
    assert (rows[cast.d.pk].score, rows[cast.d.pk].rank, rows[cast.d.pk].outstanding) == (8, 1, True)
    assert (rows[cast.td.pk].score, rows[cast.td.pk].rank, rows[cast.td.pk].outstanding) == (5, 2, True)
    assert (rows[cast.wd.pk].score, rows[cast.wd.pk].rank, rows[cast.wd.pk].outstanding) == (0, 3, False)
    assert rows[cast.td.pk].township_rank == 2 and rows[cast.wd.pk].township_rank == 1
    assert rows[cast.d.pk].counts["reception"] == 1
    duty_rule_update(actor=cast.admin, weights={"visit": 10})
    rows = {r.deputy.deputy_id: r for r in evaluation(actor=cast.admin, year=YEAR).rows}
    assert rows[cast.td.pk].score == 13 and rows[cast.td.pk].rank == 1
    # a deputy reads their own row, with their county rank
    own = evaluation(actor=cast.deputy, year=YEAR).rows
    assert [(r.deputy.deputy_id, r.rank) for r in own] == [(cast.d.pk, 2)]


def test_training_present_logs_one_study_record(cast):
    event = training_event_create(actor=cast.admin, title="代表履职培训班", held_on=dt.date(YEAR, 4, 10),
                                  venue=cast.home, organiser="县人大常委会")
    for _ in range(2):
        training_attendance_mark(actor=cast.township_staff, event=event, deputy=cast.d, status="present")
    records = DutyRecord.objects.filter(deputy=cast.d, kind=DutyKind.STUDY_TRAINING)
    assert records.count() == 1 and records.get().status == DutyRecord.Status.CONFIRMED
    training_attendance_mark(actor=cast.township_staff, event=event, deputy=cast.d, status="excused")
    assert not records.exists()
    assert TrainingAttendance.objects.get(event=event, deputy=cast.d).status == "excused"
    with pytest.raises(PermissionDenied):  # the west deputy is not east's
        training_attendance_mark(actor=cast.township_staff, event=event, deputy=cast.wd, status="present")
    with pytest.raises(PermissionDenied):
        training_attendance_mark(actor=cast.deputy, event=event, deputy=cast.d, status="present")
    with pytest.raises(ValidationError) as error:
        training_attendance_mark(actor=cast.admin, event=event, deputy=cast.d, status="late")
    assert error.value.message_dict == {"status": ["请选择出勤情况。"]}


def test_training_events_are_organised_by_county_or_township(cast):
    assert can_organise(cast.admin, None) and can_organise(cast.township_staff, cast.east)
    assert not can_organise(cast.township_staff, None) and not can_organise(cast.township_staff, cast.west)
    assert organises_training(cast.admin) and organises_training(cast.township_staff)
    for actor in (cast.station_staff, cast.deputy, cast.unit):  # the pages offer them no form
        assert not organises_training(actor) and not can_organise(actor, cast.west)
    with pytest.raises(PermissionDenied):
        training_event_create(actor=cast.township_staff, title="x", held_on=dt.date(YEAR, 1, 1))
    with pytest.raises(PermissionDenied):
        training_event_create(actor=cast.township_staff, title="x", held_on=dt.date(YEAR, 1, 1), township=cast.west)
    event = training_event_create(actor=cast.township_staff, title="镇人大学习会", kind="study",
                                  held_on=dt.date(YEAR, 1, 1), township=cast.east)
    assert event.get_kind_display() == "学习"
    future = training_event_create(actor=cast.admin, title="明年培训", held_on=dt.date(2099, 1, 1))
    with pytest.raises(ValidationError) as error:
        training_attendance_mark(actor=cast.admin, event=future, deputy=cast.d, status="present")
    assert error.value.message_dict == {"status": ["活动尚未举行，不能登记出勤。"]}


def test_registers_and_their_pdf(cast):
    pairing_create(actor=cast.admin, county_deputy=cast.d, township_deputy=cast.td, started_on=dt.date(2024, 1, 1))
    log(cast, cast.deputy, cast.d, DutyKind.RECEPTION, dt.date(YEAR, 1, 6), venue=cast.v1, constituents_count=7,
        participants=[cast.td], other_participants="村支书")
    log(cast, cast.deputy, cast.d, DutyKind.VISIT, dt.date(YEAR, 2, 6), venue=cast.v2)
    register = activity_register(actor=cast.admin, venue=cast.v1, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    assert register.title == "东村联络站 活动登记簿"
    assert register.rows == [["2025-01-06", "接待选民", "reception", "甲县县代表、甲县镇代表、村支书", 7, "", "已确认"]]
    card = contact_card(actor=cast.deputy, deputy_id=cast.d.pk, year=YEAR)
    facts = dict(card.facts)
    assert facts["代表层级"] == "县级" and facts["驻站"] == "东村联络站" and facts["结对联系代表"] == "甲县镇代表"
    assert dict((row[0], row[1]) for row in card.sections[0][2])["接待选民"] == 1
    pdf = register_pdf(register)
    assert pdf.startswith(b"%PDF") and register_pdf(card).startswith(b"%PDF")
    from django.http import Http404

    with pytest.raises(Http404):  # station staff of v2 do not manage deputy_a
        contact_card(actor=cast.station_staff, deputy_id=cast.d.pk, year=YEAR)
