"""The embedded Citus cluster (JIAZHAN_DB=citus): a coordinator and two workers from pgserver's binaries.

Citus is built once from the vendored source (citus_build.py). The three servers live in
`<data folder>/citus/{coordinator,worker1,worker2}` and, like the single embedded server, listen on Unix
sockets only, in one socket folder, told apart by their port numbers (5441, 5442, 5443): no TCP port is
taken. Citus names each node by that folder and port, so the nodes reach one another over the same
sockets; `manage.py move_county --to-node <folder>:5443` names a worker the same way.

Every database the platform uses on the cluster (`jiazhan`, and a test database) exists on the three
nodes with the extension, and the coordinator knows the workers (`ensure_database`). What the platform
itself needs of a Citus coordinator (schema-based sharding, reference tables) it sets up in
`tenants.services.citus`, so that a DATABASE_URL naming any Citus coordinator works the same way.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .citus_build import ensure_citus_installed
from .services import (
    DATABASE_NAME,
    PG_USER,
    EmbeddedError,
    _lock,
    _pg_bin,
    _socket_dir,
    data_dir,
    start_server,
    stop_server,
)

COORDINATOR_PORT = 5441
WORKER_PORTS = (5442, 5443)
# Logical replication moves a county while it serves (citus_schema_move); the rest keeps three servers
# small on a shared machine.
SERVER_OPTIONS = [
    "-c shared_preload_libraries=citus",
    "-c wal_level=logical",
    "-c max_replication_slots=20",
    "-c max_wal_senders=20",
    "-c max_worker_processes=24",
    "-c shared_buffers=64MB",
    "-c citus.max_background_task_executors_per_node=2",
    "-c timezone=UTC",  # as Django's sessions (the platform also sets it on the workers: tenants/services/citus.py)
]


def cluster_dir() -> Path:
    return data_dir() / "citus"


def nodes() -> list[tuple[str, int]]:
    """(folder, port) of the coordinator, then of each worker."""
    return [("coordinator", COORDINATOR_PORT)] + [(f"worker{i + 1}", port) for i, port in enumerate(WORKER_PORTS)]


def socket_dir() -> Path:
    return _socket_dir("pg")


def node_name() -> str:
    """The host every node is known by in Citus' metadata: the shared socket folder."""
    return str(socket_dir())


def url(database: str = DATABASE_NAME) -> str:
    return f"postgres://{PG_USER}@:{COORDINATOR_PORT}/{database}?host={socket_dir()}"


def psql(port: int, sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        [_pg_bin("psql"), "-h", str(socket_dir()), "-p", str(port), "-U", PG_USER, "-d", database,
         "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise EmbeddedError(f"psql on port {port} ({database}): {sql[:200]}: {result.stderr.strip()}")
    return result.stdout.strip()


def _ensure_database_on(port: int, database: str) -> None:
    exists = psql(port, f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    if exists != "1":
        psql(port, f'CREATE DATABASE "{database}"')
    psql(port, "CREATE EXTENSION IF NOT EXISTS citus", database)


def ensure_database(database: str) -> None:
    """`database` on every node with the extension, and the coordinator knowing itself and the workers."""
    for _folder, port in nodes()[1:]:
        _ensure_database_on(port, database)
    _ensure_database_on(COORDINATOR_PORT, database)
    host = node_name()
    known = psql(COORDINATOR_PORT, "SELECT string_agg(nodeport::text, ',') FROM pg_dist_node", database)
    known_ports = {int(p) for p in known.split(",") if p}
    if COORDINATOR_PORT not in known_ports:
        psql(COORDINATOR_PORT, f"SELECT citus_set_coordinator_host('{host}', {COORDINATOR_PORT})", database)
    for port in WORKER_PORTS:
        if port not in known_ports:
            psql(COORDINATOR_PORT, f"SELECT citus_add_node('{host}', {port})", database)


def drop_database(database: str) -> None:
    """Drop `database` on every node (a test run's fresh start); the coordinator first."""
    for _folder, port in nodes():
        psql(port, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def start_nodes() -> None:
    ensure_citus_installed()
    sockets = socket_dir()
    # A node reaches itself (a schema move's replication, for one) by citus.local_hostname: the socket folder.
    options = [*SERVER_OPTIONS, f"-c citus.local_hostname={sockets}"]
    for folder, port in nodes():
        start_server(cluster_dir() / folder, sockets, port, options)


def ensure_cluster(database: str | None = None) -> str:
    """Build/install Citus if needed, start the three servers, prepare `database`; return its URL."""
    database = database or os.environ.get("JIAZHAN_CITUS_DATABASE") or DATABASE_NAME
    with _lock("citus"):
        start_nodes()
        ensure_database(database)
    return url(database)


def stop_cluster() -> None:
    for folder, _port in reversed(nodes()):
        stop_server(cluster_dir() / folder)
