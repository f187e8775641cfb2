"""The two steps of signing in through the provincial identity provider (mozilla-django-oidc's views),
present only when OpenID Connect is configured (config.settings.oidc); otherwise 404."""

from django.conf import settings
from django.http import Http404
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


class _Enabled:
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OIDCStart(_Enabled, OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):  # the parent reads settings that exist only when enabled
        if settings.OIDC_ENABLED:
            super().__init__(*args, **kwargs)


class OIDCCallback(_Enabled, OIDCAuthenticationCallbackView):
    pass
