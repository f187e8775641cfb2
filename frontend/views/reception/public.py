"""接待日安排 for the public: the coming reception days of every open station, no login needed."""

from django.http import Http404
from django.shortcuts import render

from reception.selectors import public_calendar


def public_calendar_page(request):
    if request.tenant.is_public:
        raise Http404
    return render(request, "frontend/reception/public_calendar.html", {"sessions": list(public_calendar()[:500])})
