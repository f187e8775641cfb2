"""Throughput of a trivial county page: the project's tenancy vs stock django-tenants vs one schema.

    ./tests/benchmarks/run page       (or: python -m tests.benchmarks.bench_page)

Three gunicorn servers (one gthread worker each, persistent database connections) serve the same
view -- one query on a county table -- under the three JIAZHAN_BENCH_VARIANTs of
tests/benchmarks/settings.py. wrk loads them in turn, round after round, so drift hits all three.
Prints median requests/s and the ratio to the single-schema baseline; asserts nothing.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from tests.benchmarks import common

ROUNDS = int(os.environ.get("JIAZHAN_BENCH_ROUNDS", "7"))
SECONDS = int(os.environ.get("JIAZHAN_BENCH_SECONDS", "4"))
VARIANTS = ["single", "stock", "ours"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ensure_county() -> tuple[str, str]:
    """A county to serve: the benchmark database's first, or a fresh one."""
    os.environ.update(common.env())
    import django

    django.setup()
    from tenants.models import County, Prefecture, Province
    from tenants.orchestration.provisioning import county_provision

    county = County.objects.order_by("pk").first()
    if county is None:
        province = Province.objects.create(name="基准省", division_code="910000")
        prefecture = Prefecture.objects.create(name="基准州", division_code="910100", province=province)
        county = county_provision(name="基准县", division_code="900001", slug="bench0001", province=province,
                                  prefecture=prefecture, admin_mobile="13700000001", admin_name="管理员")
    return county.schema_name, county.domains.first().domain


def _start(variant: str, schema: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = common.env()
    env.update(JIAZHAN_BENCH_VARIANT=variant, JIAZHAN_BENCH_SCHEMA=schema)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"],
        env=env, cwd=common.ROOT,
    )
    return process, port


def _wait(port: int, host: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/bench/page", headers={"Host": host})
            with urllib.request.urlopen(request, timeout=2) as response:
                assert response.status == 200
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _load(port: int, host: str, seconds: int) -> float:
    """Requests per second from wrk (or a Python client when wrk is missing)."""
    url = f"http://127.0.0.1:{port}/bench/page"
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "-t1", "-c8", f"-d{seconds}s", "-H", f"Host: {host}", url],
                             capture_output=True, text=True, check=True).stdout
        if "Non-2xx" in out:
            raise RuntimeError(f"errors under load:\n{out}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port)
    done, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        conn.request("GET", "/bench/page", headers={"Host": host})
        conn.getresponse().read()
        done += 1
    return done / seconds


def main() -> None:
    schema, host = _ensure_county()
    servers = {variant: _start(variant, schema) for variant in VARIANTS}
    try:
        for _process, port in servers.values():
            _wait(port, host)
            _load(port, host, 2)  # warm up: connections opened, code paths hot
        results: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
        order = list(VARIANTS)
        shuffle = random.Random(2026).shuffle
        for _ in range(ROUNDS):
            shuffle(order)  # no variant always runs first (or last) in a round
            for variant in order:
                results[variant].append(_load(servers[variant][1], host, SECONDS))
    finally:
        for process, _port in servers.values():
            process.terminate()
            process.wait(timeout=10)
    base = common.median(results["single"])
    print(f"Trivial county page ({host}, one query), requests/s, {ROUNDS} rounds of {SECONDS} s:")
    labels = {"single": "single schema, plain Django (baseline)", "stock": "stock django-tenants",
              "ours": "ours (tenants.db backend + cached host lookup)"}
    for variant in VARIANTS:
        values = results[variant]
        med = common.median(values)
        print(f"  {labels[variant]:<50} median {med:8.1f} req/s  ratio {med / base:.2f}   "
              f"runs: [{', '.join(f'{v:.0f}' for v in values)}]")


if __name__ == "__main__":
    main()
