"""A whole deployment on the embedded default, to one file and back: `python -m deploy.embedded backup
--out FILE` (pg_dumpall of the running cluster by its own pg_dumpall, and the media folder) and `restore
--file FILE` (into a fresh data folder, before the first start). One county alone: manage.py backup_county."""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import time
from pathlib import Path

from . import services

DUMP = "cluster.sql"
MEDIA = "media"
# pg_dumpall writes the superuser it ran as; the fresh cluster has it already (and cannot drop it).
_OWN_ROLE = re.compile(rb'^(CREATE ROLE|DROP ROLE IF EXISTS) "?' + services.PG_USER.encode() + rb'"?;\n', re.M)


def _media_dir() -> Path:
    return services.data_dir() / "media"


def _psql(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    socket_dir = services._socket_dir("pg")
    return subprocess.run([services._pg_bin("psql"), "-h", str(socket_dir), "-U", services.PG_USER,
                           "-v", "ON_ERROR_STOP=1", "-q", *args], input=input, capture_output=True, check=True)


def backup(out: Path) -> dict[str, int]:
    """Dump every database, role and setting of the embedded cluster (starting it if needed), and the
    media folder, into `out` (a gzip tar)."""
    services.ensure_postgres()
    socket_dir = services._socket_dir("pg")
    dump = subprocess.run([services._pg_bin("pg_dumpall"), "-h", str(socket_dir), "-U", services.PG_USER,
                           "--clean", "--if-exists"], capture_output=True, check=True).stdout
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    files = 0
    with tarfile.open(partial, "w:gz") as tar:
        info = tarfile.TarInfo(DUMP)
        info.size, info.mtime = len(dump), int(time.time())
        tar.addfile(info, io.BytesIO(dump))
        if _media_dir().is_dir():
            tar.add(_media_dir(), arcname=MEDIA)
            files = sum(1 for p in _media_dir().rglob("*") if p.is_file())
    partial.replace(out)
    return {"bytes": len(dump), "media_files": files}


def restore(path: Path) -> None:
    """Restore a `backup` file into this data folder, which must be fresh (no tables in its database yet)."""
    services.ensure_postgres()
    tables = _psql("-d", services.DATABASE_NAME, "-tAc",
                   "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
    if int(tables.stdout.strip() or 0):
        raise services.EmbeddedError(f"the database in {services.data_dir()} is not empty: restore into a fresh "
                                     "data folder (JIAZHAN_DATA_DIR) before its first start")
    with tarfile.open(path, "r:gz") as tar:
        dump = tar.extractfile(DUMP).read()  # type: ignore[union-attr]
        try:
            _psql("-d", "postgres", "-f", "-", input=_OWN_ROLE.sub(b"", dump))
        except subprocess.CalledProcessError as exc:
            raise services.EmbeddedError(f"psql failed: {exc.stderr.decode(errors='replace')[-2000:]}") from exc
        media = [m for m in tar.getmembers() if m.name == MEDIA or m.name.startswith(MEDIA + "/")]
        tar.extractall(services.data_dir(), members=media, filter="data")
