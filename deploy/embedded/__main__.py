"""The embedded runner: `python -m deploy.embedded run|services|citus|stop|backup|restore`.

run       start PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL point elsewhere), migrate the
          fleet, then run web (gunicorn), a Celery worker and beat, each restarted with back-off when it
          exits (supervisor.py), until SIGINT or SIGTERM; the demo data (not with --no-demo) loads beside
          them, so /healthz answers while it loads (the demo's hosts answer once it is in).
services  only make sure the embedded servers are up, and print their URLs as shell exports.
citus     start the embedded Citus cluster (building Citus once) and prepare a database on every node
          (--fresh: dropped first); prints its DATABASE_URL.
stop      stop the embedded servers of the data folder (the Citus cluster's too).
backup    the whole deployment (pg_dumpall of the cluster, and the media folder) to one file (backup.py).
restore   such a file into a fresh data folder, before its first start.

`run --citus` (or JIAZHAN_DB=citus) runs the platform on the embedded Citus cluster instead of one server.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import backup, citus, services
from .supervisor import Supervisor

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


class _Stop(Exception):
    """Raised by the signal handler while the runner is still starting (a migration, the demo seeding)."""


def run(bind: str, web_workers: int, demo: bool = True) -> int:
    started_here = not os.environ.get("DATABASE_URL"), not os.environ.get("REDIS_URL")
    supervisor: Supervisor | None = None
    seeding: subprocess.Popen | None = None
    stopping = False
    starting = True

    def _stop(signum, frame):
        # Installed explicitly for both signals: a runner put in the background with `&` by a
        # non-interactive shell starts with SIGINT ignored, and `kill -INT` must stop it all the same.
        nonlocal stopping
        stopping = True
        if starting:
            raise _Stop

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    exit_code = 0
    try:
        print("[jiazhan] starting PostgreSQL and Redis ...", flush=True)
        env = _service_env()
        env["JIAZHAN_PORT"] = bind.rsplit(":", 1)[-1]
        status_file = services.data_dir() / "runner-status.json"
        env["JIAZHAN_RUNNER_STATUS"] = str(status_file)
        print("[jiazhan] migrating the public schema, the county template and every county ...", flush=True)
        _manage(env, "migrate_fleet", "--no-spares")  # the spare schemas: beat's refill, once it runs
        supervisor = Supervisor(_commands(bind, web_workers), env=env, cwd=ROOT, status_file=status_file)
        supervisor.start_all()
        if demo:
            print("[jiazhan] loading the demo counties beside the running platform ...", flush=True)
            seeding = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "seed_demo"], env=env, cwd=ROOT)
        starting = False
        print(f"[jiazhan] up: http://localhost:{env['JIAZHAN_PORT']}/ (platform)"
              + (f", http://dongkou.localhost:{env['JIAZHAN_PORT']}/ (demo county, once loaded)" if demo else "")
              + ". Ctrl-C stops everything.", flush=True)
        while not stopping:
            supervisor.tick()
            if seeding is not None and seeding.poll() is not None:
                if seeding.returncode:
                    print(f"[jiazhan] loading the demo failed (exit {seeding.returncode}); the platform keeps "
                          "running: `manage.py seed_demo` loads it again", flush=True)
                seeding = None
            time.sleep(0.5)
    except _Stop:
        pass
    except subprocess.CalledProcessError as exc:
        print(f"[jiazhan] {' '.join(exc.cmd[1:])} failed (exit {exc.returncode})", flush=True)
        exit_code = exc.returncode
    finally:
        starting = False  # a second signal while stopping must not interrupt the clean-up
        print("[jiazhan] stopping ...", flush=True)
        if seeding is not None and seeding.poll() is None:
            seeding.terminate()  # its one transaction rolls back; the next start loads the demo again
            seeding.wait()
        if supervisor is not None:
            supervisor.stop_all()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.embedded")
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run")
    run_parser.add_argument("--bind", default=os.environ.get("JIAZHAN_BIND", "127.0.0.1:8000"))
    run_parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    run_parser.add_argument("--no-demo", action="store_true", help="do not load the demo counties")
    run_parser.add_argument("--citus", action="store_true",
                            help="a Citus coordinator and two workers instead of one PostgreSQL (JIAZHAN_DB=citus)")
    sub.add_parser("services")
    citus_parser = sub.add_parser("citus")
    citus_parser.add_argument("--database", default=services.DATABASE_NAME)
    citus_parser.add_argument("--fresh", action="store_true", help="drop the database on every node first")
    sub.add_parser("stop")
    sub.add_parser("backup").add_argument("--out", required=True, type=Path)
    sub.add_parser("restore").add_argument("--file", required=True, type=Path)
    args = parser.parse_args(argv)
    if args.command == "run":
        if args.citus:
            os.environ["JIAZHAN_DB"] = "citus"
        return run(args.bind, args.web_workers, demo=not args.no_demo)
    if args.command == "services":
        env = _service_env()
        print(f"export DATABASE_URL='{env['DATABASE_URL']}'\nexport REDIS_URL='{env['REDIS_URL']}'")
        return 0
    if args.command == "backup":
        made = backup.backup(args.out)
        print(f"[jiazhan] {args.out}: the cluster ({made['bytes']} bytes of SQL) and {made['media_files']} media files")
        return 0
    if args.command == "restore":
        backup.restore(args.file)
        print(f"[jiazhan] restored {args.file} into {services.data_dir()}; ./deploy/start runs it")
        return 0
    if args.command == "citus":
        try:
            citus.start_nodes()
            if args.fresh:
                citus.drop_database(args.database)
            citus.ensure_database(args.database)
        except services.EmbeddedError as exc:
            print(f"[jiazhan] the Citus cluster is not ready: {exc}", file=sys.stderr)
            return 1
        print(f"export DATABASE_URL='{citus.url(args.database)}'")
        return 0
    services.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
