"""PostgreSQL restarted: web and worker recover unattended.

A dedicated cluster and Redis (the embedded ones of a temporary data folder, as ./deploy/start makes them) serve
a gunicorn and a Celery worker started here; the cluster is really stopped and started again while they run.
Django's persistent connections (CONN_MAX_AGE) are checked before each request and task (CONN_HEALTH_CHECKS),
so the first request and the first task after the restart get a new connection instead of an error.
Beat keeps its schedule in a file and only publishes to Redis: a database restart does not concern it."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _embedded(env: dict, code: str) -> None:
    subprocess.run([sys.executable, "-c", f"from deploy.embedded import services as s; {code}"],
                   env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)


def _psql(env: dict, sql: str) -> str:
    """Run `sql` on the dedicated cluster from a fresh connection; the rows it returns, as text."""
    code = ("import os, psycopg; c = psycopg.connect(os.environ['DATABASE_URL'].replace('postgres://', "
            "'postgresql://', 1), autocommit=True); cur = c.execute(os.environ['SQL']); "
            "print(cur.fetchall() if cur.description else '')")
    out = subprocess.run([sys.executable, "-c", code], env={**env, "SQL": sql}, cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def dedicated():
    folder = Path(tempfile.mkdtemp(prefix="jzpg-"))
    folder.chmod(0o755)  # PostgreSQL runs as the pgserver user when the suite runs as root
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(JIAZHAN_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="config.settings", TENANT_SPARE_SCHEMAS="0")
    urls = subprocess.run([sys.executable, "-m", "deploy.embedded", "services"], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=180).stdout
    for line in urls.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value.strip("'")
    processes: list[subprocess.Popen] = []
    try:
        subprocess.run([sys.executable, "manage.py", "migrate_fleet", "--no-spares"], env=env, cwd=ROOT,
                       check=True, capture_output=True, timeout=240)
        yield env, processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run([sys.executable, "-m", "deploy.embedded", "stop"], env=env, cwd=ROOT, capture_output=True,
                       timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def test_web_and_worker_serve_again_after_postgresql_restarts(dedicated):
    env, processes = dedicated
    port = _free_port()
    processes.append(subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    processes.append(subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def worker_sweeps(mark: str) -> None:
        """A task that reads and writes the public schema: the sweep drops the mark of a schema that is no county."""
        _psql(env, f"INSERT INTO tenants_pendingoutbox (schema_name, marked_at) VALUES ('{mark}', now())")
        subprocess.run([sys.executable, "-c", "import django; django.setup(); from tenants.tasks import "
                        "fan_out_pending; fan_out_pending.delay('notifications.tasks.deliver_pending')"],
                       env=env, cwd=ROOT, check=True, capture_output=True, timeout=60)
        _wait(lambda: _psql(env, f"SELECT 1 FROM tenants_pendingoutbox WHERE schema_name = '{mark}'") == "[]",
              f"the worker's sweep ({mark})")

    _wait(lambda: _get(port, "/readyz") == 200, "the web before the restart")
    worker_sweeps("gone-before")  # both hold a database connection now (CONN_MAX_AGE)

    _embedded(env, "s.stop_postgres()")
    assert _get(port, "/readyz") != 200  # down: answered (503), not hung
    _embedded(env, "s.ensure_postgres()")

    assert _get(port, "/readyz") == 200  # the very first request after the restart
    worker_sweeps("gone-after")
