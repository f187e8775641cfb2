"""网上联络站: the public form on the county host (no login), the status page by tracking code with the
constituent's rating, and each deputy's QR code that opens the form addressed to them."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework import privacy, services
from casework.models import CaseStatus, OpinionCategory, Rating
from casework.selectors import opinion_by_code
from core.http import client_address
from frontend.forms import errors_onto
from organisation.models import Venue, Village
from people.models import Deputy


def _county_host(request) -> None:
    if request.tenant.is_public:
        raise Http404


class OnlineForm(forms.Form):
    content = forms.CharField(label=gettext_lazy("您要反映的问题或建议"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ModelChoiceField(label=gettext_lazy("类别"), required=False,
                                      queryset=OpinionCategory.objects.filter(is_active=True))
    village = forms.ModelChoiceField(label=gettext_lazy("所在村（社区）"), required=False,
                                     queryset=Village.objects.current().select_related("township")
                                     .order_by("township__name", "name"))
    constituent_mobile = forms.CharField(label=gettext_lazy("手机号码（选填，用于接收办理情况）"), required=False,
                                         max_length=11, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    code = forms.CharField(label=gettext_lazy("短信验证码"), required=False, max_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    privacy_consent = forms.BooleanField(label=privacy.CONSENT_LABEL, required=True,
                                         error_messages={"required": privacy.CONSENT_REQUIRED})


def submit_online(request, *, deputy: Deputy | None = None, venue: Venue | None = None,
                  kiosk_venue: int | None = None):
    """The form, filled or not, and its outcome: (form, opinion or None, notice, status). The online station
    and a station's kiosk share it: the same rules, codes and throttles (a registered kiosk's `kiosk_venue`
    counts against its station's allowance)."""
    form = OnlineForm(request.POST or None)
    notice, opinion = "", None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "send_code" in request.POST:
                services.verification_send(mobile=data["constituent_mobile"], address=client_address(request),
                                           kiosk_venue=kiosk_venue)
                notice = _("验证码已发送，请查收短信。")
            else:
                opinion = services.opinion_submit_online(
                    content=data["content"], category=data["category"], village=data["village"], deputy=deputy,
                    venue=venue, constituent_mobile=data["constituent_mobile"], code=data["code"],
                    address=client_address(request), privacy_consent=data["privacy_consent"], kiosk_venue=kiosk_venue)
        except ValidationError as error:
            errors_onto(form, error)
    status = 429 if any("太频繁" in str(e) for e in form.non_field_errors()) else 200
    if any("暂时不可用" in str(e) for e in form.non_field_errors()):
        status = 503
    return form, opinion, notice, status


def online_form(request):
    _county_host(request)
    deputy = None
    deputy_id = request.GET.get("deputy") or request.POST.get("deputy")
    if deputy_id and str(deputy_id).isdigit():
        deputy = Deputy.objects.select_related("account").filter(pk=deputy_id).first()
    form, opinion, notice, status = submit_online(request, deputy=deputy)
    if opinion is not None:
        return render(request, "frontend/casework/online_done.html", {"opinion": opinion})
    return render(request, "frontend/casework/online_form.html", {
        "form": form, "deputy": deputy, "notice": notice, "notice_title": privacy.NOTICE_TITLE,
        "notice_paragraphs": privacy.NOTICE_PARAGRAPHS}, status=status)


def online_track(request):
    _county_host(request)
    code = (request.GET.get("code") or "").strip()
    opinion = opinion_by_code(code) if code else None
    timeline = []
    if opinion is not None:
        timeline = [t for t in opinion.case.transitions.all() if t.to_status != t.from_status or t.actor_label]
    return render(request, "frontend/casework/online_track.html", {
        "code": code, "opinion": opinion, "case": opinion.case if opinion else None, "timeline": timeline,
        "may_rate": opinion is not None and opinion.case.status == CaseStatus.ANSWERED,
        "ratings": Rating.choices, "not_found": bool(code) and opinion is None})


@require_POST
def online_rate(request):
    _county_host(request)
    code = request.POST.get("code", "")
    try:
        services.case_rate_by_constituent(tracking_code=code, rating=request.POST.get("rating", ""),
                                          comment=request.POST.get("comment", "")[:500])
    except ValidationError as error:
        return render(request, "frontend/casework/online_track.html", {
            "code": code, "opinion": opinion_by_code(code), "error": " ".join(error.messages)}, status=400)
    return redirect(f"{reverse('frontend:online_track')}?{urlencode({'code': code.strip().upper(), 'rated': 1})}")


def deputy_qr(request, pk: int):
    """An SVG QR code that opens the online form addressed to this deputy (printed on contact cards)."""
    _county_host(request)
    deputy = get_object_or_404(Deputy, pk=pk)
    url = request.build_absolute_uri(f"/online/?deputy={deputy.pk}")
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, title=_("扫码向代表反映问题"))
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
