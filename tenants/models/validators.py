from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# [0-9], not \d: in Python \d also matches full-width and other scripts' digits (１３７…), which no SMS
# gateway takes; \Z, not $: $ lets a trailing newline through.
MOBILE_RE = r"^1[3-9][0-9]{9}\Z"
DIVISION_CODE_RE = r"^[1-9][0-9]{5}\Z"
# A host-name label: lowercase letters, digits and inner hyphens; no underscore (not valid in hosts).
SLUG_RE = r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$"

mobile_validator = RegexValidator(MOBILE_RE, _("请输入11位中国大陆手机号码。"), code="invalid_mobile")
division_code_validator = RegexValidator(
    DIVISION_CODE_RE, _("行政区划代码应为6位数字，且不以0开头。"), code="invalid_division_code"
)
slug_validator = RegexValidator(
    SLUG_RE,
    _("域名标识只能使用小写字母、数字和连字符，且不能以连字符开头或结尾（最长40个字符）。"),
    code="invalid_slug",
)
