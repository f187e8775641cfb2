"""What the organisation pages share: the acting person, service errors shown on forms, pagination,
.xlsx downloads."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse

from access.scope import Actor, actor_of
from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx

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

