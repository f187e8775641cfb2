"""What the people pages share: the deputy row as shown, the filter form, the photo field (the guard,
pager and .xlsx download are frontend.pages')."""

from __future__ import annotations

from django import forms
from django.db.models import F, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor
from core.files import mask_mobile
from core.levels import Level, MandateStatus
from organisation.models import Venue
from organisation.selectors import townships_current, venues_visible_to
from people.models import Deputy
from people.selectors import (
    deputies_filtered,
    deputies_visible_to,
    with_managed_flag,
    with_region_levels,
)

LEVEL_ORDER = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP]
LEVEL_LABELS = dict(Level.choices)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
