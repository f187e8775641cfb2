"""The lists' query parameters, one serializer per list: the view reads its filters through it (api.views.base
.query), so that a bad value (`venue=null`, `month=13`) is a 400 naming the parameter in Chinese instead of
being ignored, and the schema documents them from the same declaration (extend_schema(parameters=[...]))."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from access.models import Role
from casework.models import CaseStatus, SuggestionStatus
from core.levels import Level, MandateStatus
from duties.models import DutyKind, DutyRecord
from reception.models import ReceptionSession


class Query(serializers.Serializer):
    """A query serializer that refuses a parameter given empty where the schema offers no empty value
    (`?level=`): DRF would read it as absent, like an HTML form's empty field."""

    def to_internal_value(self, data):
        empty = [name for name, field in self.fields.items()
                 if name in data and data.get(name) == "" and not getattr(field, "allow_blank", False)]
        if empty:
            raise serializers.ValidationError({name: [_("不能为空。")] for name in empty})
        return super().to_internal_value(data)


def _id(label: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1, label=label)


def _month() -> serializers.DateField:
    return serializers.DateField(required=False, input_formats=["%Y-%m"], format="%Y-%m", label=_("月份（YYYY-MM）"))


def _choice(choices, label: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=list(choices), required=False, allow_blank=True, label=label)


class SessionQuery(Query):
    venue = _id(_("站点"))
    month = _month()
    status = _choice(ReceptionSession.Status.values, _("状态"))
    past = serializers.BooleanField(required=False, label=_("含已过去的接待日"))


class CaseQuery(Query):
    status = _choice([*CaseStatus.values, "open"], _("状态（open：未办结）"))
    category = _id(_("类别"))
    township = _id(_("乡镇"))
    village = _id(_("村（社区）：含并入或更名前的村（社区）"))
    q = serializers.CharField(required=False, allow_blank=True, label=_("关键词"))
    overdue = serializers.BooleanField(required=False, label=_("只看逾期"))


class SuggestionQuery(Query):
    status = _choice(SuggestionStatus.values, _("状态"))
    unit = _id(_("主办单位"))


class YearQuery(Query):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, label=_("年度"))


class DutyRecordQuery(Query):
    kind = _choice(DutyKind.values, _("类型"))
    deputy = _id(_("代表"))
    venue = _id(_("站点"))
    month = _month()
    status = _choice(DutyRecord.Status.values, _("状态"))
    q = serializers.CharField(required=False, allow_blank=True, label=_("关键词"))


class DeputyQuery(Query):
    q = serializers.CharField(required=False, allow_blank=True, label=_("姓名（所管理的代表也可按手机号码）"))
    level = _choice(Level.values, _("层级"))
    township = _id(_("乡镇"))
    venue = _id(_("站点"))
    status = _choice(MandateStatus.values, _("履职状态"))


class TownshipQuery(Query):
    township = _id(_("乡镇"))


class PairingQuery(Query):
    all = serializers.BooleanField(required=False, label=_("含已终止的结对"))
    deputy = _id(_("代表"))


class MembershipQuery(Query):
    role = _choice(Role.values, _("角色"))


class PublicCalendarQuery(Query):
    venue = _id(_("站点"))


class PublicAnswersQuery(Query):
    township = _id(_("乡镇"))
    category = _id(_("类别"))
    q = serializers.CharField(required=False, allow_blank=True, max_length=50, label=_("关键词"))
