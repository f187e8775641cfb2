"""Sign-in events, wired in AccessConfig.ready: the session's clocks and the audit rows (access.signin)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import signin


@receiver(user_logged_in, dispatch_uid="access.signed_in")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        signin.signed_in(request, user)


@receiver(user_logged_out, dispatch_uid="access.signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        signin.audit(actor=user, action="auth.logout", target=user)


@receiver(user_login_failed, dispatch_uid="access.signin_failed")
def _signin_failed(sender, credentials, request=None, **kwargs):
    signin.signin_failed(request, credentials)


@receiver(user_locked_out, dispatch_uid="access.locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    signin.signin_locked(request, username)
