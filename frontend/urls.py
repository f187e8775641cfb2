from django.urls import path

from .routes import access, casework, duties, organisation, people, public, reception, roster
from .views import auth, dashboard, deputy_counties, home, oidc

app_name = "frontend"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("me/counties/", deputy_counties.my_counties, name="my_counties"),
    path("dashboard/report/", dashboard.monthly_report, name="dashboard_report"),
    path("oidc/authenticate/", oidc.OIDCStart.as_view(), name="oidc_start"),
    path("oidc/callback/", oidc.OIDCCallback.as_view(), name="oidc_callback"),
    path("login/code/", auth.code_login, name="code_login"),
    path("login/verify/", auth.second_factor, name="second_factor"),
    path("password/forgot/", auth.password_forgot, name="password_forgot"),
    path("password/set/", auth.password_set, name="password_set"),
    path("password/change/", auth.password_change, name="password_change"),
    path("account/totp/", auth.totp_enrol, name="totp_enrol"),
    *organisation.urlpatterns,
    *people.urlpatterns,
    *roster.urlpatterns,
    *duties.urlpatterns,
    *access.urlpatterns,
    *reception.urlpatterns,
    *casework.urlpatterns,
    *public.urlpatterns,
]
