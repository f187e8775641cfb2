"""The admin's banner when this year's or next year's holiday arrangement is not official."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from workdays.selectors import years_not_official

register = template.Library()


@register.simple_tag
def calendar_banner() -> str:
    years = years_not_official(on=timezone.localdate())
    if not years:
        return ""
    return format_html(
        '<ul class="messagelist"><li class="warning">{}</li></ul>',
        _("%(years)s年的节假日与调休安排尚未正式载入：这些年度的接待日和办理期限为暂定。国务院公布后请运行 "
          "manage.py sync_holidays，或在“节假日与调休”中录入后在“日历年度”中标记为正式。")
        % {"years": "、".join(str(y) for y in years)})
