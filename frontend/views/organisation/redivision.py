"""Re-division (撤乡并镇 / 区划调整): merge, split and rename townships from an effective date; the history
of past re-divisions with their old -> new links. County administrator only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required
from organisation.models import Redivision
from organisation.services.redivision import township_merge, township_rename, township_split

from .forms import MergeForm, RenameForm, SplitForm, SplitSourceForm


def _admin(me: Actor) -> None:
    if not me.is_admin:
        raise PermissionDenied


def _page(request, *, merge=None, rename=None, split_source=None, split=None, status=200):
    history = Redivision.objects.prefetch_related("links__predecessor", "links__successor").order_by(
        "-effective_on", "-id")
    return render(request, "frontend/organisation/redivision.html", {
        "history": history, "merge": merge or MergeForm(), "rename": rename or RenameForm(),
        "split_source": split_source or SplitSourceForm(), "split": split,
    }, status=status)


def _done(request, redivision: Redivision):
    messages.success(request, _("区划调整已生效（%(date)s）：%(kind)s。") % {
        "date": redivision.effective_on.isoformat(), "kind": redivision.get_kind_display()})
    return redirect("frontend:org_redivisions")


@member_required
def redivisions(request, me: Actor):
    """The history and the three forms; choosing a township to split (GET split-source) shows step two."""
    _admin(me)
    split, source_form = None, SplitSourceForm(request.GET or None)
    if "split-source" in request.GET and source_form.is_valid():
        split = SplitForm(source=source_form.cleaned_data["source"], parts=source_form.cleaned_data["parts"])
    return _page(request, split_source=source_form if request.GET else None, split=split)


@member_required
def redivision_merge(request, me: Actor):
    _admin(me)
    if request.method != "POST":
        return redirect("frontend:org_redivisions")
    form = MergeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            redivision = township_merge(actor=me, sources=list(data["sources"]), into=data["into"],
                                        effective_on=data["effective_on"], note=data["note"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            return _done(request, redivision)
    return _page(request, merge=form, status=400)


@member_required
def redivision_rename(request, me: Actor):
    _admin(me)
    if request.method != "POST":
        return redirect("frontend:org_redivisions")
    form = RenameForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            redivision = township_rename(actor=me, township=data["township"], name=data["name"],
                                         kind=data["kind"] or None, division_code=data["division_code"] or None,
                                         effective_on=data["effective_on"], note=data["note"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            return _done(request, redivision)
    return _page(request, rename=form, status=400)


@member_required
def redivision_split(request, me: Actor):
    _admin(me)
    if request.method != "POST":
        return redirect("frontend:org_redivisions")
    source_form = SplitSourceForm(request.POST)
    if not source_form.is_valid():
        return _page(request, split_source=source_form, status=400)
    form = SplitForm(request.POST, source=source_form.cleaned_data["source"], parts=source_form.cleaned_data["parts"])
    if form.is_valid():
        try:
            redivision = township_split(actor=me, source=form.source, parts=form.parts(),
                                        effective_on=form.cleaned_data["effective_on"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            return _done(request, redivision)
    return _page(request, split_source=source_form, split=form, status=400)
