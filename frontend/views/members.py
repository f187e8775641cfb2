"""成员与权限: the county administrator lists who holds which role here, gives people roles with their
scope (a township, a venue with a position, a handling unit) and takes roles away."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.models import Membership, Role, SigninRule, StaffPosition
from access.scope import Actor
from access.selectors import memberships_visible_to
from access.services import membership_grant_by_admin, membership_revoke_by_admin, signin_rule_update
from access.signin import account_unlock, locked_mobiles
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page, xlsx_download
from organisation.models import HandlingUnit, Township, Venue
from tenants.models.validators import mobile_validator

HEADERS = ["姓名", "手机号码", "角色", "范围", "站内职务", "状态"]
STATUSES = [("active", gettext_lazy("有效")), ("revoked", gettext_lazy("已撤销")), ("all", gettext_lazy("全部"))]


def _admin_only(actor: Actor) -> None:
    """Members who are not the county's administrator are refused (403); the guard sent others away."""
    if not actor.is_admin:
        raise PermissionDenied


def scope_of(membership: Membership) -> str:
    for related in (membership.township, membership.venue, membership.handling_unit):
        if related is not None:
            return related.name
    return _("全县") if membership.role != Role.DEPUTY else _("本人")


def _memberships(actor: Actor, params) -> QuerySet[Membership]:
    qs = memberships_visible_to(actor).select_related("township", "venue", "handling_unit")
    if (role := params.get("role")) in Role.values:
        qs = qs.filter(role=role)
    status = params.get("status") or "active"
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "revoked":
        qs = qs.filter(is_active=False)
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(account__name__icontains=q) | Q(account__mobile__contains=q))
    return qs.order_by("role", "account__name", "pk")


@member_required
def member_list(request, actor: Actor):
    _admin_only(actor)
    qs = _memberships(actor, request.GET)
    if request.GET.get("export") == "xlsx":
        rows = ([m.account.name, m.account.mobile, m.get_role_display(), scope_of(m), m.get_position_display(),
                 _("有效") if m.is_active else _("已撤销")] for m in qs)
        return xlsx_download(HEADERS, rows, filename="members.xlsx", title=_("成员与权限"))
    page, query = paginate(qs, request), query_without_page(request)
    locked = locked_mobiles(m.account.mobile for m in page.rows)
    for membership in page.rows:
        membership.scope_label = scope_of(membership)
        membership.locked = membership.account.mobile in locked
    return render(request, "frontend/members/list.html", {
        "page": page, "query": query, "roles": Role.choices, "statuses": STATUSES,
        "status": request.GET.get("status") or "active",
        "signin_form": SigninRuleForm(initial={"idle_minutes": SigninRule.current().idle_minutes}),
        "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
    })


class SigninRuleForm(forms.Form):
    idle_minutes = forms.IntegerField(label=gettext_lazy("工作人员闲置自动退出（分钟）"), min_value=5, max_value=720)


@require_POST
@member_required
def signin_rule_edit(request, actor: Actor):
    """登录规则: how long a staff session may sit idle before it ends (the county administrator's)."""
    _admin_only(actor)
    form = SigninRuleForm(request.POST)
    if form.is_valid():
        try:
            signin_rule_update(actor=actor, idle_minutes=form.cleaned_data["idle_minutes"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已保存登录规则。"))
            return redirect("frontend:members")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("frontend:members")


class GrantForm(forms.Form):
    """The shape of a grant; access.services.membership_grant_by_admin decides whether the scope fits."""

    mobile = forms.CharField(label=gettext_lazy("手机号码"), max_length=11, validators=[mobile_validator],
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50, required=False,
                           help_text=gettext_lazy("已有账号的，可不填。"))
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=[("", "---------"), *Role.choices])
    township = forms.ModelChoiceField(label=gettext_lazy("乡镇（乡镇人大主席团工作人员）"), required=False,
                                      queryset=Township.objects.none())
    venue = forms.ModelChoiceField(label=gettext_lazy("站点（联络站工作人员）"), required=False,
                                   queryset=Venue.objects.none())
    position = forms.ChoiceField(label=gettext_lazy("站内职务（联络站工作人员）"), required=False,
                                 choices=[("", "---------"), *StaffPosition.choices])
    handling_unit = forms.ModelChoiceField(label=gettext_lazy("承办单位"), required=False,
                                           queryset=HandlingUnit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].error_messages["required"] = _("请选择角色。")
        self.fields["mobile"].error_messages["required"] = _("请填写手机号码。")
        self.fields["township"].queryset = Township.objects.current().order_by("division_code", "name")
        self.fields["venue"].queryset = Venue.objects.exclude(status=Venue.Status.CLOSED).order_by("township_id",
                                                                                                    "name")
        self.fields["handling_unit"].queryset = HandlingUnit.objects.filter(is_active=True).order_by("kind", "name")



@member_required
def member_grant(request, actor: Actor):
    _admin_only(actor)
    form = GrantForm(request.POST if request.method == "POST" else None,
                     initial={"role": request.GET.get("role", "")})
    if request.method == "POST" and form.is_valid():
        try:
            membership = membership_grant_by_admin(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("已授予 %(name)s：%(role)s") % {
                "name": membership.account.name, "role": membership.get_role_display()})
            return redirect("frontend:members")
    return render(request, "frontend/members/grant.html", {"form": form})


@member_required
def member_revoke(request, actor: Actor, pk: int):
    _admin_only(actor)
    membership = get_object_or_404(
        memberships_visible_to(actor).select_related("township", "venue", "handling_unit"),
        pk=pk, is_active=True)
    error = None
    if request.method == "POST":
        try:
            membership_revoke_by_admin(actor=actor, membership=membership)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("已撤销 %(name)s 的角色：%(role)s") % {
                "name": membership.account.name, "role": membership.get_role_display()})
            return redirect("frontend:members")
    return render(request, "frontend/members/revoke.html",
                  {"membership": membership, "scope": scope_of(membership), "error": error},
                  status=400 if error else 200)


@require_POST
@member_required
def member_unlock(request, actor: Actor, pk: int):
    """解锁: lift the sign-in lock of a member of this county (5 failures lock an account for 15 minutes)."""
    _admin_only(actor)
    membership = get_object_or_404(memberships_visible_to(actor), pk=pk)
    account_unlock(actor=actor, account=membership.account)
    messages.success(request, _("已解锁 %(name)s 的账号。") % {"name": membership.account.name})
    return redirect("frontend:members")
