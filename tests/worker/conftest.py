"""A real Celery worker process, consuming from the test Redis and writing to the test database."""

import subprocess
import sys
import time

import pytest

from config.celery import app
from tests.conftest import child_env


@pytest.fixture(scope="session")
def celery_worker(django_db_setup):
    app.control.purge()  # nothing left over from an earlier run
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle", "--hostname", "test-worker@%h"],
        env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the Celery worker exited at start:\n" + process.stdout.read())
        if app.control.ping(timeout=0.5):
            break
    else:
        process.kill()
        raise RuntimeError("the Celery worker did not answer a ping within 60 s")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def committed(django_db_blocker):
    """Database access outside the per-test transaction, so the worker sees what the test writes."""
    with django_db_blocker.unblock():
        yield


def wait_for(predicate, timeout: float = 30.0, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")
