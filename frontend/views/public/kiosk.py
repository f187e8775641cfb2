"""A station's touch screen (触摸屏): its page in large type, the opinion form, tracking and today's deputies
on duty. Nothing is kept: no session is opened, the pages are never cached, the browser forgets the forms,
and after `KIOSK_IDLE_SECONDS` without a touch (frontend/js/kiosk.js) the screen returns to its start.
`?idle=N` sets the timeout for one screen (5 to 600 seconds). A screen the station's staff register
(`register/`, casework.services.kiosks) keeps a signed token in a cookie and counts against the station's
allowance instead of the lobby's one address; registering signs the staff member out again."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from casework import privacy
from casework.selectors import opinion_by_code
from casework.services.kiosks import KIOSK_TOKEN_DAYS, kiosk_register, kiosk_station, may_register_kiosk
from frontend.pages import member_required
from frontend.views.casework.public import submit_online
from organisation.selectors import venues_public
from people.models import Deputy
from reception.selectors import on_duty_today, public_calendar

from .common import county_host, public_cards, stationed_at

IDLE_RANGE = (5, 600)
KIOSK_COOKIE = "jz_kiosk"


def _kiosk(request, pk: int) -> dict:
    county_host(request)
    venue = get_object_or_404(venues_public(), pk=pk)
    idle = settings.KIOSK_IDLE_SECONDS
    raw = request.GET.get("idle", "")
    if raw.isdigit():
        idle = min(max(int(raw), IDLE_RANGE[0]), IDLE_RANGE[1])
    query = f"?{urlencode({'idle': idle})}" if raw.isdigit() else ""
    registered = kiosk_station(request.COOKIES.get(KIOSK_COOKIE)) == venue.pk
    return {"venue": venue, "idle": idle, "query": query, "registered": registered,
            "home_url": reverse("frontend:kiosk", args=[venue.pk]) + query}


@never_cache
def kiosk_home(request, pk: int):
    context = _kiosk(request, pk)
    venue = context["venue"]
    context.update(on_duty=public_cards(Deputy.objects.filter(pk__in=on_duty_today(venue.pk))),
                   deputies=stationed_at(venue.pk), sessions=list(public_calendar().filter(venue=venue)[:4]))
    return render(request, "frontend/public/kiosk_home.html", context)


@never_cache
def kiosk_opinion(request, pk: int):
    context = _kiosk(request, pk)
    venue = context["venue"]
    form, opinion, notice, status = submit_online(request, venue=venue,
                                                  kiosk_venue=venue.pk if context["registered"] else None)
    context.update(form=form, opinion=opinion, notice=notice, notice_title=privacy.NOTICE_TITLE,
                   notice_paragraphs=privacy.NOTICE_PARAGRAPHS)
    return render(request, "frontend/public/kiosk_opinion.html", context, status=status)


@never_cache
def kiosk_track(request, pk: int):
    context = _kiosk(request, pk)
    code = (request.GET.get("code") or "").strip()
    opinion = opinion_by_code(code) if code else None
    context.update(code=code, opinion=opinion, case=opinion.case if opinion else None,
                   not_found=bool(code) and opinion is None)
    return render(request, "frontend/public/kiosk_track.html", context)


@never_cache
@member_required
def kiosk_register_page(request, actor, pk: int):
    """Station staff, signed in on the screen itself, register it: the token goes into the screen's cookie and
    they are signed out, so the screen holds the station's allowance and no one's session."""
    venue = get_object_or_404(venues_public(), pk=pk)
    if not may_register_kiosk(actor, venue):
        raise PermissionDenied
    if request.method == "POST":
        token = kiosk_register(actor=actor, venue=venue)
        logout(request)
        messages.success(request, _("本设备已登记为“%(name)s”的自助终端。") % {"name": venue.name})
        response = redirect("frontend:kiosk", pk=venue.pk)
        response.set_cookie(KIOSK_COOKIE, token, max_age=KIOSK_TOKEN_DAYS * 86400, httponly=True, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE)
        return response
    return render(request, "frontend/public/kiosk_register.html", {"venue": venue})
