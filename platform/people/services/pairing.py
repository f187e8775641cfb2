"""Pairing (结对联系): each county deputy keeps contact with N township deputies (000: ten)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from core.levels import Level, MandateStatus
from people.models import Deputy, Pairing, PairingRule
from people.services.deputies import manages_as_staff


def _serving(level: str):
    return Q(mandates__level=level, mandates__status=MandateStatus.SERVING, mandates__ended_on__isnull=True)


def county_deputies():
    return Deputy.objects.filter(_serving(Level.COUNTY)).distinct()


def township_deputies():
    """Township deputies who are not also county deputies (a two-level deputy pairs as a county deputy)."""
    return Deputy.objects.filter(_serving(Level.TOWNSHIP)).exclude(pk__in=county_deputies().values("pk")).distinct()


def _townships_of(deputies) -> dict[int, set[int]]:
    """Deputy id -> townships they belong to (township mandate, or current stationing)."""
    found: dict[int, set[int]] = defaultdict(set)
    for deputy_id, township_id in deputies.filter(
            mandates__township__isnull=False, mandates__status=MandateStatus.SERVING,
            mandates__ended_on__isnull=True).values_list("pk", "mandates__township_id"):
        found[deputy_id].add(township_id)
    for deputy_id, township_id in deputies.filter(stationings__ended_on__isnull=True).values_list(
            "pk", "stationings__venue__township_id"):
        if township_id:
            found[deputy_id].add(township_id)
    return found


def _lock_pairings() -> PairingRule:
    """The county's rule row, locked: pairing writes take turns, so no limit is passed by two at once."""
    PairingRule.current()
    return PairingRule.objects.select_for_update().get(pk=1)


def may_run_pairing(actor: Actor) -> bool:
    """Who runs the pairing (the pages, the proposal, compliance): the county and the townships' staff."""
    return actor.is_admin or actor.is_township_staff


def _require_reach(actor: Actor, township_deputy: Deputy) -> None:
    """The county pairs anyone; a township's staff pair the deputies of their township."""
    require(actor.is_admin or (actor.is_township_staff and manages_as_staff(actor, township_deputy)))


@transaction.atomic
def pairing_create(*, actor: Actor, county_deputy: Deputy, township_deputy: Deputy, started_on: dt.date) -> Pairing:
    require(may_run_pairing(actor))
    _require_reach(actor, township_deputy)
    limit = _lock_pairings().township_deputies_per_county_deputy
    if not county_deputies().filter(pk=county_deputy.pk).exists():
        raise ValidationError({"county_deputy": _("%(name)s 不是在任县级代表。") % {"name": county_deputy}})
    if not township_deputies().filter(pk=township_deputy.pk).exists():
        raise ValidationError({"township_deputy": _("%(name)s 不是在任乡镇级代表。") % {"name": township_deputy}})
    current = Pairing.objects.filter(county_deputy=county_deputy, ended_on__isnull=True).count()
    if current >= limit:
        raise ValidationError({"county_deputy": _(
            "%(name)s 已联系 %(n)d 名乡镇代表，达到上限 %(limit)d 名。") % {
            "name": county_deputy, "n": current, "limit": limit}})
    if Pairing.objects.filter(township_deputy=township_deputy, ended_on__isnull=True).exists():
        raise ValidationError({"township_deputy": _("%(name)s 已有结对的县级代表。") % {"name": township_deputy}})
    pairing = Pairing.objects.create(county_deputy=county_deputy, township_deputy=township_deputy,
                                     started_on=started_on)
    audit_record(actor=actor, action="pairing.create", target=pairing)
    return pairing


@transaction.atomic
def pairing_end(*, actor: Actor, pairing: Pairing, ended_on: dt.date) -> None:
    require(may_run_pairing(actor))
    _require_reach(actor, pairing.township_deputy)
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("终止日期不能早于起始日期。")})
    if not Pairing.objects.filter(pk=pairing.pk, ended_on__isnull=True).update(ended_on=ended_on):
        raise ValidationError({"ended_on": _("该结对已经结束。")})
    pairing.ended_on = ended_on
    audit_record(actor=actor, action="pairing.end", target=pairing)


def pairing_proposal() -> list[tuple[int, int]]:
    """Pairs (county deputy id, township deputy id) for every unpaired township deputy: first each one
    with a county deputy of the same township who has room, then the rest; always the least loaded,
    nobody over the limit."""
    limit = PairingRule.current().township_deputies_per_county_deputy
    counties = list(county_deputies().order_by("pk").values_list("pk", flat=True))
    load = dict.fromkeys(counties, 0)
    for deputy_id, n in (Pairing.objects.filter(ended_on__isnull=True).values_list("county_deputy")
                         .annotate(n=Count("pk")).order_by()):
        if deputy_id in load:
            load[deputy_id] = n
    paired = set(Pairing.objects.filter(ended_on__isnull=True).values_list("township_deputy_id", flat=True))
    unpaired = list(township_deputies().exclude(pk__in=paired).order_by("pk").values_list("pk", flat=True))
    townships = _townships_of(Deputy.objects.filter(pk__in=counties + unpaired))
    proposal = []
    later = []
    for deputy_id in unpaired:  # same township first: nobody from elsewhere takes a local's place
        local = [c for c in counties if load[c] < limit and townships.get(c, set()) & townships.get(deputy_id, set())]
        if not local:
            later.append(deputy_id)
            continue
        chosen = min(local, key=lambda c: (load[c], c))
        load[chosen] += 1
        proposal.append((chosen, deputy_id))
    for deputy_id in later:
        open_places = [c for c in counties if load[c] < limit]
        if not open_places:
            break
        chosen = min(open_places, key=lambda c: (load[c], c))
        load[chosen] += 1
        proposal.append((chosen, deputy_id))
    return proposal


@transaction.atomic
def pairing_apply_proposal(*, actor: Actor, started_on: dt.date) -> int:
    require(actor.is_admin)
    _lock_pairings()
    proposal = pairing_proposal()
    Pairing.objects.bulk_create([Pairing(county_deputy_id=c, township_deputy_id=t, started_on=started_on)
                                 for c, t in proposal])
    audit_record(actor=actor, action="pairing.auto", data={"pairs": len(proposal)})
    return len(proposal)


@dataclass
class PairingCompliance:
    limit: int
    county_deputies: int = 0
    township_deputies: int = 0
    unpaired: list[Deputy] = field(default_factory=list)
    over_limit: list[tuple[Deputy, int]] = field(default_factory=list)
    load: list[tuple[Deputy, int]] = field(default_factory=list)


def pairing_compliance() -> PairingCompliance:
    """Who is unpaired, who is over the limit; contacts made vs required arrive with duty records."""
    rule = PairingRule.current()
    report = PairingCompliance(limit=rule.township_deputies_per_county_deputy)
    counties = (county_deputies().select_related("account")
                .annotate(n=Count("pairings_as_county", distinct=True,
                                filter=Q(pairings_as_county__ended_on__isnull=True)))
                .order_by("account__name"))
    report.load = [(d, d.n) for d in counties]
    report.county_deputies = len(report.load)
    report.over_limit = [(d, n) for d, n in report.load if n > report.limit]
    paired = Pairing.objects.filter(ended_on__isnull=True).values("township_deputy_id")
    townships = township_deputies()
    report.township_deputies = townships.count()
    report.unpaired = list(townships.exclude(pk__in=paired).select_related("account").order_by("account__name"))
    return report


RULE_FIELDS = ("township_deputies_per_county_deputy", "pair_contacts_per_year", "presidium_visits_per_year",
               "voter_contacts_per_deputy")


@transaction.atomic
def pairing_rule_update(*, actor: Actor, **values: int) -> PairingRule:
    """The county sets its own pairing figures (defaults from the reports: 10, 2, 2, 10)."""
    require(actor.is_admin)
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown pairing rule fields: {sorted(unknown)}")
    errors = {name: _("须为1到200之间的整数。") for name, value in values.items()
              if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 200}
    if errors:
        raise ValidationError(errors)
    rule = PairingRule.objects.select_for_update().get(pk=PairingRule.current().pk)
    limit = values.get("township_deputies_per_county_deputy", rule.township_deputies_per_county_deputy)
    busiest = (Pairing.objects.filter(ended_on__isnull=True).values("county_deputy")
               .annotate(n=Count("pk")).order_by("-n").values_list("n", flat=True).first()) or 0
    if limit < busiest:
        raise ValidationError({"township_deputies_per_county_deputy": _(
            "已有县级代表联系 %(n)d 名乡镇代表，上限不能低于此数；请先调整结对。") % {"n": busiest}})
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    audit_record(actor=actor, action="pairing.rule_update", target=rule, data=dict(values))
    return rule
