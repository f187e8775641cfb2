"""接待日安排 for the public: a month of reception days of every open station, as a calendar and a list, no
login needed."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from frontend.month import month_grid, month_of
from reception.selectors import public_calendar, public_sessions_between

WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


def public_calendar_page(request):
    if request.tenant.is_public:
        raise Http404
    """The month asked for (`?month=YYYY-MM`) as a calendar and a list; without one, this month's calendar
    and the coming two months' list."""
    first = month_of(request.GET.get("month"))
    end = month_grid(first, []).end
    in_month = list(public_sessions_between(first, end)[:500])
    listed = in_month if request.GET.get("month") else list(public_calendar()[:500])
    return render(request, "frontend/reception/public_calendar.html", {
        "sessions": listed, "month": month_grid(first, in_month), "weekdays": WEEKDAYS, "item_url": "public",
        "month_query": "", "listing_month": bool(request.GET.get("month"))})
