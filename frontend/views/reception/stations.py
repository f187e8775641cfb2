"""A station's reception rule, its yearly calendar (published in advance) and its sign-in QR code."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required
from organisation.selectors import venues_managed_by
from reception.models import ReceptionSession
from reception.services.schedule import (
    SCHEDULE_FIELDS,
    schedule_for,
    schedule_update,
    sessions_publish,
    sign_in_code_rotate,
)

from .forms import PublishForm, ScheduleForm


def sign_in_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("frontend:reception_sign_in", args=[token]))


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=6, dark="#1f2937")


@member_required
def station_schedule(request, actor: Actor, venue_id: int):
    venue = get_object_or_404(venues_managed_by(actor), pk=venue_id)
    schedule = schedule_for(venue)
    form, publish = ScheduleForm(instance=schedule), PublishForm(initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and "rotate" in request.POST:
        sign_in_code_rotate(actor=actor, venue=venue)
        messages.success(request, _("已更换签到码，请打印张贴新的签到码，旧码即时失效。"))
        return redirect("frontend:reception_station", venue_id=venue.pk)
    if request.method == "POST" and "publish" in request.POST:
        publish = PublishForm(request.POST)
        if publish.is_valid():
            try:
                added = sessions_publish(actor=actor, venue=venue, year=publish.cleaned_data["year"])
            except ValidationError as exc:
                errors_onto(publish, exc)
            else:
                messages.success(request, _("已发布%(y)d年接待日安排，新增 %(n)d 个接待日。") % {
                    "y": publish.cleaned_data["year"], "n": added})
                return redirect("frontend:reception_station", venue_id=venue.pk)
    elif request.method == "POST":
        form = ScheduleForm(request.POST, instance=schedule_for(venue))
        if form.is_valid():
            try:
                schedule_update(actor=actor, venue=venue, **{k: form.cleaned_data[k] for k in SCHEDULE_FIELDS})
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, _("已保存接待日规则。"))
                return redirect("frontend:reception_station", venue_id=venue.pk)
    year = timezone.localdate().year
    sessions = ReceptionSession.objects.filter(venue=venue, date__year__in=[year, year + 1]).order_by("date")
    url = sign_in_url(request, schedule.sign_in_token)
    return render(request, "frontend/reception/station.html", {
        "venue": venue, "form": form, "publish_form": publish, "sessions": sessions, "sign_in_url": url,
        "qr": qr_svg(url), "print": request.GET.get("print") == "1"})

