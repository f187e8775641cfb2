"""Load: locust (headless) against gunicorn and a Celery worker on the embedded PostgreSQL and Redis, with
the demo counties: county staff's lists, deputies logging duties, constituents submitting and tracking,
the county's and the province's dashboards (tests/benchmarks/locustfile.py). Prints the errors and the
p50/p95/p99 of every page. Not pass/fail, not in CI.

`tests/benchmarks/run load` runs the issue's 200 users for 10 minutes; shorter:
`tests/benchmarks/run load --users 50 --seconds 60`.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.benchmarks.common import ROOT


def _env() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from deploy.embedded import services

    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env["DATABASE_URL"] = env.get("DATABASE_URL") or services.ensure_postgres()
    env["REDIS_URL"] = env.get("REDIS_URL") or services.ensure_redis()
    env["TRUSTED_PROXIES"] = "127.0.0.1"  # the constituents come through a proxy, each with their address
    env["SIGNIN_SECOND_FACTOR_REQUIRED"] = "false"  # the benchmark's staff sign in with a password alone
    return env


def _wait_up(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/readyz"), timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer on port {port}")


def _print(stats_csv: Path, users: int, seconds: int) -> None:
    rows = list(csv.DictReader(stats_csv.open()))
    print(f"load: {users} users for {seconds} s (locust headless; ms)")
    print(f"  {'page':<36} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>6}")
    for row in rows:
        name = "all pages" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        print(f"  {name:<36} {row['Request Count']:>8} {row['Failure Count']:>6} {row['50%']:>6} "
              f"{row['95%']:>6} {row['99%']:>6} {float(row['Requests/s']):>6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--spawn-rate", type=float, default=10.0)
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    parser.add_argument("--port", type=int, default=8141)
    args = parser.parse_args()
    env = _env()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate_fleet"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    logs = Path(tempfile.mkdtemp(prefix="jiazhan-load-"))
    servers = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/production/gunicorn.conf.py"),
                          "config.wsgi", "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.web_workers),
                          "--access-logfile", "/dev/null"],
                         env=env, cwd=ROOT, stdout=(logs / "web.log").open("w"), stderr=subprocess.STDOUT),
        subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "WARNING",
                          "--concurrency", "1", "--hostname", f"load-{os.getpid()}@%h"],
                         env=env, cwd=ROOT, stdout=(logs / "worker.log").open("w"), stderr=subprocess.STDOUT),
    ]
    try:
        _wait_up(args.port)
        prefix = logs / "locust"
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "tests/benchmarks/locustfile.py"),
                        "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
                        "--run-time", f"{args.seconds}s", "--host", f"http://127.0.0.1:{args.port}",
                        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
                       env=env, cwd=ROOT, check=False, stdout=(logs / "locust.log").open("w"),
                       stderr=subprocess.STDOUT)
        _print(Path(f"{prefix}_stats.csv"), args.users, args.seconds)
        failures = Path(f"{prefix}_failures.csv")
        failed = list(csv.DictReader(failures.open())) if failures.exists() else []
        if failed:
            print("  failures:")
            for row in failed[:20]:
                print(f"    {row['Occurrences']:>5} x {row['Method']} {row['Name']}: {row['Error'][:100]}")
        print(f"  logs: {logs}")
    finally:
        for process in servers:
            process.send_signal(signal.SIGTERM)
        for process in servers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
