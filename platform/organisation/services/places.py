"""Writes on townships, villages and venues."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from core.files import check_image
from organisation.models import HandlingUnit, Township, Venue, VenuePhoto, Village


def editable_fields(model) -> set[str]:
    """The names a service may set: the model's editable columns, never its primary key."""
    return {f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key}


def _check_fields(model, fields: dict) -> None:
    unknown = set(fields) - editable_fields(model)
    if unknown:
        raise TypeError(f"{model.__name__}: cannot set {sorted(unknown)}")


def _save(instance, *, actor: Actor, action: str, fields: dict, unique=None) -> None:
    _check_fields(type(instance), fields)
    for name, value in fields.items():
        setattr(instance, name, value)
    if unique is not None:
        errors = unique(instance)
        if errors:
            raise ValidationError(errors)
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, action=action, target=instance, data={k: str(v) for k, v in fields.items()})


def _require_current(township: Township | None, field: str = "township") -> None:
    if township is not None and township.ended_on is not None:
        raise ValidationError({field: _("%(name)s 已经撤销。") % {"name": township.name}})


def township_clashes(*, name: str, division_code: str = "", township: Township | None = None) -> dict[str, str]:
    """What a township's name and code clash with among the current townships, per field. The service
    refuses them; the API's serializer and the page's form ask first, to show them beside other errors
    (the model's conditional constraints would name no field)."""
    taken = Township.objects.current().exclude(pk=township.pk if township else None)
    errors = {}
    if name and taken.filter(name=name).exists():
        errors["name"] = _("已有同名的乡镇（街道）。")
    if division_code and taken.filter(division_code=division_code).exists():
        errors["division_code"] = _("该区划代码已被其他乡镇（街道）使用。")
    return errors


def village_clashes(*, township_id: int | None, name: str, village: Village | None = None) -> dict[str, str]:
    """A township has one current village of a name (asked like township_clashes)."""
    if name and Village.objects.current().exclude(pk=village.pk if village else None).filter(
            township_id=township_id, name=name).exists():
        return {"name": _("该乡镇已有同名的村（社区）。")}
    return {}


# A township's or village's dates change only through a re-division (or by the county itself).
UNIT_DATE_FIELDS = {"started_on", "ended_on"}


def _require_current_unit(actor: Actor, unit: Township | Village | None, fields: dict) -> None:
    if unit is not None and unit.ended_on is not None:
        # An abolished unit is history: what was recorded against it must keep reading the same.
        raise ValidationError(_("%(name)s 已经撤销，不能再修改。") % {"name": unit.name})
    changed = {k for k in UNIT_DATE_FIELDS & set(fields) if unit is None or fields[k] != getattr(unit, k)}
    require(actor.is_admin or not changed)


@transaction.atomic
def township_save(*, actor: Actor, township: Township | None = None, **fields) -> Township:
    _check_fields(Township, fields)
    require(actor.is_admin if township is None else actor.can_manage_township(township.pk))
    _require_current_unit(actor, township, fields)
    township = township or Township()
    _save(township, actor=actor, action="township.save", fields=fields, unique=lambda t: township_clashes(
        name=t.name, division_code=t.division_code, township=t if t.pk else None))
    return township


@transaction.atomic
def village_save(*, actor: Actor, village: Village | None = None, **fields) -> Village:
    _check_fields(Village, fields)
    township = fields.get("township") or (village.township if village else None)
    require(actor.can_manage_township(township.pk if township else None))
    if village is not None:  # moving a village needs its present township too
        require(actor.can_manage_township(village.township_id))
    _require_current_unit(actor, village, fields)
    if "township" in fields or village is None:
        _require_current(township)
    village = village or Village()
    _save(village, actor=actor, action="village.save", fields=fields, unique=lambda v: village_clashes(
        township_id=v.township_id, name=v.name, village=v if v.pk else None))
    return village


@transaction.atomic
def venue_save(*, actor: Actor, venue: Venue | None = None, **fields) -> Venue:
    _check_fields(Venue, fields)
    village = fields.get("village", venue.village if venue else None)
    township = fields.get("township", venue.township if venue else None)
    if village is not None and township is None:
        # A village station belongs to its village's township, never to the county directly.
        township = fields["township"] = village.township
    if venue is None:
        require(actor.can_manage_township(township.pk if township else None))
    else:
        require(actor.can_manage_venue(venue.pk, venue.township_id))
        if township != venue.township:
            require(actor.can_manage_township(township.pk if township else None))
    if venue is None or "township" in fields:
        _require_current(township)
    venue = venue or Venue()
    _save(venue, actor=actor, action="venue.save", fields=fields)
    return venue


@transaction.atomic
def venue_photo_add(*, actor: Actor, venue: Venue, upload, caption: str = "") -> VenuePhoto:
    require(actor.can_manage_venue(venue.pk, venue.township_id))
    check_image(upload)
    photo = VenuePhoto.objects.create(venue=venue, image=upload, caption=caption)
    audit_record(actor=actor, action="venue.photo_add", target=photo)
    return photo


@transaction.atomic
def handling_unit_save(*, actor: Actor, unit: HandlingUnit | None = None, **fields) -> HandlingUnit:
    require(actor.is_admin)
    unit = unit or HandlingUnit()
    _save(unit, actor=actor, action="handling_unit.save", fields=fields)
    return unit
