"""Station standards, assessments and star ratings; construction funds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from organisation.models import (
    Assessment,
    AssessmentItem,
    ConstructionFunding,
    StandardItem,
    StandardTemplate,
    Township,
    Venue,
)

# The reports' checklists (002: six haves; 004: nine haves), as defaults a county edits.
DEFAULT_STANDARDS = {
    "六有": ["有场所", "有牌子", "有制度", "有活动", "有台账", "有成效"],
    "九有": ["有场所", "有牌子", "有制度", "有计划", "有活动", "有经费", "有台账", "有网络平台", "有成效"],
}

# Share of the full score needed for each star (004: star-rated stations).
STAR_THRESHOLDS = ((90, 5), (80, 4), (70, 3), (60, 2), (0, 1))


def standards_seed_defaults() -> None:
    for name, items in DEFAULT_STANDARDS.items():
        template, created = StandardTemplate.objects.get_or_create(name=name)
        if created:
            template.items.bulk_create(
                [template.items.model(template=template, order=i, text=text, points=10) for i, text in
                 enumerate(items, 1)]
            )


ITEM_FIELDS = ("order", "text", "points")


@transaction.atomic
def standard_template_save(*, actor: Actor, template: StandardTemplate | None, name: str, description: str = "",
                           is_active: bool = True, items: Sequence[tuple[StandardItem | None, dict]] = (),
                           removed: Sequence[StandardItem] = ()) -> StandardTemplate:
    """Save a standard and its items, with an audit row. `items` are (item, values) pairs, None for a new
    item; `removed` the items to delete. An item already used by an assessment cannot be deleted, since the
    assessment's record must keep it."""
    require(actor.is_admin)
    template = template or StandardTemplate()
    for item in [*removed, *(item for item, _values in items if item is not None)]:
        require(template.pk is not None and item.template_id == template.pk)
    doomed = [i.pk for i in removed if i.pk]
    used = set(AssessmentItem.objects.filter(item__in=doomed).values_list("item__text", flat=True))
    if used:
        raise ValidationError(_("以下项目已用于评定，不能删除（可以停用本标准后另建一个）：%(items)s")
                              % {"items": "、".join(sorted(used))})
    template.name, template.description, template.is_active = name, description, is_active
    template.full_clean()
    template.save()
    StandardItem.objects.filter(pk__in=doomed).delete()
    for given, values in items:
        item = given or StandardItem(template=template)
        for field_name in ITEM_FIELDS:
            if field_name in values:
                setattr(item, field_name, values[field_name])
        item.full_clean(exclude=["template"])
        item.save()
    audit_record(actor=actor, action="standard.save", target=template,
                 data={"items": [i.text for i in template.items.all()]})
    return template


def stars_for(score: int, max_score: int) -> int:
    percent = 100 * score / max_score if max_score else 0
    return next(stars for threshold, stars in STAR_THRESHOLDS if percent >= threshold)


def can_assess(actor: Actor, venue: Venue) -> bool:
    """Who assesses a venue: its township's staff or the county; a county-level venue, the county only."""
    return actor.can_manage_township(venue.township_id) if venue.township_id else actor.is_admin


@transaction.atomic
def assessment_record(*, actor: Actor, venue: Venue, template: StandardTemplate, assessed_on: dt.date,
                      results: dict[int, tuple[bool, str]], note: str = "") -> Assessment:
    """Assess a venue: `results` maps every item of the template to (met, evidence)."""
    require(can_assess(actor, venue))
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("评定日期不能晚于今天。")})
    if not template.is_active:
        raise ValidationError({"template": _("标准“%(name)s”已停用。") % {"name": template.name}})
    items = list(template.items.all())
    if not items:
        raise ValidationError({"template": _("标准“%(name)s”没有评定项目。") % {"name": template.name}})
    missing = [item.text for item in items if item.pk not in results]
    if missing:
        raise ValidationError(_("以下项目未评定：%(items)s") % {"items": "、".join(missing)})
    unknown = set(results) - {item.pk for item in items}
    if unknown:
        raise ValidationError(_("评定项目不属于该标准。"))
    evidence_max = int(AssessmentItem._meta.get_field("evidence").max_length or 0)
    too_long = [item.text for item in items if len(results[item.pk][1] or "") > evidence_max]
    if too_long:
        raise ValidationError(_("以下项目的佐证超过%(n)d字：%(items)s") % {
            "n": evidence_max, "items": "、".join(too_long)})
    score = sum(item.points for item in items if results[item.pk][0])
    max_score = sum(item.points for item in items)
    assessment = Assessment.objects.create(
        venue=venue, township_id=venue.township_id, template=template, assessed_on=assessed_on,
        assessor_id=actor.account_id,  # type: ignore[misc]  # staff only, never anonymous
        score=score, max_score=max_score, stars=stars_for(score, max_score), note=note,
    )
    AssessmentItem.objects.bulk_create([
        AssessmentItem(assessment=assessment, item=item, met=bool(results[item.pk][0]),
                       evidence=results[item.pk][1] or "")
        for item in items
    ])
    audit_record(actor=actor, action="assessment.record", target=assessment,
                 data={"score": score, "stars": assessment.stars})
    return assessment


FUNDING_YEARS = (2000, 2100)


@transaction.atomic
def funding_set(*, actor: Actor, township: Township, year: int, budget: Decimal, disbursed: Decimal,
                spent: Decimal, note: str = "") -> ConstructionFunding:
    require(actor.can_manage_township(township.pk))
    errors = {}
    if not FUNDING_YEARS[0] <= year <= FUNDING_YEARS[1]:
        errors["year"] = _("年度应在%(low)d至%(high)d之间。") % {"low": FUNDING_YEARS[0], "high": FUNDING_YEARS[1]}
    for name, value in (("budget", budget), ("disbursed", disbursed), ("spent", spent)):
        if value < 0:
            errors[name] = _("金额不能为负数。")
    if "budget" not in errors and "disbursed" not in errors and disbursed > budget:
        errors["disbursed"] = _("已拨付金额不能超过预算。")
    if errors:
        raise ValidationError(errors)
    values = {"budget": budget, "disbursed": disbursed, "spent": spent, "note": note}
    # Digits and decimal places, in Chinese, before the database would refuse them in English.
    ConstructionFunding(township=township, year=year, **values).full_clean(validate_unique=False,
                                                                             validate_constraints=False)
    funding, _created = ConstructionFunding.objects.update_or_create(township=township, year=year, defaults=values)
    audit_record(actor=actor, action="funding.set", target=funding,
                 data={"year": year, "budget": str(budget), "disbursed": str(disbursed), "spent": str(spent)})
    return funding
