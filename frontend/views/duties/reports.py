"""三个一 (the three-ones matrix with station and township roll-ups) and 年度履职评价 (scores, ranks,
outstanding deputies), each with Excel export; the county administrator edits the figures here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.scope import Actor
from duties.models import DutyKind, DutyRule
from duties.selectors.compliance import three_ones_report
from duties.selectors.evaluation import evaluation
from duties.selectors.records import reads_duty_reports
from duties.services.rules import FIGURES, duty_rule_update
from frontend.pages import member_required, xlsx_download, year_asked


class FiguresForm(forms.ModelForm):
    class Meta:
        model = DutyRule
        fields = list(FIGURES)


class EvaluationRuleForm(forms.Form):
    outstanding_top_n = forms.IntegerField(label=DutyRule._meta.get_field("outstanding_top_n").verbose_name,
                                           min_value=1, max_value=10000, required=False)
    outstanding_min_score = forms.IntegerField(label=DutyRule._meta.get_field("outstanding_min_score").verbose_name,
                                               min_value=1, required=False)

    def __init__(self, *args, rule: DutyRule, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in DutyKind.choices:
            self.fields[f"w_{kind}"] = forms.IntegerField(label=label, min_value=0, max_value=100,
                                                          initial=rule.weight(kind))
        self.fields["outstanding_top_n"].initial = rule.outstanding_top_n
        self.fields["outstanding_min_score"].initial = rule.outstanding_min_score


@member_required
def three_ones(request, actor: Actor):
    if not reads_duty_reports(actor):
        raise PermissionDenied
    year = year_asked(request)
    report = three_ones_report(actor=actor, year=year)
    if request.GET.get("export") == "xlsx":
        headers = [_("代表"), _("站点"), _("乡镇"),
                   *[_("%(m)d月 接待/走访") % {"m": m} for m in report.months], _("达标月数"), _("述职"),
                   _("联系选民（县定%(n)d人）") % {"n": report.voters_per_deputy}]
        rows = ([r.deputy.name, r.deputy.venue_name, r.deputy.township_name,
                 *[f"{c.receptions}/{c.visits}{'' if c.ok else ' ✗'}" for c in r.months], r.months_ok, r.reports,
                 r.voters] for r in report.rows)
        return xlsx_download(headers, rows, filename=f"three-ones-{year}.xlsx", title=_("三个一"))
    return render(request, "frontend/duties/three_ones.html", {
        "report": report, "year": year, "years": range(timezone.localdate().year, 2019, -1),
        "form": FiguresForm(instance=report.rule) if actor.is_admin else None})


@member_required
def evaluation_page(request, actor: Actor):
    if not reads_duty_reports(actor):
        raise PermissionDenied
    year = year_asked(request)
    result = evaluation(actor=actor, year=year)
    kinds = DutyKind.choices
    if request.GET.get("export") == "xlsx":
        headers = [_("全县排名"), _("乡镇排名"), _("代表"), _("站点"), _("乡镇"), *[str(label) for _k, label in kinds],
                   _("得分"), _("优秀")]
        rows = ([r.rank, r.township_rank, r.deputy.name, r.deputy.venue_name, r.deputy.township_name,
                 *[r.counts[k] for k, _l in kinds], r.score, _("是") if r.outstanding else ""] for r in result.rows)
        return xlsx_download(headers, rows, filename=f"evaluation-{year}.xlsx", title=_("年度履职评价"))
    for row in result.rows:
        row.count_list = [row.counts[k] for k, _l in kinds]
    return render(request, "frontend/duties/evaluation.html", {
        "result": result, "year": year, "kinds": kinds, "years": range(timezone.localdate().year, 2019, -1),
        "outstanding": [r for r in result.rows if r.outstanding],
        "form": EvaluationRuleForm(rule=result.rule) if actor.is_admin else None})


def _save(request, actor: Actor, values: dict, back: str):
    try:
        duty_rule_update(actor=actor, **values)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("履职规则已保存。"))
    return redirect(back)


@member_required
@require_POST
def three_ones_rule(request, actor: Actor):
    if not actor.is_admin:
        raise PermissionDenied
    form = FiguresForm(request.POST, instance=DutyRule.current())
    if not form.is_valid():
        messages.error(request, _("请填写0到31之间的整数。"))
        return redirect("frontend:duty_three_ones")
    return _save(request, actor, {name: form.cleaned_data[name] for name in FIGURES}, "frontend:duty_three_ones")


@member_required
@require_POST
def evaluation_rule(request, actor: Actor):
    if not actor.is_admin:
        raise PermissionDenied
    form = EvaluationRuleForm(request.POST, rule=DutyRule.current())
    if not form.is_valid():
        messages.error(request, _("分值须为0到100之间的整数。"))
        return redirect("frontend:duty_evaluation")
    data = form.cleaned_data
    values = {"weights": {k: data[f"w_{k}"] for k in DutyKind.values},
              "outstanding_top_n": data["outstanding_top_n"], "outstanding_min_score": data["outstanding_min_score"]}
    return _save(request, actor, values, "frontend:duty_evaluation")
