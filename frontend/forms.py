from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from tenants.models.validators import mobile_validator


class MobileLoginForm(forms.Form):
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[mobile_validator],
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username",
                                                           "autofocus": True}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": _("手机号码或密码不正确，或您在本站没有账号。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.account = None
        super().__init__(*args, **kwargs)

    def clean(self):
        mobile = self.cleaned_data.get("mobile")
        password = self.cleaned_data.get("password")
        if mobile and password:
            self.account = authenticate(self.request, mobile=mobile, password=password)
            if self.account is None:
                raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return self.cleaned_data

    def get_user(self):
        return self.account


def errors_onto(form: forms.Form, exc: ValidationError) -> None:
    """A service's (Chinese) ValidationError shown on the form: next to its field when the form has
    that field, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            field = name if name in form.fields and name != NON_FIELD_ERRORS else None
            for message in messages:
                form.add_error(field, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
