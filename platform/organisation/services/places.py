"""Writes on townships, villages and venues."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.scope import Actor, require
from audit.services import audit_record
from organisation.models import HandlingUnit, Township, Venue, VenuePhoto, Village

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"JPEG", "PNG", "WEBP"}


def _save(instance, *, actor: Actor, action: str, fields: dict) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, action=action, target=instance, data={k: str(v) for k, v in fields.items()})


@transaction.atomic
def township_save(*, actor: Actor, township: Township | None = None, **fields) -> Township:
    require(actor.is_admin if township is None else actor.can_manage_township(township.pk))
    township = township or Township()
    _save(township, actor=actor, action="township.save", fields=fields)
    return township


@transaction.atomic
def village_save(*, actor: Actor, village: Village | None = None, **fields) -> Village:
    township = fields.get("township") or (village.township if village else None)
    require(actor.can_manage_township(township.pk if township else None))
    village = village or Village()
    _save(village, actor=actor, action="village.save", fields=fields)
    return village


@transaction.atomic
def venue_save(*, actor: Actor, venue: Venue | None = None, **fields) -> Venue:
    township = fields.get("township", venue.township if venue else None)
    if venue is None:
        require(actor.can_manage_township(township.pk if township else None))
    else:
        require(actor.can_manage_venue(venue.pk, venue.township_id))
        if "township" in fields and fields["township"] != venue.township:
            require(actor.can_manage_township(township.pk if township else None))
    venue = venue or Venue()
    _save(venue, actor=actor, action="venue.save", fields=fields)
    return venue


def _check_image(upload) -> None:
    from PIL import Image, UnidentifiedImageError

    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"image": _("图片不能超过5MB。")})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError({"image": _("文件不是有效的图片（支持JPEG、PNG、WEBP）。")}) from None
    finally:
        upload.seek(0)
    if kind not in PHOTO_TYPES:
        raise ValidationError({"image": _("图片格式须为JPEG、PNG或WEBP。")})


@transaction.atomic
def venue_photo_add(*, actor: Actor, venue: Venue, upload, caption: str = "") -> VenuePhoto:
    require(actor.can_manage_venue(venue.pk, venue.township_id))
    _check_image(upload)
    photo = VenuePhoto.objects.create(venue=venue, image=upload, caption=caption)
    audit_record(actor=actor, action="venue.photo_add", target=photo)
    return photo


@transaction.atomic
def handling_unit_save(*, actor: Actor, unit: HandlingUnit | None = None, **fields) -> HandlingUnit:
    require(actor.is_admin)
    unit = unit or HandlingUnit()
    _save(unit, actor=actor, action="handling_unit.save", fields=fields)
    return unit
