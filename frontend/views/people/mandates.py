"""Adding a deputy's mandate (代表职务): county ones by the county, township ones also by their staff."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor
from core.levels import Level, MandateStatus
from frontend.forms import errors_onto
from frontend.pages import member_required
from organisation.models import Township
from organisation.selectors import townships_current
from people.services.deputies import mandate_add, may_add_mandates

from .common import DATE, _deputy_for


class MandateForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("层级"),
                              choices=[(Level.COUNTY.value, Level.COUNTY.label),
                                       (Level.TOWNSHIP.value, Level.TOWNSHIP.label)])
    term = forms.IntegerField(label=gettext_lazy("届次"), min_value=1, max_value=99)
    township = forms.ModelChoiceField(label=gettext_lazy("所属乡镇"), required=False, queryset=Township.objects.none(),
                                      help_text=gettext_lazy("乡镇级代表须选择所属乡镇"))
    electoral_district = forms.CharField(label=gettext_lazy("选区"), max_length=100, required=False)
    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=MandateStatus.choices,
                               initial=MandateStatus.SERVING)
    started_on = forms.DateField(label=gettext_lazy("起始日期"), widget=DATE)
    ended_on = forms.DateField(label=gettext_lazy("终止日期"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_current()

    def clean(self):
        # The service checks this too, but only after deciding who may add the mandate, which for a
        # township's staff depends on the township: a missing one would read as "no permission".
        data = super().clean()
        if data.get("level") == Level.TOWNSHIP and not data.get("township"):
            self.add_error("township", _("乡镇级代表须选择所属乡镇。"))
        return data


@member_required
def mandate_add_page(request, actor: Actor, pk: int):
    deputy = _deputy_for(actor, pk)
    if not may_add_mandates(actor, deputy):
        raise PermissionDenied
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mandate_add(actor=actor, deputy=deputy, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已添加代表职务。"))
            return redirect("frontend:deputy_detail", pk=deputy.pk)
    return render(request, "frontend/people/mandate_form.html", {"form": form, "deputy": deputy},
                  status=400 if form.errors else 200)
