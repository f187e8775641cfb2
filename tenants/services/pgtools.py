"""PostgreSQL's own client programs (pg_dump, psql) for the database Django uses.

The embedded default ships them inside the pgserver wheel; a deployment on its own server has them on PATH.
The first found of PG_BIN_DIR, the pgserver wheel and PATH whose major version is at least the server's is
used (an older pg_dump refuses a newer server).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

from django.db import connection


class PgToolsError(RuntimeError):
    pass


def _candidates(name: str) -> list[Path]:
    found: list[Path] = []
    if os.environ.get("PG_BIN_DIR"):
        found.append(Path(os.environ["PG_BIN_DIR"]) / name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # its import warns about XDG_RUNTIME_DIR, which we do not use
            import pgserver._commands
        found.append(Path(pgserver._commands.POSTGRES_BIN_PATH) / name)
    except ImportError:
        pass
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    return [path for path in found if path.exists()]


def _major(binary: Path) -> int:
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def pg_binary(name: str) -> Path:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    for binary in _candidates(name):
        if _major(binary) >= server_major:
            return binary
    raise PgToolsError(f"no {name} of PostgreSQL {server_major} or later found (set PG_BIN_DIR)")


def pg_env() -> dict[str, str]:
    """The environment that points libpq's programs at Django's database."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, value in {"PGDATABASE": db["NAME"], "PGUSER": db.get("USER"), "PGPASSWORD": db.get("PASSWORD"),
                       "PGHOST": db.get("HOST"), "PGPORT": str(db.get("PORT") or "")}.items():
        if value:
            env[key] = value
    return env


def pg_run(name: str, *args: str) -> bytes:
    result = subprocess.run([str(pg_binary(name)), *args], env=pg_env(), capture_output=True)
    if result.returncode != 0:
        raise PgToolsError(f"{name} failed: {result.stderr.decode(errors='replace')[-2000:]}")
    return result.stdout
