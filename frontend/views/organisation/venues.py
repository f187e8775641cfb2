"""Venues (homes and stations): list with search, filters and export; detail with photos, deputies
and assessments; create and edit; photo upload and serving."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page, stored_file, xlsx_download
from organisation.models import Assessment, AssessmentItem, Township, Venue, VenuePhoto
from organisation.selectors import assessments_visible_to, venues_visible_to
from organisation.services.places import venue_photo_add, venue_save
from organisation.services.standards import can_assess
from people.actors import actor_of
from people.models import GroupMember, Stationing

from .forms import PhotoForm, VenueForm

VENUE_HEADERS = ["名称", "类型", "所属乡镇", "所在村（社区）", "状态", "地址", "联系人", "联系电话", "开放时间",
                 "驻站代表数"]


def _venues(request):
    qs = venues_visible_to(actor_of(request)).annotate(
        stationed_count=Count("stationings", filter=Q(stationings__ended_on__isnull=True)))
    filters = {"q": request.GET.get("q", "").strip(), "township": request.GET.get("township", ""),
               "kind": request.GET.get("kind", ""), "status": request.GET.get("status", "")}
    if filters["q"]:
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(address__icontains=filters["q"]))
    if filters["township"] == "none":
        qs = qs.filter(township__isnull=True)
    elif filters["township"].isdigit():
        qs = qs.filter(township_id=int(filters["township"]))
    if filters["kind"] in Venue.Kind.values:
        qs = qs.filter(kind=filters["kind"])
    if filters["status"] in Venue.Status.values:
        qs = qs.filter(status=filters["status"])
    return qs, filters


@member_required
def venue_list(request, me: Actor):
    qs, filters = _venues(request)
    if request.GET.get("export") == "xlsx":
        rows = ([v.name, v.get_kind_display(), v.township.name if v.township else "",
                 v.village.name if v.village else "", v.get_status_display(), v.address, v.contact_name,
                 v.contact_phone, v.opening_hours, v.stationed_count] for v in qs)
        return xlsx_download(VENUE_HEADERS, rows, filename="venues.xlsx", title=_("代表之家（联络站）"))
    page, query = paginate(qs, request), query_without_page(request)
    return render(request, "frontend/organisation/venue_list.html", {
        "page": page, "query": query, "filters": filters, "kinds": Venue.Kind.choices,
        "statuses": Venue.Status.choices, "townships": Township.objects.current().order_by("division_code", "name"),
        "can_create": me.is_admin or bool(me.township_ids),
    })


def _venue_for_page(request, pk: int) -> Venue:
    qs = venues_visible_to(actor_of(request)).select_related("group").prefetch_related(
        "photos",
        Prefetch("stationings", queryset=Stationing.objects.filter(ended_on__isnull=True)
                 .select_related("deputy__account").order_by("deputy__account__name"), to_attr="current_stationings"),
        Prefetch("group__members", queryset=GroupMember.objects.select_related("deputy__account").order_by("role")),
    )
    return get_object_or_404(qs, pk=pk)


ROLE_RANK = {GroupMember.Role.LEADER: 0, GroupMember.Role.VICE_LEADER: 1, GroupMember.Role.LIAISON_OFFICER: 2}


def _officers(group) -> list[GroupMember]:
    """The group's leader, vice leaders and liaison officers, in that order."""
    if group is None:
        return []
    return sorted((m for m in group.members.all() if m.role in ROLE_RANK),
                  key=lambda m: (ROLE_RANK[m.role], m.deputy.account.name))


def _detail(request, venue: Venue, photo_form: PhotoForm | None = None, status: int = 200):
    me = actor_of(request)
    can_manage = me.can_manage_venue(venue.pk, venue.township_id)
    group = getattr(venue, "group", None)  # a venue without a group raises, which getattr absorbs
    latest = Assessment.objects.filter(venue=venue).order_by("-assessed_on", "-id").only("stars", "assessed_on").first()
    assessments = assessments_visible_to(me).filter(venue=venue).prefetch_related(
        Prefetch("items", queryset=AssessmentItem.objects.select_related("item").order_by("item__order", "item_id")))
    return render(request, "frontend/organisation/venue_detail.html", {
        "venue": venue, "group": group, "officers": _officers(group),
        "member_count": len(group.members.all()) if group else 0,
        "latest": latest, "assessments": assessments if can_manage else [], "can_manage": can_manage,
        "can_assess": can_assess(me, venue),
        "photo_form": photo_form or (PhotoForm() if can_manage else None),
    }, status=status)


@member_required
def venue_detail(request, me: Actor, pk: int):
    return _detail(request, _venue_for_page(request, pk))


def _save_venue(request, venue: Venue | None):
    me = actor_of(request)
    # The form fills its own copy: the service compares the saved venue with the new fields.
    instance = Venue.objects.select_related("township", "village").get(pk=venue.pk) if venue else Venue()
    form = VenueForm(request.POST if request.method == "POST" else None, instance=instance, actor=me)
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if not form.fields[name].disabled}
        try:
            venue = venue_save(actor=me, venue=venue, **fields)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已保存：%(name)s") % {"name": venue.name})
            return redirect("frontend:org_venue_detail", pk=venue.pk)
    return render(request, "frontend/organisation/venue_form.html", {"form": form, "venue": venue})


@member_required
def venue_create(request, me: Actor):
    if not (me.is_admin or me.township_ids):
        raise PermissionDenied
    return _save_venue(request, None)


@member_required
def venue_edit(request, me: Actor, pk: int):
    venue = get_object_or_404(venues_visible_to(me), pk=pk)
    if not me.can_manage_venue(venue.pk, venue.township_id):
        raise PermissionDenied
    return _save_venue(request, venue)


@member_required
def venue_photo_upload(request, me: Actor, pk: int):
    if request.method != "POST":
        return redirect("frontend:org_venue_detail", pk=pk)
    venue = _venue_for_page(request, pk)
    if not me.can_manage_venue(venue.pk, venue.township_id):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            venue_photo_add(actor=me, venue=venue, upload=form.cleaned_data["image"],
                            caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("照片已上传。"))
            return redirect("frontend:org_venue_detail", pk=venue.pk)
    return _detail(request, venue, photo_form=form, status=400)


@member_required
def venue_photo(request, me: Actor, pk: int, photo_pk: int):
    """A venue's photo, served by the application: only to members of this county."""
    photo = get_object_or_404(VenuePhoto, pk=photo_pk, venue_id=pk, venue__in=venues_visible_to(me))
    return stored_file(photo.image)
