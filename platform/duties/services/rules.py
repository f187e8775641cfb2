"""The county's duty rules: the three-ones figures and the evaluation's weights and outstanding cut."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from duties.models import DutyKind, DutyRule

FIGURES = ("receptions_per_month", "visits_per_month", "reports_per_year")
RULE_FIELDS = (*FIGURES, "weights", "outstanding_top_n", "outstanding_min_score")


def _int(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


@transaction.atomic
def duty_rule_update(*, actor: Actor, **values) -> DutyRule:
    """The county administrator sets the county's own figures (defaults from 002: 1, 1, 1)."""
    require(actor.is_admin)
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown duty rule fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    for name in FIGURES:
        if name in values and not _int(values[name], 0, 31):
            errors[name] = _("须为0到31之间的整数。")
    if "weights" in values:
        weights = values["weights"]
        if not isinstance(weights, dict) or set(weights) - set(DutyKind.values) \
                or not all(_int(w, 0, 100) for w in weights.values()):
            errors["weights"] = _("各类履职分值须为0到100之间的整数。")
    if values.get("outstanding_top_n") is not None and not _int(values["outstanding_top_n"], 1, 10000):
        errors["outstanding_top_n"] = _("优秀代表名额须为1到10000之间的整数，或留空。")
    if values.get("outstanding_min_score") is not None and not _int(values["outstanding_min_score"], 1, 1000000):
        errors["outstanding_min_score"] = _("分数线须为正整数，或留空。")
    if errors:
        raise ValidationError(errors)
    rule = DutyRule.objects.select_for_update().get(pk=DutyRule.current().pk)
    for name, value in values.items():
        if name == "weights":
            value = {**rule.weights, **{str(k): v for k, v in value.items()}}
        setattr(rule, name, value)
    rule.save()
    audit_record(actor=actor, action="duty_rule.update", target=rule,
                 data={k: v for k, v in values.items()})
    return rule
