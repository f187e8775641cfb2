"""Station standards (六有, 九有, ...): every member reads them, the county administrator edits them;
assessing a venue against one (a checkbox and evidence per item; score and stars are computed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required
from organisation.models import StandardItem, StandardTemplate
from organisation.selectors import venues_visible_to
from organisation.services.standards import (
    ITEM_FIELDS,
    assessment_record,
    can_assess,
    standard_template_save,
)
from people.actors import actor_of

from .forms import AssessmentForm, StandardItemFormSet, StandardTemplateForm


def _templates():
    return StandardTemplate.objects.prefetch_related(
        Prefetch("items", queryset=StandardItem.objects.order_by("order", "id"))).order_by("-is_active", "name")


@member_required
def standard_list(request, me: Actor):
    return render(request, "frontend/organisation/standard_list.html",
                  {"templates": _templates(), "can_edit": me.is_admin})


def _edit(request, template: StandardTemplate | None):
    me = actor_of(request)
    if not me.is_admin:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = StandardTemplateForm(data, instance=template or StandardTemplate())
    items = StandardItemFormSet(data, instance=template or StandardTemplate(), prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        removed = [f.instance for f in items.deleted_forms if f.instance.pk]
        rows = [(f.instance if f.instance.pk else None, {name: f.cleaned_data[name] for name in ITEM_FIELDS})
                for f in items.forms if f not in items.deleted_forms and f.has_changed()]
        try:
            template = standard_template_save(actor=me, template=template, removed=removed, items=rows,
                                              **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已保存：%(name)s") % {"name": template.name})
            return redirect("frontend:org_standard_list")
    return render(request, "frontend/organisation/standard_form.html",
                  {"form": form, "items": items, "template": template})


@member_required
def standard_create(request, me: Actor):
    return _edit(request, None)


@member_required
def standard_edit(request, me: Actor, pk: int):
    return _edit(request, get_object_or_404(StandardTemplate, pk=pk))


@member_required
def assessment_create(request, me: Actor, pk: int):
    """Record an assessment of a venue: choose the standard (?template=), tick what is met, give evidence."""
    venue = get_object_or_404(venues_visible_to(me), pk=pk)
    if not can_assess(me, venue):
        raise PermissionDenied
    templates = list(_templates().filter(is_active=True))
    chosen = request.POST.get("template") or request.GET.get("template")
    template = next((t for t in templates if str(t.pk) == chosen), templates[0] if templates else None)
    form = None
    if template is not None:
        form = AssessmentForm(request.POST if request.method == "POST" else None, template=template)
        if request.method == "POST" and form.is_valid():
            try:
                assessment = assessment_record(actor=me, venue=venue, template=template,
                                               assessed_on=form.cleaned_data["assessed_on"],
                                               results=form.results(), note=form.cleaned_data["note"])
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, _("已记录评定：%(score)d/%(max)d分，%(stars)d星。") % {
                    "score": assessment.score, "max": assessment.max_score, "stars": assessment.stars})
                return redirect("frontend:org_venue_detail", pk=venue.pk)
    return render(request, "frontend/organisation/assessment_form.html",
                  {"venue": venue, "templates": templates, "template": template, "form": form})
