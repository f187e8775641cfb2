"""学习培训: events (the county's, or a township's), and the attendance staff mark for the deputies they
manage. Marking present logs the deputy's study and training duty, once."""

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
from duties.models import TrainingAttendance, TrainingEvent
from duties.selectors.records import deputies_in_duty_scope
from duties.selectors.training import training_events_visible_to, with_attendance
from duties.services.training import organises_training, training_attendance_mark, training_event_create
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page
from frontend.views.people.common import DATE
from organisation.models import Township, Venue
from organisation.selectors import townships_current, venues_visible_to
from people.models import Deputy


class EventForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=TrainingEvent.Kind.choices)
    held_on = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    venue = forms.ModelChoiceField(label=gettext_lazy("站点"), queryset=Venue.objects.none(), required=False)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)
    organiser = forms.CharField(label=gettext_lazy("主办单位"), max_length=100, required=False)
    township = forms.ModelChoiceField(label=gettext_lazy("组织乡镇"), queryset=Township.objects.none(),
                                      required=False, empty_label=gettext_lazy("县人大常委会"))

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues_visible_to(actor).exclude(status=Venue.Status.CLOSED)
        townships = townships_current()
        if not actor.is_admin:
            townships = townships.filter(pk__in=actor.township_ids)
            self.fields["township"].required = True
        self.fields["township"].queryset = townships


@member_required
def event_list(request, actor: Actor):
    form = None
    if organises_training(actor):
        form = EventForm(request.POST or None, actor=actor, initial={"held_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                event = training_event_create(actor=actor, **form.cleaned_data)
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("已新增：%(title)s") % {"title": event.title})
                return redirect("frontend:training_detail", pk=event.pk)
    elif request.method == "POST":
        raise PermissionDenied
    page = paginate(training_events_visible_to(actor), request)
    return render(request, "frontend/duties/training_list.html", {
        "page": page, "query": query_without_page(request), "form": form},
        status=400 if form is not None and form.errors else 200)


@member_required
def event_detail(request, actor: Actor, pk: int):
    event = get_object_or_404(with_attendance(training_events_visible_to(actor), actor), pk=pk)
    marks = {a.deputy_id: a for a in event.visible_attendances}
    deputies = []
    if actor.is_staff:
        for deputy in (deputies_in_duty_scope(actor).prefetch_related(None).select_related("account")
                       .order_by("account__name")):
            deputy.mark = marks.get(deputy.pk)
            deputies.append(deputy)
    return render(request, "frontend/duties/training_detail.html", {
        "event": event, "deputies": deputies, "statuses": TrainingAttendance.Status.choices,
        "attendances": event.visible_attendances})


@member_required
@require_POST
def attendance_mark(request, actor: Actor, pk: int):
    event = get_object_or_404(training_events_visible_to(actor), pk=pk)
    deputy = get_object_or_404(Deputy.objects.select_related("account"), pk=request.POST.get("deputy") or 0)
    try:
        training_attendance_mark(actor=actor, event=event, deputy=deputy, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已登记%(name)s的出勤。") % {"name": deputy.account.name})
    return redirect("frontend:training_detail", pk=pk)
