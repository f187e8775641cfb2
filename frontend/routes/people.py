"""Pages of the people context (included by frontend/urls.py, under the frontend namespace)."""

from collections.abc import Callable

from django.urls import path
from django.utils.translation import gettext_lazy as _

from access.models import Role
from access.scope import Actor
from frontend.views.people import deputies, directory, groups, mandates, pairing, profile, stationing
from people.services.pairing import may_run_pairing

STAFF = {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_STAFF}

# (label, url name, who sees the link: the page's rule, a set of roles, or None for every member of the county)
NAV_ITEMS: list[tuple[str, str, Callable[[Actor], bool] | set[str] | None]] = [
    (_("代表"), "frontend:deputy_list", None),
    (_("代表小组"), "frontend:group_list", None),
    (_("结对联系"), "frontend:pairing", may_run_pairing),
    (_("我的资料"), "frontend:my_profile", {Role.DEPUTY}),
]

urlpatterns: list = [
    path("deputies/", deputies.deputy_list_page, name="deputy_list"),
    path("deputies/new/", deputies.deputy_create_page, name="deputy_create"),
    path("deputies/<int:pk>/", deputies.deputy_detail, name="deputy_detail"),
    path("deputies/<int:pk>/edit/", deputies.deputy_edit_page, name="deputy_edit"),
    path("deputies/<int:pk>/photo/", deputies.deputy_photo, name="deputy_photo"),
    path("deputies/<int:pk>/mandates/new/", mandates.mandate_add_page, name="mandate_add"),
    path("deputies/<int:pk>/stationings/new/", stationing.stationing_add_page, name="stationing_add"),
    path("deputies/<int:pk>/stationings/<int:sid>/end/", stationing.stationing_end_page, name="stationing_end"),
    path("me/profile/", profile.my_profile, name="my_profile"),
    path("deputy-groups/", groups.group_list, name="group_list"),
    path("deputy-groups/<int:venue_id>/", groups.group_detail, name="group_detail"),
    path("directory/", directory.directory, name="directory"),
    path("pairing/", pairing.pairing_page, name="pairing"),
    path("pairing/new/", pairing.pairing_add, name="pairing_add"),
    path("pairing/rule/", pairing.pairing_rule_edit, name="pairing_rule"),
    path("pairing/<int:pk>/end/", pairing.pairing_end_page, name="pairing_end"),
    path("pairing/proposal/", pairing.pairing_proposal_page, name="pairing_proposal"),
    path("pairing/proposal/apply/", pairing.pairing_proposal_apply, name="pairing_proposal_apply"),
]
