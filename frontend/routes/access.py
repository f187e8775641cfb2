"""Pages of the access context: the county's members, their roles and scopes, API tokens, and the audit
(included by frontend/urls.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from frontend.views import audit, members, tokens

# (label, url name, who sees the link: a set of roles, or None for every member of the county)
NAV_ITEMS: list[tuple[str, str, set[str] | None]] = [
    (_("成员与权限"), "frontend:members", {"county_admin"}),
    (_("接口令牌"), "frontend:tokens", {"county_admin"}),
    (_("操作记录"), "frontend:audit", {"county_admin"}),
]

urlpatterns: list = [
    path("members/", members.member_list, name="members"),
    path("members/grant/", members.member_grant, name="member_grant"),
    path("members/<int:pk>/revoke/", members.member_revoke, name="member_revoke"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("audit/", audit.audit_list, name="audit"),
    path("members/<int:pk>/unlock/", members.member_unlock, name="member_unlock"),
    path("members/signin-rule/", members.signin_rule_edit, name="signin_rule"),
]
