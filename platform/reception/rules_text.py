"""A station's reception rule in Chinese words (the picker on the schedule page) and back to RFC 5545.

The stations' rules are nearly always "the n-th weekday of every month (or quarter), or a weekday every week
or fortnight, for one or more days": those are picked in words ("每月第一个星期一及次日") and written as the
RRULE that reception.services.schedule reads. Any other rule is kept as written and described as such."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WEEKDAYS = [("MO", gettext_lazy("星期一")), ("TU", gettext_lazy("星期二")), ("WE", gettext_lazy("星期三")),
            ("TH", gettext_lazy("星期四")), ("FR", gettext_lazy("星期五")), ("SA", gettext_lazy("星期六")),
            ("SU", gettext_lazy("星期日"))]
ORDINALS = [("1", gettext_lazy("第一个")), ("2", gettext_lazy("第二个")), ("3", gettext_lazy("第三个")),
            ("4", gettext_lazy("第四个")), ("-1", gettext_lazy("最后一个"))]
# picker value -> (FREQ, INTERVAL, whether an ordinal applies), and its words
FREQUENCIES = {"monthly": ("MONTHLY", 1, True), "quarterly": ("MONTHLY", 3, True), "weekly": ("WEEKLY", 1, False),
               "fortnightly": ("WEEKLY", 2, False)}
FREQUENCY_CHOICES = [("monthly", gettext_lazy("每月")), ("quarterly", gettext_lazy("每季度（每三个月）")),
                     ("weekly", gettext_lazy("每周")), ("fortnightly", gettext_lazy("每两周")),
                     ("custom", gettext_lazy("其他（按 RFC 5545 规则填写）"))]
_PATTERN = re.compile(r"^FREQ=(MONTHLY|WEEKLY)(?:;INTERVAL=(\d+))?;BYDAY=(-1|[1-4])?(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True)
class PickedRule:
    frequency: str  # a key of FREQUENCIES, or "custom"
    ordinal: str = "1"
    weekday: str = "MO"


def rule_from_words(rule: PickedRule) -> str:
    freq, interval, ordinal = FREQUENCIES[rule.frequency]
    parts = [f"FREQ={freq}"] + ([f"INTERVAL={interval}"] if interval > 1 else [])
    return ";".join([*parts, f"BYDAY={rule.ordinal if ordinal else ''}{rule.weekday}"])


def words_from_rule(rrule: str) -> PickedRule:
    """The picker's values for a stored rule ("custom" when the words cannot say it)."""
    match = _PATTERN.match((rrule or "").strip().upper().replace("INTERVAL=1;", ""))
    if match is None:
        return PickedRule("custom")
    freq, interval, ordinal, weekday = match.group(1), int(match.group(2) or 1), match.group(3), match.group(4)
    for key, (f, i, takes_ordinal) in FREQUENCIES.items():
        if f == freq and i == interval and bool(ordinal) == takes_ordinal:
            return PickedRule(key, ordinal or "1", weekday)
    return PickedRule("custom")


def describe(rrule: str, days: int = 1) -> str:
    """"每月第一个星期一及次日", "每两周星期三", "每季度最后一个星期五起连续3天"; a rule the words cannot say is
    given as written."""
    picked = words_from_rule(rrule)
    if picked.frequency == "custom":
        return _("按规则 %(rule)s") % {"rule": rrule}
    words = dict(FREQUENCY_CHOICES)[picked.frequency]
    if picked.frequency == "quarterly":
        words = _("每季度")
    text = str(words)
    if FREQUENCIES[picked.frequency][2]:
        text += str(dict(ORDINALS)[picked.ordinal])
    text += str(dict(WEEKDAYS)[picked.weekday])
    if days == 2:
        text += _("及次日")
    elif days > 2:
        text += _("起连续%(n)d天") % {"n": days}
    return text
