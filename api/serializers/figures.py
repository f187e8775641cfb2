"""The figures' JSON (tenants.figures.dashboard) described for the OpenAPI schema: these serializers are
never used to validate or render, only to say what each key holds (drf-spectacular reads them)."""

from __future__ import annotations

from rest_framework import serializers


class _Described(serializers.Serializer):
    def create(self, validated_data):  # pragma: no cover - documentation only
        raise NotImplementedError

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError


class ScopeOut(_Described):
    level = serializers.ChoiceField(["province", "prefecture", "county", "township"])
    id = serializers.IntegerField()
    name = serializers.CharField()
    county = serializers.IntegerField(allow_null=True, help_text="乡镇所属的县（仅乡镇）")


# `from` is a Python keyword: the class is made by type().
PeriodOut = type("PeriodOut", (_Described,), {
    "__module__": __name__,
    "from": serializers.CharField(help_text="YYYY-MM"),
    "to": serializers.CharField(help_text="YYYY-MM"),
    "today": serializers.DateField(),
})


class TrendPoint(_Described):
    month = serializers.CharField(help_text="YYYY-MM")
    value = serializers.IntegerField()


class Breakdown(serializers.DictField):
    """key (a category, tier, channel, status…) -> count."""

    child = serializers.IntegerField()


class CountFigure(_Described):
    number = serializers.IntegerField()
    trend = TrendPoint(many=True, help_text="每月一个值")
    breakdown = Breakdown(required=False)


class CaseCount(_Described):
    number = serializers.IntegerField()
    trend = TrendPoint(many=True)
    by_tier = Breakdown(help_text="办理层级：village, township, county, prefecture, province, policy, unrouted")
    by_category = Breakdown()
    by_channel = Breakdown()


class RateOut(_Described):
    number = serializers.FloatField(allow_null=True, help_text="百分比（一位小数）；分母为0时为 null")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()


class RatePoint(RateOut):
    month = serializers.CharField(help_text="YYYY-MM")


class RateFigure(RateOut):
    trend = RatePoint(many=True)


class RateBreakdown(serializers.DictField):
    child = RateOut()


class CaseRate(RateFigure):
    by_tier = RateBreakdown()
    by_category = RateBreakdown()
    by_channel = RateBreakdown()


class RatedFigure(RateFigure):
    breakdown = Breakdown(help_text="satisfied, basically_satisfied, unsatisfied")


class CasesOut(_Described):
    received = CaseCount()
    open = CaseCount()
    overdue = CaseCount(help_text="逾期未反馈（截至 today），按期限到期的月份")
    answered_on_time = CaseRate()
    satisfaction = RatedFigure()


class UnitOut(_Described):
    unit = serializers.CharField()
    suggestions = serializers.IntegerField()
    answers = serializers.IntegerField()
    on_time = RateOut()


class SuggestionsOut(_Described):
    by_status = CountFigure()
    answered_on_time = RateFigure()
    satisfaction_process = RatedFigure()
    satisfaction_result = RatedFigure()
    per_unit = UnitOut(many=True)


class PerDeputy(_Described):
    number = serializers.FloatField(allow_null=True)
    records = serializers.IntegerField()
    deputies = serializers.IntegerField()


class DutiesOut(_Described):
    records = CountFigure()
    records_per_deputy = PerDeputy()
    three_ones = RateFigure()
    pair_contacts = CountFigure()


class ReceptionOut(_Described):
    held = CountFigure()
    planned = CountFigure()
    cancelled = CountFigure()
    held_vs_planned = RateFigure()
    attendance = RateFigure()


class StateCount(_Described):
    number = serializers.IntegerField()
    breakdown = Breakdown()


class StateRate(RateOut):
    breakdown = Breakdown()


class FundsOut(_Described):
    budget = serializers.FloatField(help_text="万元")
    disbursed = serializers.FloatField(help_text="万元")
    spent = serializers.FloatField(help_text="万元")


class StationsOut(_Described):
    by_kind = StateCount()
    build_progress = StateCount()
    stars = StateCount()
    standard_met = StateRate()
    funds = FundsOut()


class DeputiesOut(_Described):
    by_level = StateCount()


class PairingOut(_Described):
    township_deputies_paired = RateOut()
    county_deputies_over_limit = RateOut()


class ComparedRow(_Described):
    level = serializers.ChoiceField(["prefecture", "county", "township"])
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    prefecture = serializers.IntegerField(required=False, allow_null=True, help_text="县所属的州（市）（仅县）")
    prefecture_name = serializers.CharField(required=False, allow_null=True)
    cases_received = serializers.IntegerField()
    cases_open = serializers.IntegerField()
    cases_answered = serializers.IntegerField()
    cases_on_time = serializers.IntegerField()
    suggestions = serializers.IntegerField()
    duty_records = serializers.IntegerField()
    sessions_planned = serializers.IntegerField()
    sessions_held = serializers.IntegerField()
    attendance_expected = serializers.IntegerField()
    attendance_present = serializers.IntegerField()
    stations = serializers.IntegerField()
    deputies = serializers.IntegerField()


class FiguresOut(_Described):
    """Every figure of a scope over a period: each a number, a trend (one value per month) and breakdowns;
    rates carry their numerator and denominator (so that they add up across units)."""

    scope = ScopeOut()
    period = PeriodOut()
    cases = CasesOut()
    suggestions = SuggestionsOut()
    duties = DutiesOut()
    reception = ReceptionOut()
    stations = StationsOut()
    deputies = DeputiesOut()
    pairing = PairingOut()
    comparison = ComparedRow(many=True, help_text="下一级单位并列：县的各乡镇（全部）；省、州（市）的各县（一页，见 "
                                                  "comparison_page）")


class ComparisonPage(_Described):
    """Which page of a province's or prefecture's counties `comparison` holds."""

    number = serializers.IntegerField(help_text="页码，从1起")
    size = serializers.IntegerField(help_text="每页县数")
    pages = serializers.IntegerField()
    total = serializers.IntegerField(help_text="本省或本州（市）的县数")
    sort = serializers.CharField(help_text="code 或比较指标名")
    order = serializers.ChoiceField(["asc", "desc"])
    next = serializers.URLField(allow_null=True, required=False, help_text="下一页；最后一页为 null")
    previous = serializers.URLField(allow_null=True, required=False, help_text="上一页；第一页为 null")


class PlatformFiguresOut(FiguresOut):
    comparison_page = ComparisonPage(required=False, help_text="各县比较的分页（仅省、州（市））")
    comparison_prefectures = ComparedRow(many=True, required=False,
                                         help_text="省的各州（市）（全部，仅省；省直管的县合为一行，id 为 null）")
