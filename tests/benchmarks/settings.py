"""Benchmark settings: the project's own, plus a county app whose migrations the benchmark writes, and
three ways of serving a county page (JIAZHAN_BENCH_VARIANT):

ours    the project's backend and middleware (tenants.db, tenants.middleware.CountyMiddleware)
stock   django-tenants as shipped (its backend and TenantMainMiddleware)
single  plain Django on one schema: the baseline the other two are compared with
full    the project's backend, middleware and URLs (bench_citus: the real county pages and dashboard)
"""

import os
import sys

from config.settings import *  # noqa: F403
from config.settings import DATABASES, MIDDLEWARE, SHARED_APPS, TENANT_APPS

VARIANT = os.environ.get("JIAZHAN_BENCH_VARIANT", "ours")
MIGRATIONS_DIR = os.environ.get("JIAZHAN_BENCH_MIGRATIONS")
if MIGRATIONS_DIR and MIGRATIONS_DIR not in sys.path:
    sys.path.insert(0, MIGRATIONS_DIR)

TENANT_APPS = [*TENANT_APPS, "tests.benchmarks.benchapp"]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]
MIGRATION_MODULES = {"benchapp": "bench_migrations"}
if VARIANT != "full":
    ROOT_URLCONF = "tests.benchmarks.urls"
    PUBLIC_SCHEMA_URLCONF = "tests.benchmarks.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

if VARIANT == "stock":
    DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
    MIDDLEWARE = ["django_tenants.middleware.main.TenantMainMiddleware", *MIDDLEWARE[1:]]
elif VARIANT == "single":
    schema = os.environ["JIAZHAN_BENCH_SCHEMA"]
    DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"],
                                       "options": f"-c search_path={schema},public"}
    MIDDLEWARE = MIDDLEWARE[1:]
