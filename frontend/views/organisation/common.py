"""What the organisation pages share: the acting person, service errors shown on forms, pagination,
.xlsx downloads and the reads that have no selector of their own yet."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse

from access.scope import Actor
from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx
from organisation.models import Assessment, ConstructionFunding
from organisation.selectors import venues_managed_by
from people.actors import actor_of

PAGE_SIZE = 50


def member_view(view: Callable) -> Callable:
    """A county page for its members: logged in (else to the login page), with a role here (else 404)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.tenant.is_public or not actor_of(request).is_member:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def actor(request) -> Actor:
    return actor_of(request)



def paginate(request, items) -> tuple[Page, str]:
    """A page of 50 and the query string (without `page`) for the pager's links."""
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, values in request.GET.lists() if k not in ("page", "export") for v in values])
    return page, query


def xlsx_response(headers: Sequence[str], rows: Iterable[Sequence], *, filename: str, title: str) -> HttpResponse:
    response = HttpResponse(rows_to_xlsx(headers, rows, title=title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def assessments_visible_to(actor: Actor) -> QuerySet[Assessment]:
    """Assessments, with their evidence, are read by those who manage the venue."""
    return (Assessment.objects.filter(venue__in=venues_managed_by(actor).values("pk"))
            .select_related("venue", "template").order_by("-assessed_on", "-id"))


def progress_township_ids(actor: Actor) -> frozenset[int] | None:
    """Townships whose funds and build progress the actor reads: all (None) for the county administrator,
    their own for township staff, their station's township for station staff."""
    if actor.is_admin:
        return None
    return actor.township_ids | actor.venue_township_ids


def fundings_visible_to(actor: Actor) -> QuerySet[ConstructionFunding]:
    if not actor.is_staff:
        return ConstructionFunding.objects.none()
    qs = ConstructionFunding.objects.select_related("township").order_by("-year", "township__division_code")
    scope = progress_township_ids(actor)
    return qs if scope is None else qs.filter(township_id__in=scope)


def can_assess(actor: Actor, venue) -> bool:
    """The rule of organisation.services.standards.assessment_record, to show or hide its link."""
    return actor.can_manage_township(venue.township_id) if venue.township_id else actor.is_admin
