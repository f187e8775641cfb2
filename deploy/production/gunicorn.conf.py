"""gunicorn settings for the Jiazhan web role: `gunicorn -c deploy/production/gunicorn.conf.py config.wsgi:application`.

Every knob comes from the environment, with a production default. gunicorn sits behind nginx (or an
ingress controller) that buffers requests and responses, so plain sync workers are enough: a slow
client never ties up a worker.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# WEB_CONCURRENCY: worker processes per container. Not derived from os.cpu_count(): in a container that
# is the host's CPU count, not the container's CPU limit. Each worker keeps one persistent database
# connection (CONN_MAX_AGE), so replicas x WEB_CONCURRENCY must fit the PostgreSQL/PgBouncer pool.
workers = _int("WEB_CONCURRENCY", 3)
worker_class = "sync"
threads = 1

# A request that takes longer than this is killed (its worker restarted). Keep nginx's proxy_read_timeout
# a little above it so nginx reports the gunicorn timeout rather than cutting the connection first.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (a rollout), workers finish in-flight requests for up to this long. Kubernetes'
# terminationGracePeriodSeconds and compose's stop_grace_period are set above it.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Recycle workers now and then, so a slow leak cannot grow without bound; the jitter keeps them from
# all restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The worker heartbeat file: /dev/shm is memory-backed. On a disk-backed (or overlay) /tmp, a stalled
# write can make the arbiter think a healthy worker hung and kill it.
worker_tmp_dir = "/dev/shm"

# Not preloading: the application is imported in each worker after the fork, so no database or Redis
# socket opened during start-up can end up shared between processes.
preload_app = False

# Logs to stdout/stderr, for the container runtime to collect.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%({host}i)s" "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
proc_name = "jiazhan-web"

# The proxy in front sets X-Forwarded-Proto. gunicorn only believes it from these addresses; "*" is
# right when only the proxy can reach port 8000 (compose's private network, or a Kubernetes
# NetworkPolicy). Narrow it with FORWARDED_ALLOW_IPS (e.g. the ingress controller's pod CIDR).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")

# gunicorn >= 25.1 opens a control socket under $HOME by default; the image's home is read-only and
# nothing here uses gunicornc.
control_socket_disable = True
