"""Stationing a deputy at a venue (驻站) and ending it, by the staff who manage the venue."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required
from organisation.models import Venue
from organisation.selectors import venues_managed_by
from people.services.deputies import (
    stationing_add,
    stationing_end,
)

from .common import DATE, _deputy_for


class StationingForm(forms.Form):
    venue = forms.ModelChoiceField(label=gettext_lazy("站点"), queryset=Venue.objects.none())
    started_on = forms.DateField(label=gettext_lazy("进站日期"), widget=DATE)

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues_managed_by(actor).exclude(status=Venue.Status.CLOSED).order_by("name")


@member_required
def stationing_add_page(request, actor: Actor, pk: int):
    deputy = _deputy_for(actor, pk)
    if not actor.is_staff:
        raise PermissionDenied
    form = StationingForm(request.POST or None, actor=actor, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            stationing_add(actor=actor, deputy=deputy, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("已安排驻站。"))
            return redirect("frontend:deputy_detail", pk=deputy.pk)
    return render(request, "frontend/people/stationing_form.html", {"form": form, "deputy": deputy},
                  status=400 if form.errors else 200)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=gettext_lazy("终止日期"), widget=DATE)


@member_required
@require_POST
def stationing_end_page(request, actor: Actor, pk: int, sid: int):
    deputy = _deputy_for(actor, pk)
    stationing = get_object_or_404(deputy.stationings.select_related("venue"), pk=sid, ended_on__isnull=True)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            stationing_end(actor=actor, stationing=stationing, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已结束在%(venue)s的驻站。") % {"venue": stationing.venue.name})
    else:
        messages.error(request, _("请填写离站日期。"))
    return redirect("frontend:deputy_detail", pk=deputy.pk)
