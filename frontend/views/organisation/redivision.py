"""Re-division from an effective date: merge, split and rename townships (撤乡并镇), or the villages of one
township (撤并村, once the township is chosen); the history of past re-divisions with their old -> new
links; re-divisions dated after today are registered to take effect on their day (待生效的区划调整), listed above
the history and withdrawn from here. County administrator only."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required
from organisation.models import Redivision, ScheduledRedivision
from organisation.selectors import REDIVISION_LINKS, scheduled_redivision_for, scheduled_redivisions
from organisation.services.redivision import township_merge, township_rename, township_split
from organisation.services.scheduled_redivision import redivide, scheduled_cancel
from organisation.services.village_redivision import village_merge, village_rename, village_split
from people.actors import actor_of

from .redivision_forms import (
    MergeForm,
    RenameForm,
    SplitForm,
    SplitSourceForm,
    VillageMergeForm,
    VillageRenameForm,
    VillageSplitForm,
    VillageSplitSourceForm,
    VillageTownshipForm,
)


def _admin(me: Actor) -> None:
    if not me.is_admin:
        raise PermissionDenied


def _page(request, *, status=200, township=None, **forms):
    """The page with the given forms (bound ones show their errors) and blank ones for the rest; the village
    forms once a township is chosen (`township`)."""
    page = {"merge": MergeForm(), "rename": RenameForm(), "split_source": SplitSourceForm(), "split": None,
            "village_step": VillageTownshipForm(initial={"township": township}), "township": township,
            "vsplit": None}
    if township is not None:
        page.update(vmerge=VillageMergeForm(township=township), vrename=VillageRenameForm(township=township),
                    vsplit_source=VillageSplitSourceForm(township=township))
    page.update({name: form for name, form in forms.items() if form is not None})
    page["scheduled"] = scheduled_redivisions(actor_of(request), statuses=[ScheduledRedivision.Status.SCHEDULED,
                                                                       ScheduledRedivision.Status.FAILED])
    page["history"] = Redivision.objects.prefetch_related(*REDIVISION_LINKS).order_by("-effective_on", "-id")
    return render(request, "frontend/organisation/redivision.html", page, status=status)


def _submit(request, form, act, **page):
    """Run the service (`act`, given the form) when the form is valid: on to the history, or the page again
    with the form and the service's Chinese refusal. A date after today registers the re-division instead
    (organisation.services.scheduled_redivision.redivide)."""
    if form.is_valid():
        try:
            done = act(form)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            if isinstance(done, ScheduledRedivision):
                messages.success(request, _("%(kind)s已登记，将于 %(date)s 生效。") % {
                    "date": done.effective_on.isoformat(), "kind": done.get_kind_display()})
            else:
                messages.success(request, _("区划调整已生效（%(date)s）：%(kind)s。") % {
                    "date": done.effective_on.isoformat(), "kind": done.get_kind_display()})
            return redirect("frontend:org_redivisions")
    return _page(request, status=400, **page)


def _chosen_township(data):
    """The township a village re-division is about (step one), or None."""
    form = VillageTownshipForm(data if "village-township" in data else None)
    return form.cleaned_data["township"] if form.is_valid() else None


@member_required
def redivisions(request, me: Actor):
    """The history and the forms. GET steps: split-source shows a township split's second step; village-township
    shows the village forms of that township, and vsplit-source a village split's second step."""
    _admin(me)
    page: dict = {}
    if "split-source" in request.GET:
        source_form = page["split_source"] = SplitSourceForm(request.GET)
        if source_form.is_valid():
            page["split"] = SplitForm(**source_form.cleaned_data)
    township = _chosen_township(request.GET)
    if township is not None and "vsplit-source" in request.GET:
        vsource = page["vsplit_source"] = VillageSplitSourceForm(request.GET, township=township)
        if vsource.is_valid():
            page["vsplit"] = VillageSplitForm(**vsource.cleaned_data)
    return _page(request, township=township, **page)


def _post_only(request, me: Actor):
    _admin(me)
    return None if request.method == "POST" else redirect("frontend:org_redivisions")


@member_required
def redivision_merge(request, me: Actor):
    if refused := _post_only(request, me):
        return refused
    form = MergeForm(request.POST)
    return _submit(request, form, lambda f: redivide(township_merge, actor=me, **_merged(f)), merge=form)


def _merged(form) -> dict:
    data = form.cleaned_data
    return {"sources": list(data["sources"]), "into": data["into"], "effective_on": data["effective_on"],
            "note": data["note"]}


@member_required
def redivision_rename(request, me: Actor):
    if refused := _post_only(request, me):
        return refused
    form = RenameForm(request.POST)
    return _submit(request, form, lambda f: redivide(
        township_rename, actor=me, township=f.cleaned_data["township"], **_renamed(f)), rename=form)


def _renamed(form) -> dict:
    data = form.cleaned_data
    return {"name": data["name"], "kind": data["kind"] or None, "division_code": data["division_code"] or None,
            "effective_on": data["effective_on"], "note": data["note"]}


def _split(form) -> dict:
    return {"source": form.source, "parts": form.parts(), "effective_on": form.cleaned_data["effective_on"],
            "note": form.cleaned_data["note"]}


@member_required
def redivision_split(request, me: Actor):
    if refused := _post_only(request, me):
        return refused
    source_form = SplitSourceForm(request.POST)
    if not source_form.is_valid():
        return _page(request, split_source=source_form, status=400)
    form = SplitForm(request.POST, **source_form.cleaned_data)
    return _submit(request, form, lambda f: redivide(township_split, actor=me, **_split(f)),
                   split_source=source_form, split=form)


def _village_post(view):
    """A village re-division's POST: the administrator's, about the township chosen in step one; the view is
    called as view(request, actor, township)."""

    @member_required
    @wraps(view)
    def wrapper(request, me: Actor):
        if refused := _post_only(request, me):
            return refused
        if (township := _chosen_township(request.POST)) is None:
            return _page(request, status=400)
        return view(request, me, township)

    return wrapper


@_village_post
def village_redivision_merge(request, me: Actor, township):
    form = VillageMergeForm(request.POST, township=township)
    return _submit(request, form, lambda f: redivide(village_merge, actor=me, **_merged(f)), township=township,
                   vmerge=form)


@_village_post
def village_redivision_rename(request, me: Actor, township):
    form = VillageRenameForm(request.POST, township=township)
    return _submit(request, form, lambda f: redivide(
        village_rename, actor=me, village=f.cleaned_data["village"], **_renamed(f)),
                   township=township, vrename=form)


@_village_post
def village_redivision_split(request, me: Actor, township):
    source_form = VillageSplitSourceForm(request.POST, township=township)
    if not source_form.is_valid():
        return _page(request, township=township, vsplit_source=source_form, status=400)
    form = VillageSplitForm(request.POST, **source_form.cleaned_data)
    return _submit(request, form, lambda f: redivide(village_split, actor=me, **_split(f)),
                   township=township, vsplit_source=source_form, vsplit=form)


@require_POST
@member_required
def scheduled_redivision_cancel(request, me: Actor, pk: int):
    """Withdraw a re-division registered in advance (while it is 待生效)."""
    row = scheduled_redivision_for(me, pk)
    try:
        scheduled_cancel(actor=me, scheduled=row)
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
    else:
        messages.success(request, _("已撤销 %(date)s 起的区划调整：%(summary)s。") % {
            "date": row.effective_on.isoformat(), "summary": row.summary})
    return redirect("frontend:org_redivisions")
