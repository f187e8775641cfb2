"""What the public pages share: the county-host guard and the public cards of deputies."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from frontend.views.people.common import decorate
from frontend.views.people.directory import public_directory
from people.models import Deputy
from people.selectors import with_region_levels


def county_host(request) -> None:
    """Public pages belong to a county: the platform host has none."""
    if request.tenant.is_public:
        raise Http404


def public_cards(qs: QuerySet[Deputy]) -> list[Deputy]:
    """Deputies of the public directory among `qs`, decorated for the public card (people/_card.html)."""
    deputies = list(with_region_levels(public_directory().filter(pk__in=qs.values("pk"))))
    for deputy in deputies:
        decorate(deputy)
    return deputies


def stationed_at(venue_id: int) -> list[Deputy]:
    return public_cards(Deputy.objects.filter(stationings__venue_id=venue_id, stationings__ended_on__isnull=True))
