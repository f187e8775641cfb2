"""操作记录: the audit viewer. On a county host, the county administrator reads that county's rows; on the
platform host, operators (is_staff) read the platform's. Filters (who, what, target, dates), pages and an
Excel export, which is itself audited. Actions and targets are shown by their Chinese names."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.exports import HEADERS, audit_export_rows
from audit.labels import action_choices
from audit.selectors import AuditFilters, audit_entries, audit_labelled, audit_target_types
from frontend.pages import paginate, query_without_page, xlsx_download
from people.actors import actor_of


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=gettext_lazy("操作人（姓名或手机号码）"), required=False, max_length=50)
    action = forms.ChoiceField(label=gettext_lazy("操作"), required=False)
    target_type = forms.ChoiceField(label=gettext_lazy("对象类型"), required=False)
    target_id = forms.CharField(label=gettext_lazy("对象编号"), required=False, max_length=64)
    since = forms.DateField(label=gettext_lazy("起始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("截止日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["action"].choices = everything + [("auth.", _("登录与账号（全部）"))] + action_choices()
        self.fields["target_type"].choices = everything + audit_target_types()

    def filters(self) -> AuditFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilters(who=data.get("who") or "", action=data.get("action") or "",
                            target_type=data.get("target_type") or "", target_id=data.get("target_id") or "",
                            since=data.get("since"), until=data.get("until"))


def may_read_audit(request) -> bool:
    """County host: the county administrator; platform host: operators. Others are refused."""
    if request.tenant.is_public:
        return bool(request.user.is_staff)
    actor = actor_of(request)
    if not actor.is_member:
        raise Http404
    return actor.is_admin


@login_required
def audit_list(request):
    if not may_read_audit(request):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    if request.GET.get("export") == "xlsx":
        rows = audit_export_rows(actor=request.user, filters=filters)
        return xlsx_download(HEADERS, rows, filename="audit.xlsx", title=_("操作记录"))
    page = paginate(audit_entries(filters), request)
    page.rows = audit_labelled(page.rows)
    return render(request, "frontend/audit/list.html", {
        "form": form, "page": page, "query": query_without_page(request)})
