from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api.views.accounts import CountyViewSet, CurrentCountyView, MembershipViewSet, MeView, SigninRuleView
from api.views.audit import AuditListView, TokenViewSet

router = SimpleRouter()
router.register("memberships", MembershipViewSet, basename="membership")
router.register("counties", CountyViewSet, basename="county")
router.register("tokens", TokenViewSet, basename="token")

app_name = "api"

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("signin-rule/", SigninRuleView.as_view(), name="signin-rule"),
    path("county/", CurrentCountyView.as_view(), name="county"),
    path("audit/", AuditListView.as_view(), name="audit"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script from a URL: the Content-Security-Policy allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    path("", include(router.urls)),
    path("", include("api.routes.organisation")),
    path("", include("api.routes.people")),
    path("", include("api.routes.roster")),
    path("", include("api.routes.reception")),
    path("", include("api.routes.duties")),
    path("", include("api.routes.casework")),
    path("", include("api.routes.figures")),
    path("", include("api.routes.online")),
]
