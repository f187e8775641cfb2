"""The platform on a Citus cluster (a coordinator and two workers, embedded), when Citus' source is beside the
project (../shared/vendor/citus-*.tar.gz, as in CI); skipped, with the reason, otherwise.

This test starts the cluster (building Citus the first time, cached in .data/citus-build/), makes a fresh
test database on every node, and runs a second pytest session against it: tests/citus/cluster/ and a
choice of the suite's own modules (provisioning, fleet migration, tasks in their county, escalations, the
rollups and the figures above the counties). A failed build fails here, with the build log's end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.embedded.citus_build import source_tarball
from deploy.embedded.services import data_dir

ROOT = Path(__file__).resolve().parents[2]
# The suite's modules that also run on Citus: what the issue asks to see working there.
ON_CITUS = [
    "tests/citus/cluster",
    "tests/tenancy/test_provisioning.py",
    "tests/tenancy/test_fleet.py",
    "tests/worker/test_tenant_tasks.py",
    "tests/rollups/test_rollups.py",
    "tests/casework/test_escalation.py",
]
TIMEOUT_SECONDS = 1500

pytestmark = pytest.mark.citus


def _cluster_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        JIAZHAN_DATA_DIR=str(data_dir() / "citus-run"),  # its own servers: the cluster and a Redis
        JIAZHAN_DB="citus",
        JIAZHAN_TEST_KEEPDB="1",
        JIAZHAN_CITUS_CLUSTER="1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def test_the_platform_on_citus():
    if source_tarball() is None:
        pytest.skip("Citus' source is not beside the project (../shared/vendor/citus-*.tar.gz): the Citus run is off")
    env = _cluster_env()
    modules = [m for m in ON_CITUS if (ROOT / m).exists()]
    prepare = subprocess.run([sys.executable, "-m", "deploy.embedded", "citus", "--database", "test_jiazhan",
                              "--fresh"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert prepare.returncode == 0, f"the Citus cluster did not start:\n{prepare.stdout}\n{prepare.stderr}"
    try:
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly",
                              *modules], cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    finally:
        subprocess.run([sys.executable, "-m", "deploy.embedded", "stop"], cwd=ROOT, env=env, capture_output=True)
    print(run.stdout[-6000:])
    assert run.returncode == 0, f"the suite on Citus failed:\n{run.stdout[-12000:]}\n{run.stderr[-3000:]}"
