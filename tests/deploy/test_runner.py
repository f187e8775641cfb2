"""The embedded runner end to end (`python -m deploy.embedded run`, what ./deploy/start execs), in its own data
folder: a worker killed with SIGKILL is restarted with back-off while the web keeps answering and /healthz
reports it restarting; SIGTERM, or SIGINT to a runner started in the background (SIGINT ignored, as `&` in a
script leaves it), stops every process it started, PostgreSQL and Redis included."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def runner_dir():
    folder = Path(tempfile.mkdtemp(prefix="jzrun-"))  # short: the servers' sockets go inside it
    yield folder
    left = _processes_of(folder)
    for process in left:  # never leave a server behind, even when the test failed
        process.kill()
    shutil.rmtree(folder, ignore_errors=True)


def _start(folder: Path, port: int, *, ignore_sigint: bool = False) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(JIAZHAN_DATA_DIR=str(folder), JIAZHAN_PG_FAST="1", PYTHONUNBUFFERED="1")

    def background():
        os.setsid()
        if ignore_sigint:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    return subprocess.Popen([sys.executable, "-m", "deploy.embedded", "run", "--bind", f"127.0.0.1:{port}",
                             "--web-workers", "1", "--no-demo"], cwd=ROOT, env=env, preexec_fn=background,
                            stdout=open(folder / "runner.log", "w"), stderr=subprocess.STDOUT)


def _healthz(port: int) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except (OSError, ValueError):
        return 0, {}


def _wait(predicate, timeout: float, what: str, folder: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; runner log:\n" + (folder / "runner.log").read_text()[-3000:])


def _processes_of(folder: Path) -> list[psutil.Process]:
    """Every process started for this data folder: its servers name it on their command line, the runner's
    children carry it in their environment."""
    found = []
    for process in psutil.process_iter(["cmdline", "environ"]):
        try:
            cmdline = " ".join(process.info["cmdline"] or [])
            environ = process.info["environ"] or {}
        except (psutil.Error, TypeError):
            continue
        if str(folder) in cmdline or environ.get("JIAZHAN_DATA_DIR") == str(folder):
            found.append(process)
    return [p for p in found if p.pid != os.getpid() and p.status() != psutil.STATUS_ZOMBIE]


def test_a_killed_worker_is_restarted_while_the_web_serves_and_sigterm_stops_everything(runner_dir):
    port = _free_port()
    runner = _start(runner_dir, port)
    try:
        _wait(lambda: _healthz(port)[0] == 200, 300, "a healthy start", runner_dir)
        status = json.loads((runner_dir / "runner-status.json").read_text())
        worker = status["components"]["worker"]["pid"]
        os.kill(worker, signal.SIGKILL)

        def restarting():
            code, body = _healthz(port)  # the web answers all the while
            assert code in (200, 503), body
            return body.get("processes", {}).get("components", {}).get("worker", {}).get("state") == "restarting"

        _wait(restarting, 10, "/healthz to report the worker restarting", runner_dir)

        def healthy_again():
            code, body = _healthz(port)
            worker_now = body.get("processes", {}).get("components", {}).get("worker", {})
            return code == 200 and worker_now.get("state") == "running" and worker_now.get("restarts") == 1

        _wait(healthy_again, 60, "the worker back and /healthz 200", runner_dir)
        assert not psutil.pid_exists(worker) or psutil.Process(worker).status() == psutil.STATUS_ZOMBIE
    finally:
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=60)
    assert runner.returncode == 0
    assert "stopped." in (runner_dir / "runner.log").read_text()
    assert _processes_of(runner_dir) == []


def test_sigint_stops_a_runner_started_in_the_background_even_while_it_starts(runner_dir):
    runner = _start(runner_dir, _free_port(), ignore_sigint=True)
    _wait(lambda: "migrating" in (runner_dir / "runner.log").read_text(), 120, "the runner to start", runner_dir)
    runner.send_signal(signal.SIGINT)
    runner.wait(timeout=60)
    assert "stopped." in (runner_dir / "runner.log").read_text()
    assert _processes_of(runner_dir) == []
