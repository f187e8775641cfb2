"""Sign-in through the province's identity provider (OpenID Connect, mozilla-django-oidc): optional, on when
every OIDC_* variable below is set, and start-up stops when only some are (half a configuration would
show a button that cannot work). Accounts are matched by the mobile number in the `phone_number` claim;
none is ever created (access.oidc)."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str

_REQUIRED = ["OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT",
             "OIDC_OP_JWKS_ENDPOINT", "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET"]
_values = {name: env_str(name) for name in _REQUIRED}
_given = [name for name, value in _values.items() if value]
if _given and len(_given) != len(_REQUIRED):
    missing = ", ".join(name for name in _REQUIRED if name not in _given)
    raise ImproperlyConfigured(f"OpenID Connect is half configured: set {missing} as well (or none of OIDC_*)")

OIDC_ENABLED = bool(_given)
OIDC_OP_AUTHORIZATION_ENDPOINT = _values["OIDC_OP_AUTHORIZATION_ENDPOINT"]
OIDC_OP_TOKEN_ENDPOINT = _values["OIDC_OP_TOKEN_ENDPOINT"]
OIDC_OP_USER_ENDPOINT = _values["OIDC_OP_USER_ENDPOINT"]
OIDC_OP_JWKS_ENDPOINT = _values["OIDC_OP_JWKS_ENDPOINT"]
OIDC_RP_CLIENT_ID = _values["OIDC_RP_CLIENT_ID"]
OIDC_RP_CLIENT_SECRET = _values["OIDC_RP_CLIENT_SECRET"]
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid phone")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_CREATE_USER = False  # never: a person is given a role by the county first (access.oidc)
OIDC_AUTHENTICATION_CALLBACK_URL = "frontend:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/?oidc=failed"
# The claim that carries the mobile number, and the backend that reads it.
OIDC_PHONE_CLAIM = env_str("OIDC_PHONE_CLAIM", "phone_number")
OIDC_BACKEND = "access.oidc.ProvincialOIDCBackend"
