from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from access.signin import address_blocked
from core.text import no_control_characters
from core.xlsx import XLSX_CONTENT_TYPE
from tenants.models.validators import mobile_validator


def text_validators() -> list:
    """What every typed field refuses by name: control characters ('含有无效字符')."""
    return [no_control_characters]


def mobile_field(**attrs) -> forms.CharField:
    """A mobile number: 11 ASCII digits (a full-width digit is refused, not converted)."""
    field = forms.CharField(label=_("手机号码"), max_length=11, validators=[no_control_characters, mobile_validator],
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username",
                                                          "autofocus": True, **attrs}))
    field.error_messages["required"] = _("请填写手机号码。")
    return field


class MobileLoginForm(forms.Form):
    mobile = mobile_field()
    password = forms.CharField(label=_("密码"), strip=False, validators=[no_control_characters],
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": _("手机号码或密码不正确，或您在本站没有账号。"),
        "address_blocked": _("您所在网络登录失败次数过多，请15分钟后再试。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.account = None
        super().__init__(*args, **kwargs)

    def clean(self):
        mobile = self.cleaned_data.get("mobile")
        password = self.cleaned_data.get("password")
        if mobile and password and self.request is not None and address_blocked(self.request):
            raise forms.ValidationError(self.error_messages["address_blocked"], code="address_blocked")
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


MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # an imported workbook (nginx caps a request at 20 MB)


class XlsxUploadForm(forms.Form):
    """The upload of a filled-in template (the roster, the organisation workbook)."""

    label = _("文件（.xlsx）")
    file = forms.FileField(error_messages={"required": _("请选择要导入的 .xlsx 文件。")},
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_CONTENT_TYPE}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = self.label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件不能超过10MB。"))
        return upload
