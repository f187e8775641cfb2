from django.urls import path

from .routes import access, casework, duties, organisation, people, reception, roster
from .views import auth, dashboard, home

app_name = "frontend"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/report/", dashboard.monthly_report, name="dashboard_report"),
    *organisation.urlpatterns,
    *people.urlpatterns,
    *roster.urlpatterns,
    *duties.urlpatterns,
    *access.urlpatterns,
    *reception.urlpatterns,
    *casework.urlpatterns,
]
