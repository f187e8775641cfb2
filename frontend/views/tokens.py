"""接口令牌: the county administrator makes tokens for integrations (the key is shown once, on the page
that follows the making), sees when each was last used, and revokes them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access import tokens as token_services
from access.models import Role
from access.scope import Actor
from access.tokens import tokens_visible_to
from frontend.forms import errors_onto
from frontend.pages import member_required, paginate, query_without_page
from tenants.models import Account
from tenants.models.validators import mobile_validator


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称（用途）"), max_length=100)
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=Role.choices)
    mobile = forms.CharField(label=gettext_lazy("代表的账号（手机号码，不填为本人）"), max_length=11, required=False,
                             validators=[mobile_validator])


def _admin_only(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied


@member_required
def token_list(request, actor: Actor):
    _admin_only(actor)
    form = TokenForm(request.POST or None, initial={"role": Role.COUNTY_ADMIN})
    made = None
    if request.method == "POST" and form.is_valid():
        account = None
        if mobile := form.cleaned_data["mobile"]:
            account = Account.objects.filter(mobile=mobile).first()
        try:
            if mobile and account is None:
                raise ValidationError({"mobile": gettext_lazy("该手机号码没有账号。")})
            made = token_services.token_create(actor=actor, name=form.cleaned_data["name"],
                                               role=form.cleaned_data["role"], account=account)
            form = TokenForm(initial={"role": Role.COUNTY_ADMIN})
        except ValidationError as error:
            errors_onto(form, error)
    page = paginate(tokens_visible_to(actor), request)
    return render(request, "frontend/tokens/list.html", {
        "form": form, "made": made, "page": page, "query": query_without_page(request)})


@require_POST
@member_required
def token_revoke(request, actor: Actor, pk: int):
    _admin_only(actor)
    token = get_object_or_404(tokens_visible_to(actor), pk=pk)
    token_services.token_revoke(actor=actor, token=token)
    return redirect("frontend:tokens")
