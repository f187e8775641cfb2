"""PIPL: a constituent's name and mobile are removed (pseudonymised) once their case has been closed for the
county's number of days (CaseworkRule.pseudonymise_after_days). The opinion, its content and every count
stay; one audit row per run says how many. Idempotent: a pseudonymised opinion is not touched again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from audit.services import audit_record

from ..models import CaseStatus, CaseTransition, CaseworkRule, Opinion
from ..privacy import PSEUDONYM


@transaction.atomic
def constituents_pseudonymise(*, now: dt.datetime | None = None) -> int:
    days = CaseworkRule.current().pseudonymise_after_days
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    closed_long_ago = CaseTransition.objects.filter(case_id=OuterRef("case_id"), to_status=CaseStatus.CLOSED,
                                                    created_at__lt=cutoff)
    due = (Opinion.objects.filter(case__status=CaseStatus.CLOSED, pseudonymised_at__isnull=True)
           .filter(~Q(constituent_name="") | ~Q(constituent_mobile=""))
           .filter(Exists(closed_long_ago)))
    ids = list(due.select_for_update(of=("self",)).values_list("pk", flat=True))
    if not ids:
        return 0
    count = Opinion.objects.filter(pk__in=ids).update(constituent_name=PSEUDONYM, constituent_mobile="",
                                                      pseudonymised_at=now)
    audit_record(actor=None, action="constituent.pseudonymise", client_address="",
                 data={"opinions": count, "after_days": days})
    return count
