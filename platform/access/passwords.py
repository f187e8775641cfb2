"""The password rules every password form applies (settings.AUTH_PASSWORD_VALIDATORS, with Django's
minimum length and common-password list): letters and digits, and never the person's mobile number or
ID number. The ID number is a county's record (people), which registers a hook here (PeopleConfig.ready)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Hooks: account -> identifiers the password must not contain (people adds the county's ID numbers).
PERSONAL_IDENTIFIERS: list[Callable[[object], list[str]]] = []

LETTER = re.compile(r"[A-Za-z]")
DIGIT = re.compile(r"[0-9]")


def identifiers_of(account) -> list[str]:
    found = [getattr(account, "mobile", "") or ""]
    for hook in PERSONAL_IDENTIFIERS:
        found += hook(account)
    return [value for value in found if len(value) >= 6]


class LettersAndDigitsValidator:
    def validate(self, password: str, user=None) -> None:
        if not (LETTER.search(password) and DIGIT.search(password)):
            raise ValidationError(_("密码须同时包含英文字母和数字。"), code="password_letters_and_digits")

    def get_help_text(self) -> str:
        return _("密码须同时包含英文字母和数字。")


class NotPersonalValidator:
    """Neither the mobile number nor the ID number (nor its last six or more characters, as typed)."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        lowered = password.lower()
        for value in identifiers_of(user):
            value = value.lower()
            if value in lowered or (len(lowered) >= 6 and lowered in value):
                raise ValidationError(_("密码不能包含手机号码或身份证号码。"), code="password_personal")

    def get_help_text(self) -> str:
        return _("密码不能包含手机号码或身份证号码。")
