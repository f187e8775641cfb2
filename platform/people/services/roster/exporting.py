"""roster_export: deputies in the import's columns, so a file can be exported, edited and re-imported."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor
from audit.services import audit_record
from core.files import mask_mobile
from core.levels import Level, MandateStatus
from core.xlsx import rows_to_xlsx
from people.models import Deputy, GroupMember
from people.selectors import deputies_managed_by, deputy_list

from .columns import COLUMNS, LEVEL_ORDER, LEVEL_WORD
from .reading import _covering


def roster_export(*, actor: Actor, deputies: QuerySet[Deputy]) -> bytes:
    """The given deputies in the import's columns. ID number and birth date are left out, and the
    mobile masked, for anyone but the county administrator and township staff in whose scope the
    deputy is. A constant number of queries however many deputies."""
    qs = deputy_list().filter(pk__in=deputies.values("pk")).prefetch_related("group_memberships__group")
    deputies_ = list(qs)
    if actor.is_admin:
        full = {d.pk for d in deputies_}
    elif actor.is_township_staff:
        full = set(deputies_managed_by(actor).filter(pk__in=[d.pk for d in deputies_])
                   .values_list("pk", flat=True))
    else:
        full = set()
    covering = _covering([d.account_id for d in deputies_], timezone.localdate())
    status_label = dict(MandateStatus.choices)
    rows = []
    for deputy in deputies_:
        latest = {}
        for mandate in sorted(deputy.mandates.all(), key=lambda m: m.term):
            latest[mandate.level] = mandate
        levels = covering.get(deputy.account_id, set()) | set(latest)
        county_m, township_m = latest.get(Level.COUNTY), latest.get(Level.TOWNSHIP)
        stationings = sorted(deputy.current_stationings,  # type: ignore[attr-defined]  # prefetched to_attr
                              key=lambda s: (s.started_on, s.pk))
        role_by_venue = {m.group.venue_id: m.role for m in deputy.group_memberships.all()}
        roles = [role_by_venue.get(s.venue_id) for s in stationings]
        own = deputy.pk in full
        latest_m = county_m or township_m
        status = latest_m.status if latest_m else ""
        rows.append([
            deputy.account.name,
            deputy.account.mobile if own else mask_mobile(deputy.account.mobile),
            deputy.id_number if own else "",
            deputy.get_gender_display() if deputy.gender else "",
            deputy.ethnicity,
            deputy.birth_date.isoformat() if own and deputy.birth_date else "",
            deputy.employer,
            "、".join(LEVEL_WORD[level] for level in LEVEL_ORDER if level in levels),
            county_m.term if county_m else "",
            county_m.electoral_district if county_m else "",
            township_m.term if township_m else "",
            township_m.electoral_district if township_m else "",
            township_m.township.name if township_m and township_m.township else "",
            "、".join(s.venue.name for s in stationings),
            "、".join(str(GroupMember.Role(r).label) for r in roles if r) if all(roles) else "",
            str(status_label[status]) if status else "",
        ])
    audit_record(actor=actor, action="roster.export",
                 data={"rows": len(rows), "with_id_numbers": len(full), "deputies": sorted(full)[:1000]})
    return rows_to_xlsx([str(header) for _key, header in COLUMNS], rows, title=_("代表名册"))
