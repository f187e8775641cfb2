"""Source rows for the rollup tests: a county's cases, suggestions, duties, receptions, stations and
pairings, in bulk, with a spread of statuses, months, tiers, channels and deadlines."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django_tenants.utils import schema_context

from casework.models import Case, Opinion, OpinionCategory, Suggestion, SuggestionAnswer, SuggestionRating
from duties.models import DutyRecord
from organisation.models import HandlingUnit, Township, Venue
from organisation.models.venues import ConstructionFunding
from people.models import Deputy, Pairing
from people.selectors import DeputyPlaces
from reception.models import Attendance, ReceptionRecord, ReceptionSession, RotaEntry
from tenants.models import County
from tenants.orchestration.rollups import store

TODAY = dt.date(2026, 12, 6)
STATUSES = ["received", "township_handling", "suggestion", "escalated", "answered", "closed", "merged"]
TIERS = ["", "village", "township", "county", "prefecture", "province", "policy"]
CHANNELS = ["reception", "visit", "opinion_box", "phone", "letter", "online"]
RATINGS = ["", "satisfied", "basically_satisfied", "unsatisfied"]


def fill(county: County, *, seed: int, cases: int = 60) -> None:
    """Add source rows to `county` (its townships, venues and deputies must exist)."""
    rng = random.Random(seed)
    with schema_context(county.schema_name):
        categories = [OpinionCategory.objects.get_or_create(name=name)[0]
                      for name in ("城建交通", "民生事业", "农业农村")]
        towns = list(Township.objects.all())
        venues = list(Venue.objects.all())
        deputies = list(Deputy.objects.all())
        unit = HandlingUnit.objects.first()
        rows = []
        for i in range(cases):
            status = STATUSES[rng.randrange(len(STATUSES))]
            received = TODAY - dt.timedelta(days=rng.randrange(330))
            due = received + dt.timedelta(days=rng.randrange(5, 60)) if rng.random() < 0.7 else None
            sent = (received + dt.timedelta(days=rng.randrange(1, 70))
                    if status in ("answered", "closed") and rng.random() < 0.8 else None)
            rows.append(Case(summary=f"事项{i}", category=rng.choice(categories + [None]), township=rng.choice(towns),
                             venue=rng.choice(venues), status=status, jurisdiction=rng.choice(TIERS),
                             received_on=received, feedback_due_on=due, feedback_sent_on=sent,
                             constituent_rating=rng.choice(RATINGS) if status in ("answered", "closed") else ""))
        made = Case.objects.bulk_create(rows)
        Opinion.objects.bulk_create([Opinion(case=c, content=c.summary, channel=rng.choice(CHANNELS),
                                             received_on=c.received_on) for c in made])
        suggestions = Suggestion.objects.bulk_create([
            Suggestion(title=f"建议{i}", content="内容", lead_deputy=rng.choice(deputies), lead_unit=unit,
                       status=rng.choice(["submitted", "assigned", "answered", "satisfied", "rehandling"]),
                       submitted_on=TODAY - dt.timedelta(days=rng.randrange(300))) for i in range(8)])
        for s in suggestions:
            if s.status in ("answered", "satisfied", "rehandling"):
                SuggestionAnswer.objects.create(suggestion=s, round=1, unit=unit, outcome="solved", content="已办",
                                                on_time=rng.random() < 0.7)
                SuggestionRating.objects.create(suggestion=s, round=1, process=rng.choice(RATINGS[1:]),
                                                result=rng.choice(RATINGS[1:]))
        places = DeputyPlaces([d.pk for d in deputies])  # bulk_create skips save(), which keeps the township
        picked = [rng.choice(deputies) for _ in range(40)]
        DutyRecord.objects.bulk_create([
            DutyRecord(kind=rng.choice(["reception", "visit", "pair_contact", "inspection_survey"]),
                       deputy=deputy, occurred_on=TODAY - dt.timedelta(days=rng.randrange(200)),
                       township_id=places.on(deputy.pk, TODAY), title="履职", author_id=1,
                       status=rng.choice(["confirmed", "confirmed", "pending"]))
            for deputy in picked])
        for k in range(6):
            day = TODAY - dt.timedelta(days=20 * k + 1)
            starts = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
            session = ReceptionSession.objects.create(
                venue=venues[k % len(venues)], planned_on=day, date=day, starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3), status="cancelled" if k == 5 else "scheduled")
            for j, deputy in enumerate(deputies):
                RotaEntry.objects.create(session=session, deputy=deputy, excused=(j == 0 and k == 1))
            if k < 4:
                ReceptionRecord.objects.create(session=session, visitors_count=5)
                for deputy in deputies[: 1 + k % len(deputies)]:
                    Attendance.objects.create(session=session, deputy=deputy, signed_in_at=starts, method="qr")
        ConstructionFunding.objects.create(township=towns[0], year=2026, budget=Decimal("12.50"),
                                           disbursed=Decimal("10.00"), spent=Decimal("7.25"))
        county_level = [d for d in deputies if d.mandates.filter(level="county").exists()]
        township_level = [d for d in deputies if d.mandates.filter(level="township").exists()]
        if county_level and township_level:
            Pairing.objects.get_or_create(county_deputy=county_level[0], township_deputy=township_level[0],
                                          defaults={"started_on": dt.date(2022, 1, 1)})


def rebuild(county: County):
    with schema_context(county.schema_name):
        return store.rebuild()
