"""Pages of the casework context (included by frontend/urls.py, under the frontend namespace)."""

from collections.abc import Callable

from django.urls import path
from django.utils.translation import gettext_lazy as _

from access.models import Role
from access.scope import Actor
from casework.selectors import reads_cases
from frontend.views.casework import cases, inbox, public, rules, suggestions

# (label, url name, who sees the link: the page's rule, a set of roles, or None for every member of the county)
NAV_ITEMS: list[tuple[str, str, Callable[[Actor], bool] | set[str] | None]] = [
    (_("社情民意"), "frontend:case_list", reads_cases),
    (_("代表建议"), "frontend:suggestion_list", None),
    (_("意见箱登记"), "frontend:opinion_box", {Role.OPINION_OBSERVER, Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF,
                                           Role.STATION_STAFF}),
    (_("办理规则"), "frontend:casework_rules", {Role.COUNTY_ADMIN}),
]

urlpatterns: list = [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<int:pk>/", cases.case_page, name="case_detail"),
    path("cases/<int:pk>/route/", cases.case_route_page, name="case_route"),
    path("cases/<int:pk>/answer/", cases.case_answer_page, name="case_answer"),
    path("cases/<int:pk>/close/", cases.case_close_page, name="case_close"),
    path("cases/<int:pk>/merge/", cases.case_merge_page, name="case_merge"),
    path("cases/<int:pk>/publish/", cases.case_publish_page, name="case_publish"),
    path("cases/<int:pk>/attachments/<int:attachment_pk>/", cases.case_attachment, name="case_attachment"),
    path("opinions/new/", cases.opinion_new, name="opinion_new"),
    path("opinions/box/", cases.opinion_box, name="opinion_box"),
    path("suggestions/", suggestions.suggestion_list, name="suggestion_list"),
    path("suggestions/new/", suggestions.suggestion_new, name="suggestion_new"),
    path("suggestions/<int:pk>/", suggestions.suggestion_page, name="suggestion_detail"),
    path("suggestions/<int:pk>/<slug:name>/", suggestions.suggestion_act, name="suggestion_act"),
    path("casework/rules/", rules.rules_page, name="casework_rules"),
    path("online/", public.online_form, name="online_form"),
    path("online/track/", public.online_track, name="online_track"),
    path("online/rate/", public.online_rate, name="online_rate"),
    path("online/deputies/<int:pk>/qr.svg", public.deputy_qr, name="deputy_qr"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/", inbox.inbox_item, name="inbox_item"),
    path("inbox/<int:pk>/attachments/<int:attachment_pk>/", inbox.inbox_attachment, name="inbox_attachment"),
]
