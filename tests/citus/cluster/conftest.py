"""Tests that need the database to be a Citus cluster: collected only in the session tests/citus/test_cluster.py
starts against one (JIAZHAN_CITUS_CLUSTER=1)."""

import os

from tests.worker.conftest import celery_worker, committed  # noqa: F401  (fixtures, shared)

collect_ignore_glob = [] if os.environ.get("JIAZHAN_CITUS_CLUSTER") == "1" else ["*"]
