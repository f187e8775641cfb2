"""What every county page shares: the member guard, one pager and the .xlsx download.

The guard answers as the API does: not logged in → the login page; the platform host, or no role in
this county → 404 (missing and forbidden look the same). What a member's role may do is the view's
(or the service's) question, and a refusal there is a 403.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet, Window
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone

from core.xlsx import rows_to_xlsx, xlsx_attachment
from people.actors import actor_of

PAGE_SIZE = 50


def member_required(view: Callable) -> Callable:
    """A page for this county's members; the view is called as view(request, actor, *args, **kwargs)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.tenant.is_public:
            raise Http404
        actor = actor_of(request)
        if not actor.is_member:
            raise Http404
        return view(request, actor, *args, **kwargs)

    return wrapper


@dataclass
class Page:
    """One page of a list, counted in the same query as its rows (a window count), so a list page
    costs one query for its rows whatever their number."""

    rows: list
    number: int
    total: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def end(self) -> int:
        return self.start + len(self.rows) - 1 if self.rows else 0


def paginate(qs: QuerySet, request) -> Page:
    """The page `?page=` asks for (a bad number is the first page; past the end, an empty page that
    still knows the total)."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    rows = list(qs.annotate(_total=Window(Count("pk")))[start:start + PAGE_SIZE])
    if rows:
        total = rows[0]._total
    else:
        total = qs.count() if number > 1 else 0
    return Page(rows=rows, number=number, total=total)


def year_asked(request) -> int:
    """?year= of a yearly report or export: this year (in Asia/Shanghai) when absent or not 2000-2100."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return this_year
    return year if 2000 <= year <= 2100 else this_year


def query_without_page(request) -> str:
    """The current filters, for pagination and export links."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()


def stored_file(field, *, cache_control: str = "private, max-age=3600") -> FileResponse:
    """An uploaded file (a photo) served by the application, after the view has decided who may read it; a
    file gone from the storage is a 404."""
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(field.name)[0] or "application/octet-stream")
    response["Cache-Control"] = cache_control
    return response


def xlsx_download(headers: Sequence[str], rows: Iterable[Sequence], *, filename: str, title: str) -> HttpResponse:
    """A list as a one-sheet workbook (core.xlsx), sent as an attachment."""
    return xlsx_attachment(rows_to_xlsx(headers, rows, title=title), filename=filename)
