"""The page the station's QR code opens: the deputy, logged in on their phone, signs in with one tap."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import Actor
from frontend.pages import member_required
from reception.services.common import hours_label
from reception.services.signin import session_for_code, sign_in


@member_required
def sign_in_page(request, actor: Actor, token: str):
    try:
        schedule, session = session_for_code(token, timezone.localdate())
    except ValidationError as exc:
        return render(request, "frontend/reception/sign_in.html", {"error": " ".join(exc.messages)}, status=404)
    if request.method == "POST":
        try:
            attendance = sign_in(actor=actor, token=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            at = timezone.localtime(attendance.signed_in_at).strftime("%H:%M")
            messages.success(request, _("签到成功（%(t)s）。") % {"t": at}
                             + (_("晚于开始时间，记为迟到。") if attendance.late else ""))
            return redirect("frontend:my_reception")
    return render(request, "frontend/reception/sign_in.html", {
        "venue": schedule.venue, "session": session,
        "hours": hours_label(session.starts_at, session.ends_at) if session else ""})
