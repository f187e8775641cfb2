"""Public routes of 网上联络站 (no login; county hosts only)."""

from django.urls import path

from api.views.online import OnlineOpinionView, PrivacyNoticeView

urlpatterns = [
    path("online/privacy-notice/", PrivacyNoticeView.as_view(), name="online-privacy-notice"),
    path("online/opinions/", OnlineOpinionView.as_view(), name="online-opinions"),
]
