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


# The apps whose rows hold what people type. A model of theirs saved with a control character in a text field
# is refused (a ValidationError on that field: the API's 400, a form's error) whatever path wrote it: a
# township named with a \v was accepted through the API, and the Excel exports then failed on it.
GUARDED_APPS = frozenset({"organisation", "people", "access", "reception", "duties", "casework", "tenants",
                          "workdays"})


def refuse_control_characters(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save receiver (connected by tenants.apps): one check for every text field of the guarded apps."""
    if raw or sender._meta.app_label not in GUARDED_APPS:
        return
    errors = {}
    for field in sender._meta.concrete_fields:
        if field.get_internal_type() not in ("CharField", "TextField"):
            continue
        if update_fields is not None and field.name not in update_fields and field.attname not in update_fields:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and CONTROL.search(value):
            errors[field.name] = [INVALID_CHARACTER]
    if errors:
        raise ValidationError(errors)


def printable(value):
    """Stored text as an export can write it: control characters dropped (rows written before the check,
    or by a bulk path past it, must not make an export fail)."""
    return CONTROL.sub("", value) if isinstance(value, str) else value
