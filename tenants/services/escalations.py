"""The upper tiers' inbox (public schema), as the county's routing writes it: a county opens an escalation
and, when it closes the case itself, withdraws it. Both run inside the county's transaction and touch public
rows only; the upper tiers' own steps, which flow back into the county, are tenants.orchestration.escalations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.models import County, Escalation, EscalationUpdate


def escalation_open(*, county: County, case_id: int, level: str, summary: str) -> Escalation:
    """Called by the county's routing, inside its transaction."""
    if level == Escalation.Level.PREFECTURE and county.prefecture_id is None:
        raise ValidationError({"jurisdiction": _("本县未登记所属州（市），不能报州（市）级。")})
    escalation, _created = Escalation.objects.get_or_create(
        county=county, case_id=case_id,
        defaults={"level": level, "province_id": county.province_id, "summary": summary,
                  "prefecture_id": county.prefecture_id if level == Escalation.Level.PREFECTURE else None})
    return escalation


def escalation_withdraw(*, county: County, case_id: int, reason: str) -> Escalation | None:
    """The county closed an escalated case itself: the upper tier's item says so and takes no more work.
    Called by the county's case_close, inside its transaction (one source of truth)."""
    escalation = Escalation.objects.select_for_update().filter(county=county, case_id=case_id).first()
    if escalation is None or escalation.status == Escalation.Status.ANSWERED:
        return escalation
    escalation.status = Escalation.Status.WITHDRAWN
    escalation.save(update_fields=["status", "updated_at"])
    EscalationUpdate.objects.create(escalation=escalation, author=None,
                                    text=_("县人大常委会已办结此事：%(reason)s") % {"reason": reason})
    return escalation
