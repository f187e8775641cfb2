"""我的资料: a deputy edits their own public card (bio, public contact phone, photo)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.scope import Actor
from frontend.forms import errors_onto
from frontend.pages import member_required
from people.services.deputies import (
    deputy_update,
)

from .common import PhotoField, _changed, _deputy_for


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
            errors_onto(form, error)
        else:
            messages.success(request, _("已保存您的资料。"))
            return redirect("frontend:my_profile")
    return render(request, "frontend/people/profile.html", {"form": form, "deputy": deputy},
                  status=400 if form.errors else 200)
