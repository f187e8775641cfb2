"""Townships and villages: list, detail, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from access.scope import Actor
from casework.selectors import opinions_by_village, reads_cases
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page, xlsx_download
from organisation.models import RedivisionLink, RedivisionVillageLink, Township, Village
from organisation.selectors import fundings_visible_to, venues_visible_to
from organisation.services.places import township_save, village_save
from people.actors import actor_of

from .forms import TownshipForm, VillageForm

TOWNSHIP_HEADERS = ["名称", "类型", "区划代码", "村（社区）数", "站点数", "设立日期", "撤销日期"]


def _townships(request):
    qs = Township.objects.annotate(
        village_count=Count("villages", filter=Q(villages__ended_on__isnull=True), distinct=True),
        venue_count=Count("venues", distinct=True),
    ).order_by("division_code", "name")
    if request.GET.get("ended") != "1":
        qs = qs.current()
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(division_code__startswith=q))
    if (kind := request.GET.get("kind")) in Township.Kind.values:
        qs = qs.filter(kind=kind)
    return qs


@member_required
def township_list(request, me: Actor):
    qs = _townships(request)
    if request.GET.get("export") == "xlsx":
        rows = ([t.name, t.get_kind_display(), t.division_code, t.village_count, t.venue_count, t.started_on,
                 t.ended_on] for t in qs)
        return xlsx_download(TOWNSHIP_HEADERS, rows, filename="townships.xlsx", title=_("乡镇（街道）"))
    page, query = paginate(qs, request), query_without_page(request)
    return render(request, "frontend/organisation/township_list.html", {
        "page": page, "query": query, "kinds": Township.Kind.choices, "can_create": me.is_admin,
    })


@member_required
def township_detail(request, me: Actor, pk: int):
    township = get_object_or_404(Township, pk=pk)
    villages_qs = Village.objects.filter(township=township).order_by("ended_on", "division_code", "name")
    show_ended = township.ended_on is not None or request.GET.get("ended") == "1"
    villages = list(villages_qs if show_ended else villages_qs.current())
    # Each village's opinions, its predecessors' (撤并村) counted with it, for those who read cases.
    opinions = opinions_by_village(me, [v.pk for v in villages]) if reads_cases(me) else {}
    for village in villages:
        village.opinion_count = opinions.get(village.pk)  # type: ignore[attr-defined]
    venues = (venues_visible_to(me).filter(township=township)
              .annotate(stationed_count=Count("stationings", filter=Q(stationings__ended_on__isnull=True))))
    links = RedivisionLink.objects.filter(Q(predecessor=township) | Q(successor=township)).select_related(
        "redivision", "predecessor", "successor").order_by("redivision__effective_on")
    village_links = RedivisionVillageLink.objects.filter(
        Q(predecessor__township=township) | Q(successor__township=township)).select_related(
        "redivision", "predecessor", "successor").order_by("redivision__effective_on", "pk")
    can_edit = me.can_manage_township(township.pk) and township.ended_on is None
    return render(request, "frontend/organisation/township_detail.html", {
        "township": township, "villages": villages, "venues": venues, "can_edit": can_edit,
        "show_ended": show_ended, "village_links": village_links,
        "fundings": fundings_visible_to(me).filter(township=township),
        "came_from": [link for link in links if link.successor_id == township.pk],
        "went_to": [link for link in links if link.predecessor_id == township.pk],
    })


def _save_township(request, township: Township | None):
    me = actor_of(request)
    form = TownshipForm(request.POST if request.method == "POST" else None, instance=township)
    if request.method == "POST" and form.is_valid():
        try:
            township = township_save(actor=me, township=township, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已保存：%(name)s") % {"name": township.name})
            return redirect("frontend:org_township_detail", pk=township.pk)
    return render(request, "frontend/organisation/township_form.html", {"form": form, "township": township})


@member_required
def township_create(request, me: Actor):
    if not me.is_admin:
        raise PermissionDenied
    return _save_township(request, None)


@member_required
def township_edit(request, me: Actor, pk: int):
    township = get_object_or_404(Township.objects.current(), pk=pk)
    if not me.can_manage_township(township.pk):
        raise PermissionDenied
    return _save_township(request, township)


def _save_village(request, village: Village | None):
    me = actor_of(request)
    extra = {"initial": {"township": request.GET.get("township")}} if village is None else {}
    form = VillageForm(request.POST if request.method == "POST" else None, actor=me, instance=village, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            village = village_save(actor=me, village=village, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已保存：%(name)s") % {"name": village.name})
            return redirect("frontend:org_township_detail", pk=village.township_id)
    return render(request, "frontend/organisation/village_form.html", {"form": form, "village": village})


@member_required
def village_create(request, me: Actor):
    if not (me.is_admin or me.township_ids):
        raise PermissionDenied
    return _save_village(request, None)


@member_required
def village_edit(request, me: Actor, pk: int):
    village = get_object_or_404(Village.objects.current().select_related("township"), pk=pk)
    if not me.can_manage_township(village.township_id):  # as village_save will
        raise PermissionDenied
    return _save_village(request, village)
