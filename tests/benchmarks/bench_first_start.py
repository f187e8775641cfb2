"""The first start of a fresh clone: `./deploy/start` on an empty data folder until `/healthz` answers 200
(web, worker, beat, database and broker up), and until the demo is loaded; then the log lines of the first
minute after healthz. Run: `tests/benchmarks/run first-start` (or `python -m tests.benchmarks.bench_first_start
--runs 1 --port 8131`). Not pass/fail; the target is healthz 200 within 60 s on a quiet 2-core machine."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

from tests.benchmarks.common import ROOT

SEEDED = "演示账号"  # seed_demo's first line: the demo is loaded


def _healthz(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://localhost:{port}/healthz", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def first_start(port: int, quiet_seconds: float) -> dict[str, float]:
    data = ROOT / ".data" / f"first-start-{os.getpid()}"  # not mkdtemp: PostgreSQL's own user must get in
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["JIAZHAN_DATA_DIR"] = str(data)
    lines: list[tuple[float, str]] = []
    started = time.monotonic()
    process = subprocess.Popen([str(ROOT / "deploy" / "start"), "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append((time.monotonic() - started, line.rstrip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    figures: dict[str, float] = {}
    try:
        deadline = started + 600
        while time.monotonic() < deadline and process.poll() is None:
            if "healthz" not in figures and _healthz(port) == 200:
                figures["healthz"] = time.monotonic() - started
            seeded = next((t for t, line in lines if SEEDED in line), None)
            if seeded is not None:
                figures["seeded"] = seeded
            if "healthz" in figures and "seeded" in figures:
                break
            time.sleep(0.25)
        if "healthz" in figures:
            time.sleep(quiet_seconds)
            since = max(figures["healthz"], figures.get("seeded", 0))
            figures["lines_after"] = sum(1 for t, _line in lines if t > since)
        figures["lines_total"] = len(lines)
        for t, line in lines:
            if line.startswith("[jiazhan]") and t <= figures.get("healthz", 0) + 1:
                print(f"    {t:6.1f} s  {line[:100]}")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(data, ignore_errors=True)
    if "healthz" not in figures:
        print("\n".join(line for _t, line in lines[-40:]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--quiet-seconds", type=float, default=60.0, help="how long to count log lines after")
    args = parser.parse_args()
    print(f"first start (fresh data folder, ./deploy/start --bind 127.0.0.1:{args.port}), {args.runs} run(s)")
    for run in range(1, args.runs + 1):
        f = first_start(args.port, args.quiet_seconds)
        print(f"  run {run}: healthz 200 after {f.get('healthz', float('nan')):.1f} s, demo loaded after "
              f"{f.get('seeded', float('nan')):.1f} s; log lines: {f.get('lines_total', 0):.0f} in all, "
              f"{f.get('lines_after', 0):.0f} in the {args.quiet_seconds:.0f} s after both", flush=True)


if __name__ == "__main__":
    main()
