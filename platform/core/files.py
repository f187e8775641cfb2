"""What uploads and personal data share across contexts: reading an image for real, masking a mobile."""

from __future__ import annotations

import warnings

from PIL import Image, UnidentifiedImageError


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


def mask_mobile(mobile: str) -> str:
    """138****0001: enough to recognise a number, not enough to call it ("" stays "")."""
    if not mobile:
        return ""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else "****"
