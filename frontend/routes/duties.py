"""Pages of the duties context (included by frontend/urls.py, under the frontend namespace)."""

from collections.abc import Callable

from django.urls import path
from django.utils.translation import gettext_lazy as _

from access.models import Role
from access.scope import Actor
from duties.selectors.records import reads_duty_reports
from frontend.views.duties import records, registers, reports, training

STAFF = {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_STAFF}

# (label, url name, who sees the link: the page's rule, a set of roles, or None for every member of the county)
NAV_ITEMS: list[tuple[str, str, Callable[[Actor], bool] | set[str] | None]] = [
    (_("我的履职"), "frontend:duty_mine", {Role.DEPUTY}),
    (_("履职登记"), "frontend:duty_records", STAFF),
    (_("三个一"), "frontend:duty_three_ones", reads_duty_reports),
    (_("履职评价"), "frontend:duty_evaluation", reads_duty_reports),
    (_("学习培训"), "frontend:training_list", STAFF | {Role.DEPUTY}),
    (_("三簿一卡"), "frontend:registers", STAFF | {Role.DEPUTY}),
]

urlpatterns: list = [
    path("duty/mine/", records.my_duties, name="duty_mine"),
    path("duty/new/", records.record_log, name="duty_log"),
    path("duty/records/", records.record_list, name="duty_records"),
    path("duty/records/<int:pk>/", records.record_detail, name="duty_detail"),
    path("duty/records/<int:pk>/edit/", records.record_edit, name="duty_edit"),
    path("duty/records/<int:pk>/confirm/", records.record_confirm, name="duty_confirm"),
    path("duty/records/<int:pk>/publish/", records.record_publish, name="duty_publish"),
    path("duty/records/<int:pk>/dispute/", records.record_dispute, name="duty_dispute"),
    path("duty/records/<int:pk>/photos/", records.record_photo_add, name="duty_photo_add"),
    path("duty/records/<int:pk>/opinions/", records.record_heard_add, name="duty_heard_add"),
    path("duty/records/<int:pk>/photos/<int:photo_pk>/", records.record_photo, name="duty_photo"),
    path("duty/three-ones/", reports.three_ones, name="duty_three_ones"),
    path("duty/three-ones/rule/", reports.three_ones_rule, name="duty_three_ones_rule"),
    path("duty/evaluation/", reports.evaluation_page, name="duty_evaluation"),
    path("duty/evaluation/rule/", reports.evaluation_rule, name="duty_evaluation_rule"),
    path("training/", training.event_list, name="training_list"),
    path("training/<int:pk>/", training.event_detail, name="training_detail"),
    path("training/<int:pk>/attendance/", training.attendance_mark, name="training_attendance"),
    path("registers/", registers.registers_index, name="registers"),
    path("registers/activity/<int:venue_id>/", registers.activity_register_page, name="register_activity"),
    path("registers/attendance/<int:venue_id>/", registers.attendance_register_page, name="register_attendance"),
    path("registers/issue-form/<int:case_id>/", registers.issue_form_page, name="register_issue_form"),
    path("registers/card/<int:deputy_id>/", registers.contact_card_page, name="register_card"),
]
