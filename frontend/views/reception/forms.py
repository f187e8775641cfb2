from django import forms
from django.utils.translation import gettext_lazy as _

from frontend.views.people.common import DATE
from reception.models import AbsenceRule, ReceptionSchedule
from reception.rules_text import (
    FREQUENCY_CHOICES,
    ORDINALS,
    WEEKDAYS,
    PickedRule,
    describe,
    rule_from_words,
    words_from_rule,
)
from reception.services.notices import RULE_FIELDS
from reception.services.schedule import SCHEDULE_FIELDS

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ScheduleForm(forms.ModelForm):
    """The reception rule picked in words ("每月 第一个 星期一", days: 2 → 每月第一个星期一及次日), written as the
    RRULE (reception.rules_text); "其他" keeps a rule typed in RFC 5545."""

    frequency = forms.ChoiceField(label=_("接待周期"), choices=FREQUENCY_CHOICES, required=False)
    ordinal = forms.ChoiceField(label=_("第几个"), choices=ORDINALS, required=False)
    weekday = forms.ChoiceField(label=_("星期"), choices=WEEKDAYS, required=False)
    field_order = ["frequency", "ordinal", "weekday", "days_per_reception", "rrule"]

    class Meta:
        model = ReceptionSchedule
        fields = list(SCHEDULE_FIELDS)
        widgets = {"starts_at": TIME, "ends_at": TIME}
        labels = {"rrule": _("重复规则（选“其他”时填写，RFC 5545 格式）")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rrule"].required = False
        if not self.is_bound:
            picked = words_from_rule(self.instance.rrule)
            self.initial.update(frequency=picked.frequency, ordinal=picked.ordinal, weekday=picked.weekday)

    def clean(self):
        data = super().clean()
        if data.get("frequency") and data["frequency"] != "custom":
            data["rrule"] = rule_from_words(PickedRule(data["frequency"], data.get("ordinal") or "1",
                                                       data.get("weekday") or "MO"))
        elif not (data.get("rrule") or "").strip():
            self.add_error("rrule", _("请填写重复规则，或选择接待周期。"))
        return data

    @property
    def description(self) -> str:
        return describe(self.instance.rrule, self.instance.days_per_reception)


class PublishForm(forms.Form):
    year = forms.IntegerField(label=_("年度"))


class MoveForm(forms.Form):
    date = forms.DateField(label=_("新日期"), widget=DATE)
    reason = forms.CharField(label=_("调整原因"), max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class RotaForm(forms.Form):
    deputies = forms.TypedMultipleChoiceField(label=_("值班代表"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)


class AttendanceForm(forms.Form):
    deputy = forms.TypedChoiceField(label=_("代表"), coerce=int)
    arrived_at = forms.DateTimeField(label=_("到达时间"), widget=DATETIME)
    left_at = forms.DateTimeField(label=_("离开时间"), widget=DATETIME, required=False)


class RecordForm(forms.Form):
    visitors_count = forms.IntegerField(label=_("接待群众人次"), min_value=0)
    summary = forms.CharField(label=_("接待情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    names_consented = forms.BooleanField(label=_("来访群众同意登记姓名"), required=False)
    visitor_names = forms.CharField(label=_("来访群众姓名"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    issues = forms.CharField(label=_("群众反映的问题（每行一条）"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("每个问题将转为一条群众意见，进入意见办理流程。"))


class NoticeJobForm(forms.Form):
    year = forms.IntegerField(label=_("年度"))


class AbsenceRuleForm(forms.ModelForm):
    class Meta:
        model = AbsenceRule
        fields = list(RULE_FIELDS)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 2}))
