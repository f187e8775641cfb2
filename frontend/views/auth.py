from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from frontend.forms import MobileLoginForm


class LoginView(DjangoLoginView):
    template_name = "frontend/login.html"
    authentication_form = MobileLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.OIDC_ENABLED,
                "oidc_failed": self.request.GET.get("oidc") == "failed"}


@require_POST
def logout_view(request):
    logout(request)
    return redirect("frontend:login")
