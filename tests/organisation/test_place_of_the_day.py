"""Re-division keeps history (issue 15): duty records and reception days carry the township of their day,
so a merge neither drops the old township from the reports nor counts its earlier records under its
successor; a record logged late, dated before the merge, still goes to the old township."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from casework.models import Case, Channel
from casework.selectors import cases_filtered, cases_handled_by, cases_visible_to
from casework.services.intake import opinion_receive
from duties.models import DutyKind, DutyRecord
from duties.selectors.compliance import three_ones_report
from organisation.models import RedivisionMove, Township, Venue, Village
from organisation.services.redivision import township_merge, township_rename
from people.actors import actor_for
from people.models import Deputy, Mandate
from reception.models import ReceptionSession
from tenants.orchestration.rollups.compute import Lineage, duties, reception

pytestmark = pytest.mark.django_db

YEAR = 2024
MERGED = dt.date(YEAR, 7, 1)


def log(world, day: dt.date, kind: str = DutyKind.VISIT, venue: Venue | None = None) -> DutyRecord:
    return DutyRecord.objects.create(kind=kind, deputy=Deputy.objects.get(pk=world.ids["west_deputy"]),
                                     occurred_on=day, venue=venue, title="走访", author_id=world.admin_a.pk)


def session(venue_id: int, day: dt.date) -> ReceptionSession:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return ReceptionSession.objects.create(venue_id=venue_id, planned_on=day, date=day, starts_at=at,
                                           ends_at=at + dt.timedelta(hours=3))


def merge_west_into_east(world) -> tuple[Township, Township]:
    west, east = Township.objects.get(pk=world.ids["west"]), Township.objects.get(pk=world.ids["east"])
    township_merge(actor=actor_for(world.admin_a), sources=[west], into=east, effective_on=MERGED)
    return west, east


def test_records_keep_the_township_of_their_day_through_a_merge(world):
    with schema_context(world.alpha.schema_name):
        march = [log(world, dt.date(YEAR, 3, 5)), log(world, dt.date(YEAR, 3, 6), DutyKind.RECEPTION)]
        held = session(world.ids["v2"], dt.date(YEAR, 3, 15))
        ahead = session(world.ids["v2"], timezone.localdate() + dt.timedelta(days=20))
        assert {r.township_id for r in march} == {held.township_id} == {world.ids["west"]}
        west, east = merge_west_into_east(world)

        # what the merge moved notes where it was: the west deputy's mandate, west's village and station
        moved = set(RedivisionMove.objects.values_list("subject", "from_township_id"))
        assert {("mandate", west.pk), ("village", west.pk), ("venue", west.pk)} <= moved
        assert Mandate.objects.get(deputy_id=world.ids["west_deputy"], level="township").township_id == east.pk

        for record in march:
            record.refresh_from_db()
            assert record.township_id == west.pk  # the merge moved the deputy, not what they did
        held.refresh_from_db()
        ahead.refresh_from_db()
        assert held.township_id == west.pk
        assert ahead.township_id == east.pk  # a day still ahead follows its station

        assert log(world, dt.date(YEAR, 8, 5)).township_id == east.pk
        late = log(world, dt.date(YEAR, 4, 10))  # logged after the merge, about April
        assert late.township_id == west.pk
        late.occurred_on = dt.date(YEAR, 9, 1)
        late.save(update_fields=["occurred_on"])
        assert DutyRecord.objects.get(pk=late.pk).township_id == east.pk  # a corrected date moves it


def test_the_three_ones_report_shows_the_old_township_before_the_merge_and_its_successor_after(world):
    with schema_context(world.alpha.schema_name):
        log(world, dt.date(YEAR, 3, 5))
        log(world, dt.date(YEAR, 3, 6), DutyKind.RECEPTION)
        west, east = merge_west_into_east(world)
        log(world, dt.date(YEAR, 8, 5))
        log(world, dt.date(YEAR, 8, 6), DutyKind.RECEPTION)
        report = three_ones_report(actor=actor_for(world.admin_a), year=YEAR)
        rows = {g.id: g for g in report.townships}
        assert rows[west.pk].name == f"{west.name}（已撤销）"
        assert rows[west.pk].deputies_by_month == [1] * 6 + [0] * 6
        assert rows[west.pk].months_ok[2] == 1  # March, in the old township
        assert rows[east.pk].months_ok[2] == 0
        assert rows[east.pk].months_ok[7] == 1  # August, in its successor
        assert rows[west.pk].rate == round(100 * 1 / 6)
        west_deputy = next(r for r in report.rows if r.deputy.deputy_id == world.ids["west_deputy"])
        assert west_deputy.deputy.township_id == east.pk  # the deputy's row: where they are now


def test_rollups_count_earlier_duties_and_days_in_the_old_township(world):
    with schema_context(world.alpha.schema_name):
        log(world, dt.date(YEAR, 3, 5))
        log(world, dt.date(YEAR, 3, 6), DutyKind.RECEPTION)
        session(world.ids["v2"], dt.date(YEAR, 3, 15))
        west, east = merge_west_into_east(world)
        log(world, dt.date(YEAR, 8, 5))
        march, august = dt.date(YEAR, 3, 1), dt.date(YEAR, 8, 1)
        facts = duties([march, august], Lineage())
        assert facts[(west.pk, march, "duty.kind", DutyKind.VISIT, None)] == 1
        assert (east.pk, march, "duty.kind", DutyKind.VISIT, None) not in facts
        assert facts[(east.pk, august, "duty.kind", DutyKind.VISIT, None)] == 1
        assert facts[(west.pk, march, "duty.three_ones", "met", None)] == 1
        assert facts[(east.pk, august, "duty.three_ones", "deputies", None)] >= 1
        assert (west.pk, august, "duty.three_ones", "deputies", None) not in facts
        days = reception([march], Lineage())
        assert days[(west.pk, march, "reception.session", "planned", None)] == 1


def test_a_rename_carries_the_same_history(world):
    with schema_context(world.alpha.schema_name):
        march = log(world, dt.date(YEAR, 3, 5))
        west = Township.objects.get(pk=world.ids["west"])
        township_rename(actor=actor_for(world.admin_a), township=west, name="西新乡", effective_on=MERGED)
        successor = Township.objects.get(name="西新乡")
        assert log(world, dt.date(YEAR, 4, 1)).township_id == west.pk
        assert log(world, dt.date(YEAR, 8, 1)).township_id == successor.pk
        march.refresh_from_db()
        assert march.township_id == west.pk
        facts = duties([dt.date(YEAR, 3, 1), dt.date(YEAR, 8, 1)], Lineage())
        assert facts[(west.pk, dt.date(YEAR, 3, 1), "duty.kind", DutyKind.VISIT, None)] == 1
        assert facts[(successor.pk, dt.date(YEAR, 8, 1), "duty.kind", DutyKind.VISIT, None)] == 1


def test_a_duty_without_a_station_holds_a_merge_back(world):
    """The backdating guard reads the record's own township: a deputy's visit logged with no venue."""
    with schema_context(world.alpha.schema_name):
        log(world, dt.date(YEAR, 3, 5))
        west, east = Township.objects.get(pk=world.ids["west"]), Township.objects.get(pk=world.ids["east"])
        with pytest.raises(ValidationError) as refused:
            township_merge(actor=actor_for(world.admin_a), sources=[west], into=east,
                           effective_on=dt.date(YEAR, 3, 5))
        assert "最近一条记录为 2024-03-05" in " ".join(refused.value.messages)
        assert Township.objects.get(pk=west.pk).ended_on is None


def test_the_successor_township_staff_take_over_what_the_old_one_left_open(world):
    """A case received in the old township before the merge stays counted there, and the successor's
    presidium sees and handles it (they keep the old township's books)."""
    with schema_context(world.alpha.schema_name):
        opinion = opinion_receive(actor=actor_for(world.admin_a), content="路灯坏了", channel=Channel.VISIT,
                                  received_on=dt.date(YEAR, 3, 5),
                                  village=Village.objects.get(pk=world.ids["village_west"]))
        east_staff = actor_for(world.township_staff_a)  # the presidium of east town
        assert not cases_handled_by(east_staff).filter(pk=opinion.case_id).exists()
        west, east = merge_west_into_east(world)
        east_staff = actor_for(world.township_staff_a)
        assert west.pk in east_staff.township_ids
        assert cases_visible_to(east_staff).filter(pk=opinion.case_id).exists()
        assert cases_handled_by(east_staff).filter(pk=opinion.case_id).exists()
        assert Case.objects.get(pk=opinion.case_id).township_id == west.pk  # still counted where it was raised


def test_filtering_cases_by_the_successor_township_finds_its_predecessors_cases(world):
    """The case list offers current townships only: choosing the successor lists the old township's cases
    with its own (a merge or a rename), and the old township's own cases stay where they were raised."""
    with schema_context(world.alpha.schema_name):
        admin = actor_for(world.admin_a)
        raised = opinion_receive(actor=admin, content="路灯坏了", channel=Channel.VISIT,
                                 received_on=dt.date(YEAR, 3, 5),
                                 village=Village.objects.get(pk=world.ids["village_west"])).case
        west, east = merge_west_into_east(world)
        visible = cases_visible_to(admin)
        assert raised in cases_filtered(visible, township=east.pk)
        assert list(cases_filtered(visible, township=west.pk)) == [raised]
        before = set(cases_filtered(visible, township=east.pk).values_list("pk", flat=True))
        township_rename(actor=admin, township=east, name="东新镇", effective_on=dt.date(YEAR, 9, 1))
        renamed = Township.objects.get(name="东新镇")
        assert set(cases_filtered(visible, township=renamed.pk).values_list("pk", flat=True)) == before
