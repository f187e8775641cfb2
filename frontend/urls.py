from django.urls import path

from .routes import access, casework, duties, organisation, people, reception, roster
from .views import auth, home, oidc

app_name = "frontend"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("oidc/authenticate/", oidc.OIDCStart.as_view(), name="oidc_start"),
    path("oidc/callback/", oidc.OIDCCallback.as_view(), name="oidc_callback"),
    *organisation.urlpatterns,
    *people.urlpatterns,
    *roster.urlpatterns,
    *duties.urlpatterns,
    *access.urlpatterns,
    *reception.urlpatterns,
    *casework.urlpatterns,
]
