"""Settings come from the environment and fail loudly on bad values."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    celery_broker_url,
    check_redis_url,
    env_bool,
    env_int,
    parse_database_url,
    redis_url_with_db,
)


def test_database_url_with_host_and_port():
    parsed = parse_database_url("postgres://jz:p%40ss@db.internal:6432/jiazhan?sslmode=require")
    assert parsed == {"NAME": "jiazhan", "USER": "jz", "PASSWORD": "p@ss", "HOST": "db.internal",
                      "PORT": "6432", "OPTIONS": {"sslmode": "require"}}


def test_database_url_with_unix_socket():
    parsed = parse_database_url("postgres://postgres@/jiazhan?host=/tmp/sock")
    assert parsed["HOST"] == "/tmp/sock" and parsed["NAME"] == "jiazhan" and parsed["OPTIONS"] == {}


@pytest.mark.parametrize("url,needle", [
    ("mysql://u@h/db", "must start with postgres://"),
    ("postgres://u@h", "names no database"),
    ("postgres://u@h:notaport/db", "bad port"),
])
def test_bad_database_url_is_refused(url, needle):
    with pytest.raises(ImproperlyConfigured, match=needle):
        parse_database_url(url)


def test_bad_booleans_and_integers_are_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", False)
    monkeypatch.setenv("CONN_MAX_AGE", "ten")
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE must be an integer"):
        env_int("CONN_MAX_AGE", 0)


def test_redis_urls():
    assert redis_url_with_db("redis://cache:6379", 1) == "redis://cache:6379/1"
    assert redis_url_with_db("unix:///run/redis.sock", 1) == "unix:///run/redis.sock?db=1"
    assert celery_broker_url("unix:///run/redis.sock") == "redis+socket:///run/redis.sock"
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with"):
        check_redis_url("http://cache")


def test_bad_database_url_stops_start_up_with_a_message():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "mysql://x@y/z", "REDIS_URL": "redis://127.0.0.1:1"},
    )
    assert result.returncode != 0
    assert "DATABASE_URL must start with postgres://" in result.stderr


def test_half_an_openid_connect_configuration_stops_start_up():
    """Only some OIDC_* variables set: start-up names the missing ones."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "OIDC_RP_CLIENT_ID": "jiazhan", "DATABASE_URL": "postgres://x@127.0.0.1/x",
           "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = subprocess.run([sys.executable, "-c", "import config.settings"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and "OIDC_OP_TOKEN_ENDPOINT" in result.stderr
