"""What the people pages share: the member check, form errors, pages, .xlsx, masking, the filter form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, QuerySet, Value, Window
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor
from core.files import mask_mobile
from core.levels import Level, MandateStatus
from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx
from organisation.models import Venue
from organisation.selectors import townships_current, venues_visible_to
from people.actors import actor_of
from people.models import Deputy
from people.selectors import (
    deputies_filtered,
    deputies_visible_to,
    with_managed_flag,
    with_region_levels,
)

PAGE_SIZE = 50
LEVEL_ORDER = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP]
LEVEL_LABELS = dict(Level.choices)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def member_required(view):
    """A logged-in member of this county; the view receives the Actor."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.tenant.is_public:
            raise Http404
        actor = actor_of(request)
        if not actor.is_member:
            raise PermissionDenied
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


def query_without_page(request) -> str:
    """The current filters, for pagination and export links."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()


def xlsx_response(headers, rows, *, filename: str, title: str) -> HttpResponse:
    response = HttpResponse(rows_to_xlsx(headers, rows, title=title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response




def serving_levels(deputy: Deputy) -> list[tuple[str, str]]:
    found = {m.level for m in deputy.mandates.all() if m.status == MandateStatus.SERVING}
    found |= set(getattr(deputy, "region_levels", None) or [])
    return [(level.value, str(LEVEL_LABELS[level])) for level in LEVEL_ORDER if level in found]


def decorate(deputy: Deputy) -> Deputy:
    """What the templates show of each row, computed from what the queries already fetched."""
    deputy.levels = serving_levels(deputy)
    deputy.stations = [s.venue for s in getattr(deputy, "current_stationings", [])]
    deputy.masked_mobile = mask_mobile(deputy.account.mobile)
    return deputy


class DeputyFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("姓名或手机号码"), required=False, max_length=50)
    level = forms.ChoiceField(label=gettext_lazy("层级"), required=False)
    township = forms.TypedChoiceField(label=gettext_lazy("乡镇"), required=False, coerce=int, empty_value=None)
    venue = forms.TypedChoiceField(label=gettext_lazy("站点"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=gettext_lazy("职务状态"), required=False)

    def __init__(self, *args, actor: Actor | None = None, with_status: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("全部层级")), *Level.choices]
        self.fields["status"].choices = [("", _("全部状态")), *MandateStatus.choices]
        # Townships and venues to choose from, in one query (a UNION): the list page stays within budget.
        venues = venues_visible_to(actor) if actor is not None else Venue.objects.all()
        townships = townships_current().order_by().annotate(
            kind_=Value("t"), sort_=F("division_code")).values_list("kind_", "pk", "name", "sort_")
        venues = venues.exclude(status=Venue.Status.CLOSED).order_by().annotate(
            kind_=Value("v"), sort_=F("name")).values_list("kind_", "pk", "name", "sort_")
        options = sorted(townships.union(venues, all=True), key=lambda row: (row[0], row[3], row[2]))
        self.fields["township"].choices = [("", _("全部乡镇")), *((pk, n) for k, pk, n, _s in options if k == "t")]
        self.fields["venue"].choices = [("", _("全部站点")), *((pk, n) for k, pk, n, _s in options if k == "v")]
        if not with_status:
            del self.fields["status"]
        if actor is None:
            self.fields["q"].label = _("姓名")

    def filter(self, qs: QuerySet[Deputy], actor: Actor | None) -> QuerySet[Deputy]:
        """Name (and, for deputies the actor manages, mobile), level, township, venue, mandate status."""
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        return deputies_filtered(qs, actor, q=data.get("q", ""), level=data.get("level", ""),
                                 township=data.get("township"), venue=data.get("venue"),
                                 status=data.get("status", ""))


def _deputy_for(actor: Actor, pk: int) -> Deputy:
    qs = with_managed_flag(with_region_levels(deputies_visible_to(actor)), actor)
    return decorate(get_object_or_404(qs, pk=pk))


class PhotoField(forms.ImageField):
    """Pillow reads the upload here; people.services checks its type and size (JPEG, PNG, WEBP; 5 MB)."""


def _changed(form: forms.Form) -> dict:
    fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
    if fields.get("photo") is False:  # "clear" ticked
        fields["photo"] = ""
    return fields
