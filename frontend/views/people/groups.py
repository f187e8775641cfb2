"""The venues' deputy groups (代表小组): the list and its export, a group's members and their roles."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page, xlsx_download
from organisation.models import Venue
from organisation.selectors import townships_current, venues_visible_to
from people.models import Deputy, GroupMember
from people.selectors import (
    deputies_visible_to,
)
from people.services.deputies import (
    group_member_set,
)

ROLE_ORDER = {role: index for index, role in enumerate(GroupMember.Role.values)}


def _venues_with_groups(actor: Actor) -> QuerySet[Venue]:
    members = Prefetch("group__members", queryset=GroupMember.objects.select_related("deputy__account"))
    return venues_visible_to(actor).select_related("group").prefetch_related(members)


def _group_of(venue: Venue):
    try:
        group = venue.group
    except Venue.group.RelatedObjectDoesNotExist:
        return None
    group.sorted_members = sorted(group.members.all(), key=lambda m: (ROLE_ORDER[m.role], m.deputy.account.name))
    return group


@member_required
def group_list(request, actor: Actor):
    township = request.GET.get("township", "")
    qs = _venues_with_groups(actor).exclude(status=Venue.Status.CLOSED)
    if township.isdigit():
        qs = qs.filter(township_id=township)
    if request.GET.get("export") == "xlsx":
        headers = [_("站点"), _("类型"), _("乡镇"), _("小组"), _("组长"), _("副组长"), _("联络员"), _("组员人数")]
        rows = []
        for venue in qs:
            group = _group_of(venue)
            members = group.sorted_members if group else []
            names = {role: "、".join(m.deputy.account.name for m in members if m.role == role)
                     for role in GroupMember.Role.values}
            rows.append([venue.name, venue.get_kind_display(), venue.township.name if venue.township else "",
                         group.name if group else "", names["leader"], names["vice_leader"],
                         names["liaison_officer"], len(members)])
        return xlsx_download(headers, rows, filename="deputy-groups.xlsx", title=_("代表小组"))
    page = paginate(qs, request)
    for venue in page.rows:
        venue.deputy_group = _group_of(venue)
    townships = list(townships_current().values_list("pk", "name"))
    return render(request, "frontend/people/group_list.html", {
        "page": page, "query": query_without_page(request), "townships": townships, "township": township})


class GroupMemberForm(forms.Form):
    deputy = forms.ModelChoiceField(label=gettext_lazy("代表"), queryset=Deputy.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("小组职务"), choices=GroupMember.Role.choices)

    def __init__(self, *args, venue: Venue, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["deputy"]
        field.queryset = deputies_visible_to(actor).filter(
            stationings__venue=venue, stationings__ended_on__isnull=True).prefetch_related(None)
        field.label_from_instance = lambda deputy: deputy.account.name


@member_required
def group_detail(request, actor: Actor, venue_id: int):
    venue = get_object_or_404(_venues_with_groups(actor), pk=venue_id)
    can_manage = actor.can_manage_venue(venue.pk, venue.township_id)
    form = GroupMemberForm(request.POST or None, venue=venue, actor=actor)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                member = group_member_set(actor=actor, venue=venue, **form.cleaned_data)
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("已将%(name)s设为%(role)s。") % {
                    "name": member.deputy.account.name, "role": member.get_role_display()})
                return redirect("frontend:group_detail", venue_id=venue.pk)
    stationed = [s.deputy for s in venue.stationings.filter(ended_on__isnull=True)
                 .select_related("deputy__account").order_by("deputy__account__name")]
    return render(request, "frontend/people/group_detail.html", {
        "venue": venue, "group": _group_of(venue), "stationed": stationed, "form": form,
        "can_manage": can_manage}, status=400 if form.errors else 200)
