"""Reads on deputies, scoped by the actor (see access.scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value

from access.scope import Actor
from audit.services import audit_record
from core.levels import REGION_LEVELS, Level, MandateStatus
from organisation.models import RedivisionMove, Township, Venue, Village
from organisation.selectors import place_history, township_on, townships_current, venue_township_on
from people.models import Deputy, DeputyGroup, GroupMember, Mandate, Pairing, Stationing
from tenants.models import RegionMandate


def deputy_list() -> QuerySet[Deputy]:
    """Deputies with what every list shows, in a constant number of queries."""
    return (
        Deputy.objects.select_related("account")
        .prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.select_related("township")),
            Prefetch("stationings", queryset=Stationing.objects.filter(ended_on__isnull=True)
                     .select_related("venue"), to_attr="current_stationings"),
        )
        .order_by("account__name", "pk")
    )


def deputies_public() -> QuerySet[Deputy]:
    """What the public may see (directory, online station, kiosk, public API): deputies serving here or
    stationed here. Only public-card fields may leave through it."""
    serving = Deputy.objects.filter(
        Q(mandates__status=MandateStatus.SERVING, mandates__ended_on__isnull=True)
        | Q(stationings__ended_on__isnull=True)).values("pk")
    return deputy_list().filter(pk__in=serving)


def deputies_visible_to(actor: Actor) -> QuerySet[Deputy]:
    """The directory: every member of the county sees every deputy's public card."""
    if not actor.is_member:
        return Deputy.objects.none()
    return deputy_list()


def deputies_managed_by(actor: Actor) -> QuerySet[Deputy]:
    """Deputies whose full records (ID number, mandates, stationing) the actor reads and edits."""
    qs = deputy_list()
    if actor.is_admin:
        return qs
    scope = Q(pk__in=[])
    if actor.township_ids:
        scope |= Q(mandates__township_id__in=actor.township_ids)
        scope |= Q(stationings__venue__township_id__in=actor.township_ids, stationings__ended_on__isnull=True)
    if actor.venue_ids:
        scope |= Q(stationings__venue_id__in=actor.venue_ids, stationings__ended_on__isnull=True)
    if actor.deputy_id:
        scope |= Q(pk=actor.deputy_id)
    return qs.filter(pk__in=Deputy.objects.filter(scope).values("pk"))


def serving_levels(deputy: Deputy) -> list[str]:
    return sorted({m.level for m in deputy.mandates.all() if m.status == MandateStatus.SERVING})


def with_region_levels(qs: QuerySet[Deputy]) -> QuerySet[Deputy]:
    """Province and prefecture mandates (kept in the public schema) as an array on each row: no extra query."""
    return qs.annotate(region_levels=ArraySubquery(
        RegionMandate.objects.filter(account_id=OuterRef("account_id"), status=MandateStatus.SERVING)
        .values("level")))


def with_managed_flag(qs: QuerySet[Deputy], actor: Actor) -> QuerySet[Deputy]:
    """`is_managed` on each row: whether the actor reads the full record. Part of the same query."""
    if actor.is_admin:
        return qs.annotate(is_managed=Value(True))
    return qs.annotate(is_managed=Exists(deputies_managed_by(actor).filter(pk=OuterRef("pk"))))


def deputies_filtered(qs: QuerySet[Deputy], actor: Actor | None, *, q: str = "", level: str = "",
                      township: int | None = None, venue: int | None = None, status: str = "") -> QuerySet[Deputy]:
    """Search and filters shared by the API and the pages: name (and mobile, only for deputies the actor
    manages: nobody learns whose number is whose), level (all four), township, venue, mandate status.
    `actor` None is the public directory: name only."""
    q = (q or "").strip()
    if q:
        match = Q(account__name__icontains=q)
        if actor is not None and actor.is_admin:
            match |= Q(account__mobile__contains=q)
        elif actor is not None and actor.is_member:
            match |= Q(account__mobile__contains=q, pk__in=deputies_managed_by(actor).values("pk"))
        qs = qs.filter(match)
    if level in (Level.COUNTY, Level.TOWNSHIP):
        qs = qs.filter(pk__in=Deputy.objects.filter(
            mandates__level=level, mandates__status=MandateStatus.SERVING).values("pk"))
    elif level in REGION_LEVELS:
        qs = qs.filter(account_id__in=RegionMandate.objects.filter(
            level=level, status=MandateStatus.SERVING).values("account_id"))
    if township:
        qs = qs.filter(pk__in=Deputy.objects.filter(
            Q(mandates__township_id=township)
            | Q(stationings__venue__township_id=township, stationings__ended_on__isnull=True)).values("pk"))
    if venue:
        qs = qs.filter(pk__in=Deputy.objects.filter(
            stationings__venue_id=venue, stationings__ended_on__isnull=True).values("pk"))
    if status in MandateStatus.values:
        qs = qs.filter(pk__in=Deputy.objects.filter(mandates__status=status).values("pk"))
    return qs


def pairings_visible_to(actor: Actor) -> QuerySet[Pairing]:
    """Who reads which pairings: those who run the pairing read all; a deputy reads their own."""
    qs = Pairing.objects.select_related("county_deputy__account", "township_deputy__account").order_by(
        "county_deputy__account__name", "township_deputy__account__name", "pk")
    if actor.is_admin or actor.is_township_staff:
        return qs
    if actor.deputy_id:
        return qs.filter(Q(county_deputy_id=actor.deputy_id) | Q(township_deputy_id=actor.deputy_id))
    return qs.none()


@dataclass
class TreeVenue:
    venue: Venue
    deputies: list = field(default_factory=list)
    group: DeputyGroup | None = None


def county_tree() -> tuple[list[TreeVenue], list[Township]]:
    """County -> townships -> villages -> venues with their stationed deputies and groups (people on the
    organisation's tree, so it is read here, above both): 5 queries,
    whatever the county's size (each venue's group is read with the venue)."""
    stationed = Prefetch(
        "stationings",
        queryset=Stationing.objects.filter(ended_on__isnull=True).select_related("deputy__account")
        .order_by("deputy__account__name"),
        to_attr="current_stationings",
    )
    members = Prefetch("group__members", queryset=GroupMember.objects.select_related("deputy__account"))
    venues = list(Venue.objects.exclude(status=Venue.Status.CLOSED).select_related("village", "group")
                  .prefetch_related(stationed, members).order_by("kind", "name"))
    by_township: dict[int | None, list[TreeVenue]] = {}
    for venue in venues:
        # A venue without a group raises RelatedObjectDoesNotExist, an AttributeError: getattr absorbs it.
        node = TreeVenue(venue=venue, deputies=[s.deputy for s in venue.current_stationings],
                         group=getattr(venue, "group", None))
        by_township.setdefault(venue.township_id, []).append(node)
    townships = list(townships_current().prefetch_related(
        Prefetch("villages", queryset=Village.objects.current().order_by("division_code", "name"))))
    for township in townships:
        township.tree_venues = by_township.get(township.pk, [])  # type: ignore[attr-defined]  # read by the tree page
    return by_township.get(None, []), townships


def deputy_records_disclosed(actor: Actor, deputies, *, action: str = "deputy.view_full") -> list[int]:
    """Showing or exporting deputies' full records (mobile, ID number, birth date) is audited: one row naming
    the deputies (with_managed_flag's is_managed) whose record is shown, the actor's own excepted."""
    ids = [d.pk for d in deputies if getattr(d, "is_managed", False) and d.pk != actor.deputy_id]
    if ids:
        audit_record(actor=actor, action=action, target=deputies[0] if len(ids) == 1 else None,
                     data={"count": len(ids), "deputies": ids[:1000]})
    return ids


class DeputyPlaces:
    """Which township each deputy belonged to on a given day: what places them now -- their serving township
    mandate (a township deputy belongs to their township's congress), else their current station's venue
    (the latest; county and upper deputies stationed in a township) -- followed back through the
    re-divisions that moved it (organisation.selectors.township_on). `deputy_ids`: a list or a query of ids.
    Four queries, however many deputies and days are asked about."""

    def __init__(self, deputy_ids) -> None:
        self.now: dict[int, tuple[str, int, int]] = {}  # deputy -> (subject, its id, its township now)
        for deputy_id, venue_id, township_id in (
                Stationing.objects.filter(deputy_id__in=deputy_ids, ended_on__isnull=True,
                                          venue__township__isnull=False)
                .order_by("started_on", "pk").values_list("deputy_id", "venue_id", "venue__township_id")):
            self.now[deputy_id] = (RedivisionMove.Subject.VENUE, venue_id, township_id)
        for deputy_id, mandate_id, township_id in (
                Mandate.objects.filter(deputy_id__in=deputy_ids, status=MandateStatus.SERVING, ended_on__isnull=True,
                                       township__isnull=False)
                .order_by("started_on", "pk").values_list("deputy_id", "pk", "township_id")):
            self.now[deputy_id] = (RedivisionMove.Subject.MANDATE, mandate_id, township_id)
        self.history: dict[str, dict[int, list[tuple[dt.date, int]]]] = {
            subject: place_history(subject, [i for s, i, _t in self.now.values() if s == subject])
            for subject in (RedivisionMove.Subject.MANDATE, RedivisionMove.Subject.VENUE)}

    def on(self, deputy_id: int, day: dt.date) -> int | None:
        if deputy_id not in self.now:
            return None
        subject, subject_id, township_id = self.now[deputy_id]
        return township_on(self.history[subject].get(subject_id, []), township_id, day)


def township_of_act(deputy_id: int | None, venue_id: int | None, day: dt.date) -> int | None:
    """The township a deputy's act of that day belongs to (a duty record's): its venue's township then, else
    the deputy's then (DeputyPlaces)."""
    if venue_id is not None:
        township_id = venue_township_on(venue_id, day)
        if township_id is not None:
            return township_id
    return DeputyPlaces([deputy_id]).on(deputy_id, day) if deputy_id is not None else None
