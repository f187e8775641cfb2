"""A province or prefecture deputy's counties: where they serve, and per county what is theirs there.

The mandate is kept once in the public schema (RegionMandate); each county that stations the deputy keeps its
own Deputy row and deputy membership. So the counties are found by the mandates' regions (the only counties a
stationing may be in, RegionMandate.covers), then each is asked, in its schema, whether the account is its
deputy: the cost is bounded by the region's counties, and nothing is read in a county that does not have them.
In each county the reads are the county's own selectors for a deputy-only actor: exactly what the deputy sees
there of themself (their rota, their duty records, the cases they received), never what a staff role of
theirs would reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Window
from django_tenants.utils import schema_context

from access.models import Role
from casework.selectors import cases_visible_to
from core.http import site_url
from core.levels import Level, MandateStatus
from duties.selectors.records import duty_records_visible_to
from people.actors import actor_for
from reception.selectors import my_sessions
from tenants.models import County, RegionMandate

LATEST = 3  # rows of each kind shown per county; the counts cover all


@dataclass
class Few:
    """The latest rows of one kind and how many there are in all (one query: a window count)."""

    rows: list
    total: int


@dataclass
class ServedCounty:
    county: County
    host: str
    sessions: Few
    duties: Few
    cases: Few
    links: dict[str, str] = field(default_factory=dict)  # the caller's: the county's pages on its host

    def url(self, path: str) -> str:
        """An absolute address on the county's host (the deputy signs in there with the county's own sign-in)."""
        return site_url(self.host, path)


def region_mandates_of(account) -> QuerySet[RegionMandate]:
    """The account's serving province and prefecture mandates."""
    if not getattr(account, "is_authenticated", False):
        return RegionMandate.objects.none()
    return RegionMandate.objects.filter(account_id=account.pk, status=MandateStatus.SERVING)


def _few(qs: QuerySet) -> Few:
    rows = list(qs.annotate(_total=Window(Count("pk")))[:LATEST])
    return Few(rows=rows, total=rows[0]._total if rows else 0)


def counties_served_by(account) -> list[ServedCounty]:
    """Every active county of the account's mandates' regions where it is a deputy, by name, with its coming
    reception days, latest duty records and latest cases received, and the county's primary host.
    Queries: 3 in the public schema, 2 per county of the regions, 3 more per county served."""
    scope = Q(pk__in=[])
    for level, province_id, prefecture_id in region_mandates_of(account).values_list(
            "level", "province_id", "prefecture_id"):
        scope |= Q(province_id=province_id) if level == Level.PROVINCE else Q(prefecture_id=prefecture_id)
    if scope == Q(pk__in=[]):
        return []
    counties = County.objects.filter(scope, status=County.Status.ACTIVE).prefetch_related("domains").order_by(
        "division_code")
    served = []
    for county in counties:
        with schema_context(county.schema_name):
            actor = actor_for(account, only_role=Role.DEPUTY)
            if actor.deputy_id is None:
                continue
            sessions = _few(my_sessions(actor))
            duties = _few(duty_records_visible_to(actor).select_related(None).select_related("venue")
                          .order_by("-occurred_on", "-pk"))
            cases = _few(cases_visible_to(actor).select_related(None).order_by("-received_on", "-pk"))
        served.append(ServedCounty(county=county, host=_primary_host(county), sessions=sessions, duties=duties,
                                   cases=cases))
    return served


def _primary_host(county: County) -> str:
    domains = list(county.domains.all())  # prefetched
    primary = next((d for d in domains if d.is_primary), domains[0] if domains else None)
    return primary.domain if primary else ""
