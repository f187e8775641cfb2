"""登录、短信验证码登录（首次登录、忘记密码）、设置密码、修改密码、两步验证 and the lockout page.

The rules are access.signin's; these pages only ask and answer. Django's authenticate() is the one way in
(passwords: access.backends.CountyScopedBackend; codes: SmsCodeBackend), so django-axes sees every
attempt, and user_logged_in / user_login_failed write the session clocks and the audit rows.
"""

from __future__ import annotations

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access import signin
from core.throttle import Unavailable
from frontend.forms import MobileLoginForm, errors_onto, mobile_field, text_validators

LOCKED_MESSAGE = gettext_lazy("登录失败次数过多，账号已锁定15分钟，请稍后再试或联系管理员解锁。")


class LoginView(DjangoLoginView):
    template_name = "frontend/login.html"
    authentication_form = MobileLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Django's LoginView puts a RequestSite (named by the host: "dongkou.localhost:8000") under "site";
        # the page shows the county (frontend.context.site) instead.
        return {**super().get_context_data(**kwargs), "site": self.request.tenant,
                "oidc_enabled": settings.OIDC_ENABLED, "oidc_failed": self.request.GET.get("oidc") == "failed"}


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the login page, in Chinese, with 429."""
    form = MobileLoginForm(request, initial={"mobile": signin.signin_username(request, credentials)})
    return render(request, "frontend/login.html", {"form": form, "locked": LOCKED_MESSAGE}, status=429)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("frontend:login")


# --- sign in by SMS code: first login, forgotten password ---------------------------------------------

class CodeForm(forms.Form):
    mobile = mobile_field()
    code = forms.CharField(label=gettext_lazy("短信验证码"), required=False, max_length=6, validators=text_validators(),
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


def _code_page(request, *, purpose: str, title: str, intro: str):
    if request.tenant.is_public:
        raise Http404  # codes go through a county's outbox
    form = CodeForm(request.POST or None)
    notice = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        mobile, code = form.cleaned_data["mobile"], form.cleaned_data["code"]
        if "send_code" in request.POST:
            try:
                signin.signin_code_send(request=request, mobile=mobile, purpose=purpose)
            except ValidationError as exc:
                errors_onto(form, exc)
                status = 503 if isinstance(exc, Unavailable) else 429
            else:
                notice = _("如果该号码已在本站登记，验证码已通过短信发送，10分钟内有效。")
        elif not code:
            form.add_error("code", _("请输入短信验证码。"))
        else:
            account = authenticate(request, mobile=mobile, code=code, purpose=purpose)
            if account is None:
                if getattr(request, "axes_locked_out", False):
                    return locked_out(request, None, {"mobile": mobile})
                form.add_error("code", _("验证码不正确或已过期。"))
            else:
                login(request, account)
                if signin.second_factor_pending(request) and signin.totp_device(account) is None:
                    signin.second_factor_passed(request, how="sms")  # the code was the second factor
                request.session["jz_set_password"] = True
                return redirect("frontend:password_set")
    return render(request, "frontend/auth/code.html",
                  {"form": form, "notice": notice, "title": title, "intro": intro}, status=status)


def code_login(request):
    return _code_page(request, purpose="login", title=_("首次登录"),
                      intro=_("首次登录请用登记的手机号码获取短信验证码，登录后设置密码。"))


def password_forgot(request):
    return _code_page(request, purpose="reset", title=_("忘记密码"),
                      intro=_("用登记的手机号码获取短信验证码，验证后设置新密码。"))


# --- passwords ----------------------------------------------------------------------------------------

class SetPasswordForm(forms.Form):
    new_password1 = forms.CharField(label=gettext_lazy("新密码"), strip=False, validators=text_validators(),
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text=gettext_lazy("至少8位，须同时包含英文字母和数字，不能是常用密码，"
                                                           "不能包含手机号码或身份证号码。"))
    new_password2 = forms.CharField(label=gettext_lazy("再次输入新密码"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的密码不一致。"))
        return data


class ChangePasswordForm(SetPasswordForm):
    old_password = forms.CharField(label=gettext_lazy("原密码"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    field_order = ["old_password", "new_password1", "new_password2"]


@login_required
def password_set(request):
    """After signing in by code: the first password, or a new one for a forgotten one."""
    account = request.user
    first = not account.has_usable_password()
    if not first and not request.session.get("jz_set_password"):
        return redirect("frontend:password_change")
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signin.password_set(account=account, password=form.cleaned_data["new_password1"],
                                action="auth.password_set" if first else "auth.password_reset")
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            update_session_auth_hash(request, account)
            request.session.pop("jz_set_password", None)
            messages.success(request, _("密码已设置，下次可用手机号码和密码登录。"))
            return redirect("frontend:home")
    return render(request, "frontend/auth/password_set.html", {"form": form, "first": first})


@login_required
def password_change(request):
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signin.password_change(account=request.user, old_password=form.cleaned_data["old_password"],
                                   password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("frontend:password_change")
    return render(request, "frontend/auth/password_change.html", {
        "form": form, "totp": signin.totp_device(request.user) is not None})


# --- the second factor --------------------------------------------------------------------------------

class TokenForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("验证码"), required=False, max_length=8, validators=text_validators(),
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


@login_required
def second_factor(request):
    """两步验证 at sign-in: the authenticator's code, or (county hosts) an SMS code to the registered mobile."""
    if not signin.second_factor_pending(request):
        return redirect("frontend:home")
    account = request.user
    totp = signin.totp_device(account) is not None
    sms = not request.tenant.is_public
    if not totp and not sms:
        return redirect("frontend:totp_enrol")  # the platform host has no outbox: an authenticator it is
    form = TokenForm(request.POST or None)
    notice, status = "", 200
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if "send_code" in request.POST and sms:
            try:
                signin.signin_code_send(request=request, mobile=account.mobile, purpose="second_factor")
                notice = _("验证码已通过短信发送到您登记的手机，10分钟内有效。")
            except ValidationError as exc:
                errors_onto(form, exc)
                status = 429
        elif not token:
            form.add_error("token", _("请输入验证码。"))
        elif totp and signin.totp_verify(account=account, token=token):
            signin.second_factor_passed(request, how="totp")
            return redirect("frontend:home")
        elif sms and authenticate(request, mobile=account.mobile, code=token, purpose="second_factor"):
            signin.second_factor_passed(request, how="sms")
            return redirect("frontend:home")
        else:
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out(request, None, {"mobile": account.mobile})
            form.add_error("token", _("验证码不正确或已过期。"))
    return render(request, "frontend/auth/second_factor.html",
                  {"form": form, "totp": totp, "sms": sms, "notice": notice}, status=status)


def _qr_data_uri(text: str) -> str:
    """A standalone SVG (with its namespace: svg_inline's markup draws nothing as an <img>) as a data URI."""
    return segno.make(text, error="m").svg_data_uri(scale=5, dark="#1f2933")


@login_required
def totp_enrol(request):
    """Scan the QR code with an authenticator app (any TOTP app) and type its code to switch it on."""
    account = request.user
    pending = signin.second_factor_pending(request)
    if pending and (not request.tenant.is_public or signin.totp_device(account) is not None):
        return redirect("frontend:second_factor")  # pass the second factor first; enrol afterwards
    form = TokenForm(request.POST or None)
    if request.method == "POST" and "disable" in request.POST and not pending:
        try:
            signin.totp_disable(account=account)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已关闭两步验证。"))
        return redirect("frontend:totp_enrol")
    if request.method == "POST" and form.is_valid():
        if signin.totp_confirm(account=account, token=form.cleaned_data["token"]):
            if pending:
                signin.second_factor_passed(request, how="totp")
            messages.success(request, _("已开启两步验证，以后登录时请输入身份验证器上的验证码。"))
            return redirect("frontend:home")
        form.add_error("token", _("验证码不正确，请核对手机时间后重试。"))
    device = signin.totp_draft(account)
    return render(request, "frontend/auth/totp_enrol.html", {
        "form": form, "qr": _qr_data_uri(device.config_url), "key": base64.b32encode(device.bin_key).decode(),
        "enrolled": signin.totp_device(account) is not None, "pending": pending,
    })
