"""Pages about deputies: the list and its export, a deputy's card and record, staff forms (deputy,
mandate, stationing), a deputy's own profile (我的资料), the venues' deputy groups, the public directory
and the photos.

Reads come from people.selectors (deputies_visible_to: the directory every member sees;
deputies_managed_by: full records), writes from people.services; the services decide who may write.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch, Q, QuerySet, Value, Window
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.scope import Actor, actor_of
from core.levels import Level, MandateStatus
from core.xlsx import XLSX_CONTENT_TYPE, rows_to_xlsx
from organisation.models import Township, Venue
from organisation.selectors import townships_current, venues_managed_by, venues_visible_to
from people.models import Deputy, GroupMember, Pairing
from people.selectors import (
    deputies_filtered,
    deputies_visible_to,
    deputy_list,
    with_managed_flag,
    with_region_levels,
)
from people.services.deputies import (
    deputy_create,
    deputy_update,
    group_member_set,
    mandate_add,
    stationing_add,
    stationing_end,
)
from tenants.models.validators import mobile_validator

PAGE_SIZE = 50
LEVEL_ORDER = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP]
LEVEL_LABELS = dict(Level.choices)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# ---------------------------------------------------------------- helpers shared by the people pages

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


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


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


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else "****"


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


# ---------------------------------------------------------------- the list and its filters

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


@member_required
def deputy_list_page(request, actor: Actor):
    form = DeputyFilterForm(request.GET or None, actor=actor)
    qs = form.filter(with_managed_flag(with_region_levels(deputies_visible_to(actor)), actor), actor)
    if request.GET.get("export") == "xlsx":
        return _export_deputies(qs, actor)
    page = paginate(qs, request)
    for deputy in page.rows:
        decorate(deputy)
    return render(request, "frontend/people/deputy_list.html", {
        "form": form, "page": page, "query": query_without_page(request), "actor": actor,
    })


def _export_deputies(qs: QuerySet[Deputy], actor: Actor) -> HttpResponse:
    """Every filtered row; the mobile number, ID number and birth date only of the deputies the actor
    manages, and their columns only for staff (who manage some deputies)."""
    headers = [_("姓名"), _("性别"), _("层级"), _("工作单位及职务"), _("驻站站点"), _("公开联系电话")]
    personal = actor.is_staff
    if personal:
        headers += [_("手机号码"), _("身份证号码"), _("出生日期")]

    def rows():
        for deputy in qs.iterator(chunk_size=500):
            decorate(deputy)
            row = [deputy.account.name, deputy.get_gender_display(), "、".join(label for _v, label in deputy.levels),
                   deputy.employer, "、".join(v.name for v in deputy.stations), deputy.public_phone]
            if personal:
                if deputy.is_managed:
                    row += [deputy.account.mobile, deputy.id_number, deputy.birth_date]
                else:
                    row += [deputy.masked_mobile, "", None]
            yield row

    return xlsx_response(headers, rows(), filename="deputies.xlsx", title=_("代表名册"))


# ---------------------------------------------------------------- a deputy's card and record

def _deputy_for(actor: Actor, pk: int) -> Deputy:
    qs = with_managed_flag(with_region_levels(deputies_visible_to(actor)), actor)
    return decorate(get_object_or_404(qs, pk=pk))


@member_required
def deputy_detail(request, actor: Actor, pk: int):
    deputy = _deputy_for(actor, pk)
    context = {"deputy": deputy, "actor": actor, "full": deputy.is_managed,
               "own": actor.deputy_id == deputy.pk,
               "staff_edit": actor.is_staff and deputy.is_managed,
               "can_add_mandate": _may_add_mandates(actor, deputy),
               "groups": list(deputy.group_memberships.select_related("group__venue").order_by("group__name"))}
    if deputy.is_managed:
        stationings = list(deputy.stationings.select_related("venue").order_by("ended_on", "-started_on"))
        for stationing in stationings:
            stationing.can_end = stationing.ended_on is None and actor.can_manage_venue(
                stationing.venue_id, stationing.venue.township_id)
        context.update(
            stationings=stationings,
            can_station=actor.is_staff,
            pairings=list(Pairing.objects.filter(Q(county_deputy=deputy) | Q(township_deputy=deputy),
                                                 ended_on__isnull=True)
                          .select_related("county_deputy__account", "township_deputy__account")),
        )
    return render(request, "frontend/people/deputy_detail.html", context)


def deputy_photo(request, pk: int):
    """A deputy's photo: part of the public card, so served to anyone on the county's host (for the
    deputies of the public directory; members see every deputy's, as they see every card)."""
    if request.tenant.is_public:
        raise Http404
    actor = actor_of(request)
    deputy = get_object_or_404(deputies_visible_to(actor) if actor.is_member else public_directory(), pk=pk)
    if not deputy.photo:
        raise Http404
    content_type = mimetypes.guess_type(deputy.photo.name)[0] or "application/octet-stream"
    try:
        handle = deputy.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    return response


# ---------------------------------------------------------------- staff forms

class PhotoField(forms.ImageField):
    """Pillow reads the upload here; people.services checks its type and size (JPEG, PNG, WEBP; 5 MB)."""


class DeputyForm(forms.Form):
    mobile = forms.CharField(label=gettext_lazy("手机号码"), max_length=11, validators=[mobile_validator],
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    gender = forms.ChoiceField(label=gettext_lazy("性别"), required=False,
                               choices=[("", "—"), *Deputy.Gender.choices])
    ethnicity = forms.CharField(label=gettext_lazy("民族"), max_length=20, required=False)
    birth_date = forms.DateField(label=gettext_lazy("出生日期"), required=False, widget=DATE)
    id_number = forms.CharField(label=gettext_lazy("身份证号码"), max_length=18, required=False)
    employer = forms.CharField(label=gettext_lazy("工作单位及职务"), max_length=200, required=False)
    public_phone = forms.CharField(label=gettext_lazy("公开联系电话"), max_length=30, required=False)
    bio = forms.CharField(label=gettext_lazy("简介"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photo = PhotoField(label=gettext_lazy("照片"), required=False,
                       help_text=gettext_lazy("JPEG、PNG或WEBP格式，不超过5MB。"))

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper()


class DeputyEditForm(DeputyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["mobile"]


def _changed(form: forms.Form) -> dict:
    fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
    if fields.get("photo") is False:  # "clear" ticked
        fields["photo"] = ""
    return fields


@member_required
def deputy_create_page(request, actor: Actor):
    if not actor.is_staff:
        raise PermissionDenied
    form = DeputyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("mobile", "name")}
        if not fields.get("photo"):
            fields.pop("photo")
        try:
            deputy = deputy_create(actor=actor, mobile=form.cleaned_data["mobile"], name=form.cleaned_data["name"],
                                   **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已新增代表%(name)s。") % {"name": deputy.account.name})
            return redirect("frontend:deputy_detail", pk=deputy.pk)
    return render(request, "frontend/people/deputy_form.html",
                  {"form": form, "title": _("新增代表")}, status=400 if form.errors else 200)


@member_required
def deputy_edit_page(request, actor: Actor, pk: int):
    deputy = _deputy_for(actor, pk)
    if not (actor.is_staff and deputy.is_managed):
        raise PermissionDenied
    initial = {"name": deputy.account.name, **{f: getattr(deputy, f) for f in (
        "gender", "ethnicity", "birth_date", "id_number", "employer", "public_phone", "bio", "photo")}}
    form = DeputyEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = _changed(form)
        name = fields.pop("name", None)
        try:
            deputy_update(actor=actor, deputy=deputy, name=name, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("frontend:deputy_detail", pk=deputy.pk)
    return render(request, "frontend/people/deputy_form.html",
                  {"form": form, "deputy": deputy, "title": _("编辑代表资料")}, status=400 if form.errors else 200)


def _may_add_mandates(actor: Actor, deputy: Deputy) -> bool:
    """Whether to offer the form: county mandates are the county's, township ones also their township
    staff's (people.services.deputies.mandate_add decides each one)."""
    return actor.is_admin or (actor.is_township_staff and deputy.is_managed)


class MandateForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("层级"),
                              choices=[(Level.COUNTY.value, Level.COUNTY.label),
                                       (Level.TOWNSHIP.value, Level.TOWNSHIP.label)])
    term = forms.IntegerField(label=gettext_lazy("届次"), min_value=1, max_value=99)
    township = forms.ModelChoiceField(label=gettext_lazy("所属乡镇"), required=False, queryset=Township.objects.none(),
                                      help_text=gettext_lazy("乡镇级代表须选择所属乡镇"))
    electoral_district = forms.CharField(label=gettext_lazy("选区"), max_length=100, required=False)
    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=MandateStatus.choices,
                               initial=MandateStatus.SERVING)
    started_on = forms.DateField(label=gettext_lazy("起始日期"), widget=DATE)
    ended_on = forms.DateField(label=gettext_lazy("终止日期"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_current()

    def clean(self):
        # The service checks this too, but only after deciding who may add the mandate, which for a
        # township's staff depends on the township: a missing one would read as "no permission".
        data = super().clean()
        if data.get("level") == Level.TOWNSHIP and not data.get("township"):
            self.add_error("township", _("乡镇级代表须选择所属乡镇。"))
        return data


@member_required
def mandate_add_page(request, actor: Actor, pk: int):
    deputy = _deputy_for(actor, pk)
    if not _may_add_mandates(actor, deputy):
        raise PermissionDenied
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mandate_add(actor=actor, deputy=deputy, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已添加代表职务。"))
            return redirect("frontend:deputy_detail", pk=deputy.pk)
    return render(request, "frontend/people/mandate_form.html", {"form": form, "deputy": deputy},
                  status=400 if form.errors else 200)


class StationingForm(forms.Form):
    venue = forms.ModelChoiceField(label=gettext_lazy("站点"), queryset=Venue.objects.none())
    started_on = forms.DateField(label=gettext_lazy("进站日期"), widget=DATE)

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues_managed_by(actor).exclude(status=Venue.Status.CLOSED).order_by("name")


@member_required
def stationing_add_page(request, actor: Actor, pk: int):
    deputy = _deputy_for(actor, pk)
    if not actor.is_staff:
        raise PermissionDenied
    form = StationingForm(request.POST or None, actor=actor, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            stationing_add(actor=actor, deputy=deputy, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已安排驻站。"))
            return redirect("frontend:deputy_detail", pk=deputy.pk)
    return render(request, "frontend/people/stationing_form.html", {"form": form, "deputy": deputy},
                  status=400 if form.errors else 200)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=gettext_lazy("终止日期"), widget=DATE)


@member_required
@require_POST
def stationing_end_page(request, actor: Actor, pk: int, sid: int):
    deputy = _deputy_for(actor, pk)
    stationing = get_object_or_404(deputy.stationings.select_related("venue"), pk=sid, ended_on__isnull=True)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            stationing_end(actor=actor, stationing=stationing, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已结束在%(venue)s的驻站。") % {"venue": stationing.venue.name})
    else:
        messages.error(request, _("请填写离站日期。"))
    return redirect("frontend:deputy_detail", pk=deputy.pk)


# ---------------------------------------------------------------- 我的资料: a deputy's own profile

class ProfileForm(forms.Form):
    bio = forms.CharField(label=gettext_lazy("简介"), required=False, max_length=2000,
                          widget=forms.Textarea(attrs={"rows": 6}))
    public_phone = forms.CharField(label=gettext_lazy("公开联系电话"), max_length=30, required=False,
                                   widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
                                   help_text=gettext_lazy("显示在代表联系卡上，群众可以看到。"))
    photo = PhotoField(label=gettext_lazy("照片"), required=False,
                       help_text=gettext_lazy("JPEG、PNG或WEBP格式，不超过5MB。"))


@member_required
def my_profile(request, actor: Actor):
    if not actor.deputy_id:
        raise Http404
    deputy = _deputy_for(actor, actor.deputy_id)
    form = ProfileForm(request.POST or None, request.FILES or None,
                       initial={"bio": deputy.bio, "public_phone": deputy.public_phone, "photo": deputy.photo})
    if request.method == "POST" and form.is_valid():
        fields = _changed(form)
        try:
            deputy_update(actor=actor, deputy=deputy, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已保存您的资料。"))
            return redirect("frontend:my_profile")
    return render(request, "frontend/people/profile.html", {"form": form, "deputy": deputy},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------- deputy groups per venue

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
        return xlsx_response(headers, rows, filename="deputy-groups.xlsx", title=_("代表小组"))
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
                apply_errors(form, error)
            else:
                messages.success(request, _("已将%(name)s设为%(role)s。") % {
                    "name": member.deputy.account.name, "role": member.get_role_display()})
                return redirect("frontend:group_detail", venue_id=venue.pk)
    stationed = [s.deputy for s in venue.stationings.filter(ended_on__isnull=True)
                 .select_related("deputy__account").order_by("deputy__account__name")]
    return render(request, "frontend/people/group_detail.html", {
        "venue": venue, "group": _group_of(venue), "stationed": stationed, "form": form,
        "can_manage": can_manage}, status=400 if form.errors else 200)


# ---------------------------------------------------------------- the public directory

def public_directory() -> QuerySet[Deputy]:
    """What the public may see (BRIEF: online station, kiosk): deputies serving here or stationed here.
    Only card fields reach the templates that use it."""
    serving = Deputy.objects.filter(
        Q(mandates__status=MandateStatus.SERVING, mandates__ended_on__isnull=True)
        | Q(stationings__ended_on__isnull=True)).values("pk")
    return deputy_list().filter(pk__in=serving)


def directory(request):
    """代表名录: photo, name, levels, stations and the public contact card; no login needed."""
    if request.tenant.is_public:
        raise Http404
    form = DeputyFilterForm(request.GET or None, actor=None, with_status=False)
    qs = form.filter(with_region_levels(public_directory()), None)
    if request.GET.get("export") == "xlsx":
        headers = [_("姓名"), _("层级"), _("驻站站点"), _("公开联系电话")]

        def rows():
            for deputy in qs.iterator(chunk_size=500):
                decorate(deputy)
                yield [deputy.account.name, "、".join(label for _v, label in deputy.levels),
                       "、".join(v.name for v in deputy.stations), deputy.public_phone]

        return xlsx_response(headers, rows(), filename="directory.xlsx", title=_("代表名录"))
    page = paginate(qs, request)
    for deputy in page.rows:
        decorate(deputy)
    return render(request, "frontend/people/directory.html", {
        "form": form, "page": page, "query": query_without_page(request)})


