"""网上联络站 at `/` for visitors, and a page per station with its QR code."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from casework.publication import published_answers
from duties.selectors.records import activities_published
from frontend.pages import stored_file
from frontend.views.reception.stations import qr_svg
from organisation.models import VenuePhoto
from organisation.selectors import venues_public
from reception.selectors import public_calendar

from .common import county_host, stationed_at


def online_station(request):
    """The county's front page for visitors: one tap to the form, then tracking, reception days, stations,
    the directory and the published answers."""
    county_host(request)
    return render(request, "frontend/public/home.html", {
        "sessions": list(public_calendar(days=31)[:6]), "venues": list(venues_public()[:12]),
        "venue_count": venues_public().count(), "answers": published_answers(limit=3)})


def station_list(request):
    county_host(request)
    return render(request, "frontend/public/station_list.html", {"venues": list(venues_public())})


def station_page(request, pk: int):
    """A station's page: where and when, its photos, its stationed deputies' public cards, its coming
    reception days, the activities it chose to publish, and a QR code to share the page."""
    county_host(request)
    venue = get_object_or_404(venues_public(), pk=pk)
    url = request.build_absolute_uri(reverse("frontend:public_station", args=[venue.pk]))
    return render(request, "frontend/public/station.html", {
        "venue": venue, "photos": list(venue.photos.all()[:6]), "deputies": stationed_at(venue.pk),
        "sessions": list(public_calendar().filter(venue=venue)[:8]),
        "activities": list(activities_published(venue.pk)), "page_url": url, "qr": qr_svg(url)})


def station_photo(request, pk: int, photo_pk: int):
    """A photo of an open station: public, as the station itself is."""
    county_host(request)
    photo = get_object_or_404(VenuePhoto, pk=photo_pk, venue_id=pk, venue__in=venues_public())
    return stored_file(photo.image, cache_control="public, max-age=3600")
