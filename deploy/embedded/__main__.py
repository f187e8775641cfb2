"""The embedded runner: `python -m deploy.embedded run|services|stop`.

run       start PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL point elsewhere), migrate the
          fleet, load the demo data, then run web (gunicorn), a Celery worker and beat until Ctrl-C.
services  only make sure the embedded servers are up, and print their URLs as shell exports.
stop      stop the embedded servers of the data folder.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from . import services

ROOT = services.ROOT


def _service_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = services.ensure_postgres()
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = services.ensure_redis()
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def run(bind: str, web_workers: int) -> int:
    started_here = not os.environ.get("DATABASE_URL"), not os.environ.get("REDIS_URL")
    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    exit_code = 0
    try:
        print("[jiazhan] starting PostgreSQL and Redis ...", flush=True)
        env = _service_env()
        env["JIAZHAN_PORT"] = bind.rsplit(":", 1)[-1]
        print("[jiazhan] migrating the public schema, the county template and every county ...", flush=True)
        _manage(env, "migrate_fleet")
        _manage(env, "seed_demo")
        for name, command in _commands(bind, web_workers).items():
            # Each child in its own process group: Ctrl-C reaches them only through us, in order.
            children[name] = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
        print(f"[jiazhan] up: http://localhost:{env['JIAZHAN_PORT']}/ (platform), "
              f"http://dongkou.localhost:{env['JIAZHAN_PORT']}/ (demo county). Ctrl-C stops everything.",
              flush=True)
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"[jiazhan] {name} exited with {child.returncode}; stopping the rest", flush=True)
                    exit_code = child.returncode or 1
                    stopping = True
                    break
            time.sleep(0.5)
    except subprocess.CalledProcessError as exc:
        print(f"[jiazhan] {' '.join(exc.cmd[1:])} failed (exit {exc.returncode})", flush=True)
        exit_code = exc.returncode
    finally:
        print("[jiazhan] stopping ...", flush=True)
        _stop_children(children)
        if started_here[1]:
            services.stop_redis()
        if started_here[0]:
            services.stop_postgres()
        print("[jiazhan] stopped.", flush=True)
    return exit_code


def _commands(bind: str, web_workers: int) -> dict[str, list[str]]:
    beat_schedule = services.data_dir() / "celerybeat-schedule"
    return {
        "web": [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", bind, "--workers", str(web_workers),
                "--access-logfile", "-", "--graceful-timeout", "5"],
        "worker": [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO",
                   "--concurrency", "2", "--hostname", "worker@%h"],
        "beat": [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
                 "--schedule", str(beat_schedule)],
    }


def _stop_children(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.embedded")
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run")
    run_parser.add_argument("--bind", default=os.environ.get("JIAZHAN_BIND", "127.0.0.1:8000"))
    run_parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    sub.add_parser("services")
    sub.add_parser("stop")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args.bind, args.web_workers)
    if args.command == "services":
        env = _service_env()
        print(f"export DATABASE_URL='{env['DATABASE_URL']}'\nexport REDIS_URL='{env['REDIS_URL']}'")
        return 0
    services.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
