"""What uploads and personal data share across contexts: reading an image for real, checking a photo,
masking a mobile."""

from __future__ import annotations

import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"JPEG", "PNG", "WEBP"}


def image_format(upload) -> str | None:
    """Pillow's format name ("JPEG", "PNG", …) of an upload that is really an image, else None.

    Its header, its checksum and its pixels are read (verify() alone passes a cut-off JPEG), and a small
    file claiming huge dimensions is refused. The upload is left rewound."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as image:
                kind = image.format
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        return None
    finally:
        upload.seek(0)
    return kind


def check_image(upload) -> None:
    """A photo (of a venue, a deputy, a duty): a real JPEG, PNG or WEBP of at most 5 MB."""
    if upload.size is None or upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"image": _("图片不能超过5MB。")})
    kind = image_format(upload)
    if kind is None:
        raise ValidationError({"image": _("文件不是有效的图片（支持JPEG、PNG、WEBP）。")})
    if kind not in PHOTO_TYPES:
        raise ValidationError({"image": _("图片格式须为JPEG、PNG或WEBP。")})


def mask_mobile(mobile: str) -> str:
    """138****0001: enough to recognise a number, not enough to call it ("" stays "")."""
    if not mobile:
        return ""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else "****"
