"""Backing services: PostgreSQL, Redis (cache and Celery broker), Celery."""

from config.env import (
    celery_broker_url,
    check_redis_url,
    env_bool,
    env_int,
    env_str,
    parse_database_url,
    redis_url_with_db,
)


def _database_url() -> str:
    url = env_str("DATABASE_URL")
    if url:
        return url
    from deploy.embedded.services import ensure_postgres

    return ensure_postgres()


def _redis_url() -> str:
    url = env_str("REDIS_URL")
    if url:
        return check_redis_url(url)
    from deploy.embedded.services import ensure_redis

    return ensure_redis()


DATABASE_URL = _database_url()
REDIS_URL = _redis_url()

DATABASES = {
    "default": {
        **parse_database_url(DATABASE_URL),
        "ENGINE": "tenants.db",
        # Persistent connections: with 0, every request pays a new connection.
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 300),
        "CONN_HEALTH_CHECKS": True,
    }
}
ORIGINAL_BACKEND = "django.db.backends.postgresql"

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url_with_db(REDIS_URL, 1),
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
    }
}

# A cache outage degrades (misses) instead of failing requests.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True

CELERY_BROKER_URL = celery_broker_url(REDIS_URL if REDIS_URL.startswith("unix://") else redis_url_with_db(REDIS_URL, 0))
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME")
# A web request must not hang on a broker that is down: publishing gives up after a few seconds.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}

# Where each channel of the outbox (notifications) is delivered; the embedded gateways record and print.
NOTIFICATION_GATEWAYS = {
    "sms": env_str("SMS_GATEWAY") or "notifications.gateways.embedded.EmbeddedGateway",
    "in_app": "notifications.gateways.embedded.InAppGateway",
}
