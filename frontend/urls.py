from django.urls import path

from .routes import access, casework, organisation, people, roster
from .views import auth, home

app_name = "frontend"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    *organisation.urlpatterns,
    *people.urlpatterns,
    *roster.urlpatterns,
    *access.urlpatterns,
    *casework.urlpatterns,
]
