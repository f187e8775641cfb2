"""The county's public pages (included by frontend/urls.py): no login, county hosts only. `/` itself is
the online station for visitors (frontend.views.home)."""

from django.urls import path

from frontend.views.public import answers, kiosk, station

urlpatterns: list = [
    path("stations/", station.station_list, name="public_stations"),
    path("stations/<int:pk>/", station.station_page, name="public_station"),
    path("stations/<int:pk>/photos/<int:photo_pk>/", station.station_photo, name="public_station_photo"),
    path("answers/", answers.answers_page, name="public_answers"),
    path("kiosk/<int:pk>/", kiosk.kiosk_home, name="kiosk"),
    path("kiosk/<int:pk>/opinion/", kiosk.kiosk_opinion, name="kiosk_opinion"),
    path("kiosk/<int:pk>/track/", kiosk.kiosk_track, name="kiosk_track"),
    path("kiosk/<int:pk>/register/", kiosk.kiosk_register_page, name="kiosk_register"),
]
