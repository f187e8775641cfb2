"""Text people type: control characters (a NUL byte, an escape) are refused by name, never read as 'empty'."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
INVALID_CHARACTER = _("含有无效字符。")


def no_control_characters(value) -> None:
    if isinstance(value, str) and CONTROL.search(value):
        raise ValidationError(INVALID_CHARACTER, code="invalid_character")
