"""办理规则: what the county sets for itself -- routing by jurisdiction, deadlines, opinion categories --
and every handling unit's yearly score (also as Excel). The county office edits; every member of the county
reads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor
from casework import services
from casework.models import CaseworkRule, Jurisdiction, OpinionCategory, Route, RoutingRule
from casework.selectors import reads_scorecards, scorecard_units, scorecards_xlsx, unit_scorecards
from casework.services.routing import RULE_FIELDS
from core.xlsx import xlsx_attachment
from frontend.forms import errors_onto
from frontend.pages import member_required, year_asked


class DeadlineForm(forms.ModelForm):
    class Meta:
        model = CaseworkRule
        fields = list(RULE_FIELDS)


class RoutingForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=gettext_lazy("管辖范围"), choices=Jurisdiction.choices)
    route = forms.ChoiceField(label=gettext_lazy("去向"), choices=Route.choices)
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=200)


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("类别名称"), max_length=30)
    position = forms.IntegerField(label=gettext_lazy("排序"), min_value=0, initial=10)


@member_required
def rules_page(request, actor: Actor):
    if request.method == "GET" and request.GET.get("export") == "scorecards":
        return scorecards_download(request, actor)
    forms_ = {"deadline": DeadlineForm(instance=CaseworkRule.current(), prefix="d"),
              "routing": RoutingForm(prefix="r"), "category": CategoryForm(prefix="c")}
    if request.method == "POST":
        if not actor.is_admin:
            raise PermissionDenied
        which = request.POST.get("which")
        try:
            if which == "deadline":
                form = forms_["deadline"] = DeadlineForm(request.POST, instance=CaseworkRule.current(), prefix="d")
                if form.is_valid():
                    services.casework_rule_update(actor=actor, **{k: form.cleaned_data[k] for k in RULE_FIELDS})
            elif which == "routing":
                form = forms_["routing"] = RoutingForm(request.POST, prefix="r")
                if form.is_valid():
                    services.routing_rule_save(actor=actor, **form.cleaned_data)
            elif which == "category":
                form = forms_["category"] = CategoryForm(request.POST, prefix="c")
                if form.is_valid():
                    services.category_save(actor=actor, **form.cleaned_data)
            elif which == "toggle":
                category = get_object_or_404(OpinionCategory, pk=request.POST.get("category"))
                form = None
                services.category_save(actor=actor, category=category, is_active=not category.is_active)
            elif which == "publish":  # 公开答复 by category (casework.publication)
                category = get_object_or_404(OpinionCategory, pk=request.POST.get("category"))
                form = None
                services.category_save(actor=actor, category=category, publish_answers=not category.publish_answers)
            else:
                form = None
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                errors_onto(form, error)
        else:
            if form is None or form.is_valid():
                messages.success(request, _("已保存。"))
                return redirect("frontend:casework_rules")
    year = timezone.localdate().year
    cards = unit_scorecards(units=scorecard_units(actor), year=year) if actor.is_admin else []
    return render(request, "frontend/casework/rules.html", {
        "routes": RoutingRule.objects.all(), "categories": OpinionCategory.objects.all(),
        "rule": CaseworkRule.current(), "forms": forms_, "actor": actor, "cards": cards, "year": year})


def scorecards_download(request, actor: Actor):
    """The units' scorecards for ?year= as Excel: every unit for the county office (from this page), a
    handling unit's own (linked from its suggestions page); nobody else's."""
    if not reads_scorecards(actor):
        raise PermissionDenied
    year = year_asked(request)
    cards = unit_scorecards(units=scorecard_units(actor), year=year)
    return xlsx_attachment(scorecards_xlsx(cards, year=year), filename=f"unit-scores-{year}.xlsx")
