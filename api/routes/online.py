"""Public routes of 网上联络站 (no login; county hosts only)."""

from django.urls import path

from api.views import public
from api.views.online import OnlineOpinionView, PrivacyNoticeView

urlpatterns = [
    path("online/privacy-notice/", PrivacyNoticeView.as_view(), name="online-privacy-notice"),
    path("online/opinions/", OnlineOpinionView.as_view(), name="online-opinions"),
    path("online/codes/", public.CodeView.as_view(), name="online-codes"),
    path("online/track/", public.TrackView.as_view(), name="online-track"),
    path("online/calendar/", public.CalendarView.as_view(), name="online-calendar"),
    path("online/stations/", public.StationsView.as_view(), name="online-stations"),
    path("online/stations/<int:pk>/", public.StationView.as_view(), name="online-station"),
    path("online/deputies/", public.DirectoryView.as_view(), name="online-deputies"),
    path("online/answers/", public.AnswersView.as_view(), name="online-answers"),
]
