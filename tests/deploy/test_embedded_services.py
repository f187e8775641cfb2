"""The embedded default: real PostgreSQL and Redis from wheels, restartable after a crash."""

import os
import signal
import time

import psycopg
import pytest
import redis

from deploy.embedded import services


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("JIAZHAN_DATA_DIR", str(folder))
    monkeypatch.delenv("JIAZHAN_PG_FAST", raising=False)  # durable, as the runner starts it
    yield folder
    services.stop_all()


def _postmaster_pid(folder) -> int:
    return int((folder / "postgres" / "postmaster.pid").read_text().splitlines()[0])


def test_postgres_starts_is_reused_and_survives_a_crash(data_dir):
    url = services.ensure_postgres()
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.execute("CREATE TABLE kept (n int)")
        conn.execute("INSERT INTO kept VALUES (42)")
        conn.commit()
    assert services.ensure_postgres() == url  # already running: reused, not restarted
    pid = _postmaster_pid(data_dir)
    os.kill(pid, signal.SIGKILL)  # a crash leaves postmaster.pid behind
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    assert (data_dir / "postgres" / "postmaster.pid").exists()
    services.ensure_postgres()
    assert _postmaster_pid(data_dir) != pid
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        assert conn.execute("SELECT n FROM kept").fetchone() == (42,)


def test_redis_starts_keeps_data_across_restarts(data_dir):
    url = services.ensure_redis()
    client = redis.Redis.from_url(url)
    client.set("kept", "yes")
    services.stop_redis()
    assert not services._redis_ready()
    services.ensure_redis()
    assert redis.Redis.from_url(url).get("kept") == b"yes"
