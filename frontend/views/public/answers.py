"""公开答复: the answers the county publishes, anonymised (casework.publication), by township and category."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from casework.models import OpinionCategory
from casework.publication import published_answers
from organisation.selectors import townships_current

from .common import county_host


class AnswerFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("关键词"), required=False, max_length=50)
    township = forms.ModelChoiceField(label=gettext_lazy("乡镇（街道）"), required=False,
                                      queryset=townships_current(), empty_label=gettext_lazy("全部"))
    category = forms.ModelChoiceField(label=gettext_lazy("类别"), required=False,
                                      queryset=OpinionCategory.objects.all(), empty_label=gettext_lazy("全部"))


def answers_page(request):
    county_host(request)
    form = AnswerFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"q": data["q"], "township_id": data["township"].pk if data["township"] else None,
                   "category_id": data["category"].pk if data["category"] else None}
    return render(request, "frontend/public/answers.html", {
        "form": form, "answers": published_answers(**filters), "searched": bool(filters)})
