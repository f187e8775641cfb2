"""Django core: security, middleware, templates, locale, static files."""

import ipaddress
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

ROOT_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = Path(env_str("JIAZHAN_DATA_DIR") or ROOT_DIR / ".data").resolve()

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; the embedded default keeps a generated one in .data/."""
    value = env_str("SECRET_KEY")
    if value:
        return value
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

# The platform host serves the platform and the provincial views; <county>.<PLATFORM_HOST> a county.
PLATFORM_HOST = env_str("PLATFORM_HOST", "localhost")
# The port in links sent by SMS (invitations), when browsers reach the hosts on a non-standard one.
PUBLIC_PORT = env_str("PUBLIC_PORT", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [PLATFORM_HOST, f".{PLATFORM_HOST}", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Proxies (addresses or CIDRs) whose X-Forwarded-For / X-Real-IP is believed (core.http.client_address).
# Empty: every address is the socket's peer, whatever the headers say.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or a CIDR") from None

MIDDLEWARE = [
    "tenants.middleware.CountyMiddleware",
    # The client address every audit row of the request carries (audit.context).
    "audit.middleware.AuditContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end after idle minutes (a county rule) and every session after SESSION_ABSOLUTE_SECONDS;
    # accounts that need a second factor see only the second-factor pages until they pass it.
    "access.middleware.SigninMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a lockout seen by the login into the Chinese lockout page (axes' own middleware).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls.county"
PUBLIC_SCHEMA_URLCONF = "config.urls.platform"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context.site",
            ],
        },
    },
]

AUTH_USER_MODEL = "tenants.Account"
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked account before a password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "access.backends.CountyScopedBackend",
    "access.backends.SmsCodeBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("JIAZHAN_FAST_PASSWORD_HASHER", False):
    # Test runs only (tests/run sets it): thousands of logins in the permission matrix would spend
    # minutes in argon2. Never set in production.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "access.passwords.LettersAndDigitsValidator"},
    {"NAME": "access.passwords.NotPersonalValidator"},
]
LOGIN_URL = "frontend:login"
LOGIN_REDIRECT_URL = "frontend:home"
LOGOUT_REDIRECT_URL = "frontend:login"

# django-guardian: its anonymous-user row cannot be made with a mobile-number login field, and the
# failed insert would poison an enclosing transaction (e.g. provisioning).
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [ROOT_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (production: deploy/production sets SECURE_COOKIES=true): secure cookies and HSTS.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0  # every county is a subdomain of the platform host
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# A session ends this long after its sign-in, however active (access.middleware); staff sessions end
# earlier when idle (access.models.SigninRule.idle_minutes, per county, default 30).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 60 * 60 * 12)
# A station's touch screen (/kiosk/<station>/) clears itself and returns to its start after this long untouched
# (frontend.views.public.kiosk; `?idle=N` on the kiosk's address sets it for one screen).
KIOSK_IDLE_SECONDS = env_int("KIOSK_IDLE_SECONDS", 60)

# Content-Security-Policy (django-csp 4), everywhere: every asset is vendored and served by us, and no
# template carries inline script or style (tests/auth/test_hardening.py renders the pages and checks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sign-in lockout (django-axes): 5 failures within 15 minutes lock the account (not the address: a county
# office shares one address) for 15 minutes; its tables live in the public schema, so the lock holds on
# every host. Per address, access.signin counts failures with a higher limit. An administrator unlocks.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "mobile"
AXES_USERNAME_CALLABLE = "access.signin.signin_username"
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
AXES_LOCKOUT_CALLABLE = "frontend.views.auth.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # locked for 15 minutes, not for ever under attack
AXES_DISABLE_ACCESS_LOG = True  # the county's audit rows are the sign-in log
AXES_VERBOSE = False
# axes.W006 asks for an address lockout too; ours counts per address with a higher limit (access.signin).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Second factor (TOTP via django-otp, or an SMS code on county hosts): required of county administrators,
# upper-tier staff and platform operators; optional for everyone else.
SIGNIN_SECOND_FACTOR_REQUIRED = env_bool("SIGNIN_SECOND_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "家站"

# Audit rows are kept this many days (at least 180: the issue's floor), then archived to gzip JSON-lines
# files under AUDIT_ARCHIVE_DIR/<schema>/audit-archive/ and removed from the table (audit.archiving).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)
AUDIT_ARCHIVE_DIR = Path(env_str("AUDIT_ARCHIVE_DIR") or MEDIA_ROOT)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "ERROR"}},
}
