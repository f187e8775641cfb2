"""The duty rules counted whole (issue 15, item 5): voters met per deputy against the county's figure;
presidium visits to paired deputies counted apart from pair contacts, each against its own figure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from core.xlsx import xlsx_rows
from duties.models import DutyKind
from duties.selectors.compliance import pairing_contacts, presidium_visits, three_ones_report, voter_contacts
from duties.services.records import duty_record_confirm, duty_record_log, duty_record_update
from people.actors import actor_for
from people.models import Deputy
from people.services.pairing import pairing_create, pairing_rule_update

pytestmark = pytest.mark.django_db

YEAR = 2025


def log(actor, deputy, kind, day, **extra):
    return duty_record_log(actor=actor, deputy=deputy, kind=kind, occurred_on=day, title=str(kind), **extra)


def test_a_voter_contact_needs_a_positive_number_of_voters(cast):
    for count in (None, 0):
        with pytest.raises(ValidationError) as error:
            log(cast.deputy, cast.d, DutyKind.VOTER_CONTACT, dt.date(YEAR, 3, 1), constituents_count=count)
        assert error.value.message_dict == {"constituents_count": ["联系选民须填写联系的选民人数（正整数）。"]}
    with pytest.raises(ValidationError) as error:
        log(cast.deputy, cast.d, DutyKind.VOTER_CONTACT, dt.date(YEAR, 3, 1), constituents_count=-3)
    assert error.value.message_dict == {"constituents_count": ["群众人次须为0到100000之间的整数。"]}
    assert log(cast.deputy, cast.d, DutyKind.VISIT, dt.date(YEAR, 3, 1)).constituents_count is None  # others: optional


def test_an_edit_keeps_a_voter_contact_counted(cast):
    record = log(cast.admin, cast.d, DutyKind.VISIT, dt.date(YEAR, 3, 1))  # staff's: editable until confirmed
    with pytest.raises(ValidationError) as error:  # becomes a voter contact without saying how many
        duty_record_update(actor=cast.admin, record=record, kind=DutyKind.VOTER_CONTACT)
    assert list(error.value.message_dict) == ["constituents_count"]
    record = duty_record_update(actor=cast.admin, record=record, kind=DutyKind.VOTER_CONTACT, constituents_count=8)
    with pytest.raises(ValidationError):  # the number cleared on a voter contact
        duty_record_update(actor=cast.admin, record=record, constituents_count=None)
    record.refresh_from_db()
    assert (record.kind, record.constituents_count) == (DutyKind.VOTER_CONTACT, 8)


def test_voters_met_summed_per_deputy_and_compared_with_the_county_figure(cast):
    log(cast.deputy, cast.d, DutyKind.VOTER_CONTACT, dt.date(YEAR, 3, 1), constituents_count=6)
    log(cast.deputy, cast.d, DutyKind.VOTER_CONTACT, dt.date(YEAR, 9, 1), constituents_count=5)
    log(cast.deputy, cast.d, DutyKind.VOTER_CONTACT, dt.date(YEAR - 1, 9, 1), constituents_count=40)  # last year
    log(cast.deputy, cast.d, DutyKind.RECEPTION, dt.date(YEAR, 9, 2), constituents_count=30)  # not a voter contact
    pending = log(cast.admin, cast.td, DutyKind.VOTER_CONTACT, dt.date(YEAR, 4, 1), constituents_count=20)
    assert voter_contacts(year=YEAR, deputy_ids=[cast.d.pk, cast.td.pk]) == {cast.d.pk: 11}
    rows = {r.deputy.deputy_id: r for r in three_ones_report(actor=cast.admin, year=YEAR).rows}
    assert three_ones_report(actor=cast.admin, year=YEAR).voters_per_deputy == 10  # the default (004)
    assert (rows[cast.d.pk].voters, rows[cast.d.pk].voters_ok) == (11, True)
    assert (rows[cast.td.pk].voters, rows[cast.td.pk].voters_ok) == (0, False)
    duty_record_confirm(actor=cast.township_deputy, record=pending)
    pairing_rule_update(actor=cast.admin, voter_contacts_per_deputy=15)
    report = three_ones_report(actor=cast.admin, year=YEAR)
    rows = {r.deputy.deputy_id: r for r in report.rows}
    assert report.voters_per_deputy == 15
    assert (rows[cast.d.pk].voters, rows[cast.d.pk].voters_ok) == (11, False)
    assert (rows[cast.td.pk].voters, rows[cast.td.pk].voters_ok) == (20, True)


def test_presidium_visits_counted_apart_from_pair_contacts(cast):
    pairing = pairing_create(actor=cast.admin, county_deputy=cast.d, township_deputy=cast.td,
                             started_on=dt.date(2024, 1, 1))
    log(cast.deputy, cast.d, DutyKind.PAIR_CONTACT, dt.date(YEAR, 3, 1), participants=[cast.td])
    # The township deputy visited by the presidium (logged by the visited deputy, and by a presidium member
    # who is a deputy, with the visited one a participant); a visit to both of the pair counts once.
    log(cast.township_deputy, cast.td, DutyKind.PRESIDIUM_VISIT, dt.date(YEAR, 4, 1))
    log(cast.admin, cast.wd, DutyKind.PRESIDIUM_VISIT, dt.date(YEAR, 5, 1), participants=[cast.td])  # pending
    log(cast.deputy, cast.d, DutyKind.PRESIDIUM_VISIT, dt.date(YEAR, 6, 1), participants=[cast.td])
    log(cast.deputy, cast.d, DutyKind.PRESIDIUM_VISIT, dt.date(YEAR - 1, 6, 1))  # last year
    assert pairing_contacts([pairing], year=YEAR) == {pairing.pk: 1}  # the presidium visits are not pair contacts
    assert presidium_visits([pairing], year=YEAR) == {pairing.pk: 2}


def test_the_pairing_rule_has_a_figure_for_each(cast):
    rule = pairing_rule_update(actor=cast.admin, pair_contacts_per_year=4, presidium_visits_per_year=3)
    assert (rule.pair_contacts_per_year, rule.presidium_visits_per_year) == (4, 3)
    with pytest.raises(ValidationError) as error:
        pairing_rule_update(actor=cast.admin, pair_contacts_per_year=0)
    assert error.value.message_dict == {"pair_contacts_per_year": ["须为1到200之间的整数。"]}


def _pair_with_records(world):
    with schema_context(world.alpha.schema_name):
        admin, deputy = actor_for(world.admin_a), actor_for(world.deputy_a)
        d, td = Deputy.objects.get(pk=world.ids["deputy"]), Deputy.objects.get(pk=world.ids["township_deputy"])
        pairing = pairing_create(actor=admin, county_deputy=d, township_deputy=td, started_on=dt.date(2024, 1, 1))
        pairing_rule_update(actor=admin, pair_contacts_per_year=1, presidium_visits_per_year=3)
        today = dt.date.today()
        log(deputy, d, DutyKind.PAIR_CONTACT, today, participants=[td])
        log(deputy, d, DutyKind.PRESIDIUM_VISIT, today, participants=[td])
        log(deputy, d, DutyKind.VOTER_CONTACT, today, constituents_count=7)
    return pairing


def test_the_pairing_api_gives_each_against_its_figure(as_, world):
    pairing = _pair_with_records(world)
    report = as_("admin_a").get("/api/v1/pairings/compliance/").json()
    assert report["rule"]["pair_contacts_per_year"] == 1
    [row] = report["contacts"]
    assert row["pairing"] == pairing.pk
    assert {k: row[k] for k in ("contacts", "required", "met", "presidium_visits", "presidium_visits_required",
                                "presidium_visits_met")} == {
        "contacts": 1, "required": 1, "met": True,
        "presidium_visits": 1, "presidium_visits_required": 3, "presidium_visits_met": False}
    three = as_("admin_a").get(f"/api/v1/three-ones/?year={dt.date.today().year}").json()
    assert three["voters_per_deputy"] == 10
    row = next(r for r in three["rows"] if r["deputy"]["id"] == world.ids["deputy"])
    assert (row["voters"], row["voters_ok"]) == (7, False)


def test_the_pages_show_each_against_its_figure(as_, world):
    _pair_with_records(world)
    pairing_page = as_("admin_a").get("/pairing/").content.decode()
    assert "每对结对每年联系次数" in pairing_page
    assert 'contacts">1 / 1</td>' in pairing_page and 'presidium-visits warn">1 / 3</td>' in pairing_page
    mine = as_("deputy_a").get("/duty/mine/").content.decode()
    assert "已联系选民 <b>7</b> 人，县定每名代表每年 10 人" in mine
    year = dt.date.today().year
    assert 'voters miss">7/10</td>' in as_("admin_a").get(f"/duty/three-ones/?year={year}").content.decode()
    headers, rows = xlsx_rows(as_("admin_a").get(f"/duty/three-ones/?year={year}&export=xlsx").content)
    assert headers[-1] == "联系选民（县定10人）"
    assert sorted(values[-1] for _n, values in rows) == [0, 0, 7]
    form = as_("deputy_a").post("/duty/new/", {"kind": "voter_contact", "occurred_on": "2025-03-04",
                                               "title": "联系选民"})
    assert form.status_code == 400 and "联系选民须填写联系的选民人数（正整数）。" in form.content.decode()


def test_the_api_logs_a_voter_contact_with_its_number(as_):
    deputy = as_("deputy_a")
    record = {"kind": "voter_contact", "occurred_on": "2025-03-04", "title": "联系选民"}
    response = deputy.post("/api/v1/duty-records/", record, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"constituents_count": ["联系选民须填写联系的选民人数（正整数）。"]}
    response = deputy.post("/api/v1/duty-records/", {**record, "constituents_count": 12},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["constituents_count"] == 12
