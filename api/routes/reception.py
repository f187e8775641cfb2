"""API routes of the reception context and the message inbox (included by api/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api.views.reception import (
    AbsenceStepViewSet,
    MessageViewSet,
    NoticeJobViewSet,
    NoticeViewSet,
    ReceptionScheduleViewSet,
    ReceptionSessionViewSet,
    SignInView,
)

router = SimpleRouter()
router.register("reception-sessions", ReceptionSessionViewSet, basename="reception-session")
router.register("reception-schedules", ReceptionScheduleViewSet, basename="reception-schedule")
router.register("attendance-notice-jobs", NoticeJobViewSet, basename="attendance-notice-job")
router.register("attendance-notices", NoticeViewSet, basename="attendance-notice")
router.register("absence-steps", AbsenceStepViewSet, basename="absence-step")
router.register("messages", MessageViewSet, basename="message")

urlpatterns = [path("reception/sign-in/", SignInView.as_view(), name="reception-sign-in"), *router.urls]
