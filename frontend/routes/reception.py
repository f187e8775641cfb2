"""Pages of the reception context and the message inbox (included by frontend/urls.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from access.models import Role
from frontend.views import messages
from frontend.views.reception import notices, public, sessions, signin, stations

STAFF = {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_STAFF}

NAV_ITEMS: list[tuple[str, str, set[str] | None]] = [
    (_("接待日"), "frontend:reception_sessions", STAFF),
    (_("我的接待"), "frontend:my_reception", {Role.DEPUTY}),
    (_("出勤通报"), "frontend:reception_notices", STAFF | {Role.DEPUTY}),
    (_("我的消息"), "frontend:my_messages", None),
]

urlpatterns: list = [
    path("reception/calendar/", public.public_calendar_page, name="reception_calendar"),
    path("reception/", sessions.session_list, name="reception_sessions"),
    path("reception/mine/", sessions.my_reception, name="my_reception"),
    path("reception/<int:pk>/", sessions.session_detail, name="reception_session"),
    path("reception/<int:pk>/rota/", sessions.session_rota, name="reception_rota"),
    path("reception/<int:pk>/attendance/", sessions.session_attendance, name="reception_attendance"),
    path("reception/<int:pk>/record/", sessions.session_record, name="reception_record"),
    path("reception/<int:pk>/move/", sessions.session_move_page, name="reception_move"),
    path("reception/<int:pk>/cancel/", sessions.session_cancel_page, name="reception_cancel"),
    path("reception/<int:pk>/sign-out/", sessions.session_sign_out, name="reception_sign_out"),
    path("reception/stations/<int:venue_id>/", stations.station_schedule, name="reception_station"),
    path("reception/sign-in/<str:token>/", signin.sign_in_page, name="reception_sign_in"),
    path("reception/notices/", notices.notices_page, name="reception_notices"),
    path("reception/notices/<int:pk>/pdf/", notices.notice_pdf, name="reception_notice_pdf"),
    path("reception/absence-steps/<int:pk>/done/", notices.absence_step_page, name="reception_absence_step"),
    path("me/messages/", messages.my_messages, name="my_messages"),
]
