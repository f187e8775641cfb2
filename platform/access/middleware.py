"""Session rules after sign-in (settings.MIDDLEWARE, after AuthenticationMiddleware): a staff session ends
after the county's idle minutes, every session SESSION_ABSOLUTE_SECONDS after its sign-in; a session that
still owes a second factor reaches only the second-factor pages (and sign-out)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import signin

# Pages a session owing a second factor may open (frontend's URL names: no import of the UI).
SECOND_FACTOR_PAGES = ("frontend:second_factor", "frontend:totp_enrol", "frontend:logout")
SEEN_EVERY = 60  # seconds: the session is written at most once a minute for the idle clock


class SigninMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            answer = self._check(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = time.time()
        reason = signin.timeout_reached(session, now)
        if reason is not None:
            account = request.user
            signin.audit(actor=account, action="auth.timeout", target=account, data={"reason": reason})
            logout(request)
            if request.path.startswith("/api/"):
                return None  # anonymous now: the API answers 403 as for anyone not signed in
            messages.info(request, _("您长时间未操作，已自动退出，请重新登录。") if reason == "idle"
                          else _("登录已超过有效时间，请重新登录。"))
            return redirect(f"{reverse('frontend:login')}?next={request.path}")
        if now - session.get(signin.LAST_SEEN, 0) > SEEN_EVERY:
            session[signin.LAST_SEEN] = now
        if signin.second_factor_pending(request):
            allowed = {reverse(name) for name in SECOND_FACTOR_PAGES}
            if request.path not in allowed:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("请先完成两步验证。")}, status=403)
                return redirect("frontend:second_factor")
        return None
