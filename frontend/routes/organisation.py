"""Pages of the organisation context (included by frontend/urls.py, under the frontend namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from access.models import Role
from frontend.views.organisation import funds, redivision, standards, townships, tree, units, venues, workbook

STAFF = {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_STAFF}
ADMIN = {Role.COUNTY_ADMIN}

# (label, url name, who sees the link: a set of roles, or None for every member of the county)
NAV_ITEMS: list[tuple[str, str, set[str] | None]] = [
    (_("组织架构"), "frontend:org_tree", None),
    (_("代表之家·联络站"), "frontend:org_venue_list", None),
    (_("乡镇（街道）"), "frontend:org_township_list", None),
    (_("建设进度"), "frontend:org_progress", STAFF),
    (_("建站标准"), "frontend:org_standard_list", STAFF),
    (_("承办单位"), "frontend:org_unit_list", ADMIN),
    (_("区划调整"), "frontend:org_redivisions", ADMIN),
    (_("组织架构导入"), "frontend:org_import", ADMIN),
]

urlpatterns: list = [
    path("organisation/", tree.tree, name="org_tree"),
    path("organisation/townships/", townships.township_list, name="org_township_list"),
    path("organisation/townships/new/", townships.township_create, name="org_township_create"),
    path("organisation/townships/<int:pk>/", townships.township_detail, name="org_township_detail"),
    path("organisation/townships/<int:pk>/edit/", townships.township_edit, name="org_township_edit"),
    path("organisation/villages/new/", townships.village_create, name="org_village_create"),
    path("organisation/villages/<int:pk>/edit/", townships.village_edit, name="org_village_edit"),
    path("organisation/venues/", venues.venue_list, name="org_venue_list"),
    path("organisation/venues/new/", venues.venue_create, name="org_venue_create"),
    path("organisation/venues/<int:pk>/", venues.venue_detail, name="org_venue_detail"),
    path("organisation/venues/<int:pk>/edit/", venues.venue_edit, name="org_venue_edit"),
    path("organisation/venues/<int:pk>/photos/", venues.venue_photo_upload, name="org_venue_photo_upload"),
    path("organisation/venues/<int:pk>/photos/<int:photo_pk>/", venues.venue_photo, name="org_venue_photo"),
    path("organisation/venues/<int:pk>/assess/", standards.assessment_create, name="org_assessment_create"),
    path("organisation/units/", units.unit_list, name="org_unit_list"),
    path("organisation/units/new/", units.unit_create, name="org_unit_create"),
    path("organisation/units/<int:pk>/edit/", units.unit_edit, name="org_unit_edit"),
    path("organisation/standards/", standards.standard_list, name="org_standard_list"),
    path("organisation/standards/new/", standards.standard_create, name="org_standard_create"),
    path("organisation/standards/<int:pk>/edit/", standards.standard_edit, name="org_standard_edit"),
    path("organisation/progress/", funds.build_progress_page, name="org_progress"),
    path("organisation/progress/export/", funds.build_progress_export, name="org_progress_export"),
    path("organisation/funds/<int:township_pk>/<int:year>/", funds.funding_edit, name="org_funding_edit"),
    path("organisation/import/", workbook.workbook_page, name="org_import"),
    path("organisation/import/<int:pk>/", workbook.workbook_job, name="org_import_job"),
    path("organisation/import/template/", workbook.workbook_template, name="org_import_template"),
    path("organisation/export/", workbook.workbook_export, name="org_export"),
    path("organisation/redivisions/", redivision.redivisions, name="org_redivisions"),
    path("organisation/redivisions/merge/", redivision.redivision_merge, name="org_redivision_merge"),
    path("organisation/redivisions/split/", redivision.redivision_split, name="org_redivision_split"),
    path("organisation/redivisions/rename/", redivision.redivision_rename, name="org_redivision_rename"),
    path("organisation/redivisions/scheduled/<int:pk>/cancel/", redivision.scheduled_redivision_cancel,
         name="org_scheduled_redivision_cancel"),
    path("organisation/redivisions/villages/merge/", redivision.village_redivision_merge,
         name="org_village_redivision_merge"),
    path("organisation/redivisions/villages/split/", redivision.village_redivision_split,
         name="org_village_redivision_split"),
    path("organisation/redivisions/villages/rename/", redivision.village_redivision_rename,
         name="org_village_redivision_rename"),
]
