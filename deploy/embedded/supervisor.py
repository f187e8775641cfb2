"""Supervision of the runner's processes (web, worker, beat): one that exits is started again after a
back-off (1 s, 2 s, 4 s … capped) while the others keep serving, and a status file says what is running.

A small loop rather than supervisord or honcho: honcho stops everything when one process exits (what the
runner did before), and supervisord needs its own daemon, configuration and socket; the runner already owns
the children and the servers' lifecycle, so forty lines of loop keep it one process with one signal story.

The status file (JSON, written atomically) is read by /healthz (frontend.views.health), found through the
JIAZHAN_RUNNER_STATUS variable the runner gives its children:
{"runner_pid": …, "components": {"worker": {"state": "running"|"restarting", "restarts": 2, "pid": …}}}.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

BACKOFF_FIRST = 1.0
BACKOFF_CAP = 30.0
STABLE_AFTER = 60.0  # a process that ran this long before exiting starts again at the first back-off


@dataclass
class Component:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    restarts: int = 0
    backoff: float = BACKOFF_FIRST
    started_at: float = 0.0
    restart_at: float | None = None
    last_exit: int | None = None
    log: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        return "running" if self.process is not None and self.process.poll() is None else "restarting"


class Supervisor:
    def __init__(self, commands: dict[str, list[str]], *, env: dict[str, str], cwd: Path, status_file: Path):
        self.components = {name: Component(name, command) for name, command in commands.items()}
        self.env, self.cwd, self.status_file = env, cwd, status_file

    def start_all(self) -> None:
        for component in self.components.values():
            self._start(component)
        self.write_status()

    def _start(self, component: Component) -> None:
        # Each child in its own process group: a signal reaches it only through us, and what it leaves
        # behind (a killed worker's pool processes) can be cleared as one group.
        component.process = subprocess.Popen(component.command, env=self.env, cwd=self.cwd, start_new_session=True)
        component.started_at = time.monotonic()
        component.restart_at = None

    def tick(self) -> None:
        """Notice exits, start what is due; call it every half second or so."""
        now = time.monotonic()
        changed = False
        for c in self.components.values():
            if c.process is not None and c.restart_at is None and c.process.poll() is not None:
                c.last_exit = c.process.returncode
                _kill_group(c.process.pid, signal.SIGKILL)  # its orphans, if any
                if now - c.started_at >= STABLE_AFTER:
                    c.backoff = BACKOFF_FIRST
                c.restart_at = now + c.backoff
                print(f"[jiazhan] {c.name} exited with {c.last_exit}; restarting in {c.backoff:g} s", flush=True)
                c.backoff = min(c.backoff * 2, BACKOFF_CAP)
                changed = True
            elif c.restart_at is not None and now >= c.restart_at:
                c.restarts += 1
                self._start(c)
                print(f"[jiazhan] {c.name} started again (restart {c.restarts})", flush=True)
                changed = True
        if changed:
            self.write_status()

    def write_status(self) -> None:
        body = {"runner_pid": os.getpid(), "updated": time.time(), "components": {
            c.name: {"state": c.state, "restarts": c.restarts, "pid": c.process.pid if c.process else None,
                     "last_exit": c.last_exit} for c in self.components.values()}}
        temporary = self.status_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(body))
        temporary.replace(self.status_file)

    def stop_all(self, timeout: float = 15.0) -> None:
        running = [c.process for c in self.components.values() if c.process is not None]
        for process in running:
            if process.poll() is None:
                _kill_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _kill_group(process.pid, signal.SIGKILL)  # whatever of its group outlived the grace period
            process.wait()
        self.status_file.unlink(missing_ok=True)


def _kill_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def read_status(path: str | os.PathLike | None) -> dict | None:
    """The runner's status file, or None when there is no live runner (no file, or its runner is gone)."""
    if not path:
        return None
    try:
        body = json.loads(Path(path).read_text())
        os.kill(int(body["runner_pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return body
