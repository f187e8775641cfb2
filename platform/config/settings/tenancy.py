"""django-tenants: which apps live in the public schema and which in every county schema."""

from config.env import env_int

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.admin",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Per account, so in the public schema: a lock or a TOTP device holds on every county's host.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "frontend",
    "api",
    "workdays",
    # The platform's own outbox (public schema): notices to upper-tier staff and their units, delivered as the
    # counties' are (the same model, services and tasks; tenants.tasks.fan_out_pending drives "public" too).
    "notifications",
]

# Sessions live in every schema as well: a county's session table knows only its own sessions, so a
# cookie replayed on another county's host authenticates nobody.
TENANT_APPS = [
    "django.contrib.sessions",
    "guardian",
    "organisation",
    "people",
    "access",
    "audit",
    "notifications",
    "reception",
    "duties",
    "casework",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.County"
TENANT_DOMAIN_MODEL = "tenants.Domain"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Stock django-tenants clones this schema in create_schema(); ours is made and kept current by
# tenants.services.fleet, and counties are made from it by tenants.orchestration.provisioning.
TENANT_TEMPLATE_SCHEMA = "county_template"
# How long a web process trusts its cached host -> county lookup before asking the database again.
TENANT_CACHE_SECONDS = env_int("TENANT_CACHE_SECONDS", 30)
# Never turn on TENANT_LIMIT_SET_CALLS: see tenants/db/base.py for the safe equivalent.
# Ready-made county schemas kept for provisioning (0: clone the template at provisioning time).
TENANT_SPARE_SCHEMAS = env_int("TENANT_SPARE_SCHEMAS", 2)
