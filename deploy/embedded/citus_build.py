"""Citus for the embedded PostgreSQL: built once from the vendored source, cached, installed into pgserver.

The source is `../shared/vendor/citus-*.tar.gz` beside the project (or JIAZHAN_CITUS_SOURCE). It is built
against the PostgreSQL of the `pgserver` wheel (its pg_config has the server headers and PGXS) with
`make install DESTDIR=<cache>`, so the result is kept under `.data/citus-build/<digest>/` where the digest
covers the tarball and the server version: a second run, a re-created .venv or a fresh test data folder
only copies the cached files into pgserver's `pginstall` (a second or less). The build runs again only
when the tarball (or the PostgreSQL of the wheel) changes.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from .services import ROOT, EmbeddedError, _pgserver

BUILD_TIMEOUT_SECONDS = 1800


def source_tarball() -> Path | None:
    """The vendored Citus source, or None when it is not beside the project."""
    named = os.environ.get("JIAZHAN_CITUS_SOURCE")
    if named:
        return Path(named) if Path(named).is_file() else None
    found = sorted((ROOT.parent / "shared" / "vendor").glob("citus-*.tar.gz"))
    return found[-1] if found else None


def cache_root() -> Path:
    """Shared by the platform's and the tests' data folders: one build serves both."""
    return Path(os.environ.get("JIAZHAN_CITUS_CACHE") or ROOT / ".data" / "citus-build")


def pg_config() -> str:
    return str(_pgserver()._commands.POSTGRES_BIN_PATH / "pg_config")


def _pg_config(flag: str) -> str:
    return subprocess.run([pg_config(), flag], capture_output=True, text=True, check=True).stdout.strip()


def _digest(tarball: Path) -> str:
    hasher = hashlib.sha256()
    with open(tarball, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    hasher.update(_pg_config("--version").encode())
    return hasher.hexdigest()[:16]


def _configure_flags() -> list[str]:
    """lz4/zstd compression for columnar storage only when their headers are installed; never libcurl."""
    flags = ["--without-libcurl"]
    if not Path("/usr/include/lz4.h").exists():
        flags.append("--without-lz4")
    if not Path("/usr/include/zstd.h").exists():
        flags.append("--without-zstd")
    return flags


def _build(tarball: Path, folder: Path) -> None:
    work = folder / "src"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(work, filter="data")
    roots = [p for p in work.iterdir() if p.is_dir()]
    source = roots[0] if len(roots) == 1 else work
    log = folder / "build.log"
    jobs = str(max(1, min(2, os.cpu_count() or 1)))
    steps = [
        ["./configure", *_configure_flags(), f"PG_CONFIG={pg_config()}"],
        ["make", f"-j{jobs}"],
        ["make", "install", f"DESTDIR={folder / 'stage'}"],
    ]
    with open(log, "w") as out:
        for step in steps:
            out.write(f"$ {' '.join(step)}\n")
            out.flush()
            try:
                subprocess.run(step, cwd=source, stdout=out, stderr=subprocess.STDOUT, check=True,
                               timeout=BUILD_TIMEOUT_SECONDS)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
                tail = log.read_text(errors="replace")[-3000:]
                raise EmbeddedError(
                    f"building Citus from {tarball} failed at `{' '.join(step)}` ({exc}); the end of {log}:\n{tail}"
                ) from exc
    shutil.rmtree(work)


def _install(stage: Path) -> int:
    """Copy the staged files into pgserver's pginstall (only those missing or different)."""
    copied = 0
    for target_dir in {_pg_config("--pkglibdir"), _pg_config("--sharedir")}:
        staged = stage / target_dir.lstrip("/")
        if not staged.exists():
            continue
        for path in staged.rglob("*"):
            if path.is_dir():
                continue
            target = Path(target_dir) / path.relative_to(staged)
            if target.exists() and target.stat().st_size == path.stat().st_size and \
                    target.read_bytes() == path.read_bytes():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            target.chmod(0o755 if target.suffix == ".so" else 0o644)
            copied += 1
    return copied


@contextlib.contextmanager
def _cache_lock():
    """One build at a time across every data folder (the platform's and the tests' share the cache)."""
    cache_root().mkdir(parents=True, exist_ok=True)
    with open(cache_root() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_citus_installed() -> Path:
    """Build (once per source) and install Citus into the embedded PostgreSQL; return the cache folder.

    Raises EmbeddedError with the reason (and the build log's end) when the source is missing or the
    build fails: a caller that asked for Citus must not fall back to something else silently.
    """
    tarball = source_tarball()
    if tarball is None:
        raise EmbeddedError(
            "Citus was asked for (JIAZHAN_DB=citus) but its source is missing: put citus-<version>.tar.gz in "
            f"{ROOT.parent / 'shared' / 'vendor'} or name it with JIAZHAN_CITUS_SOURCE"
        )
    folder = cache_root() / _digest(tarball)
    folder.mkdir(parents=True, exist_ok=True)
    with _cache_lock():
        done = folder / "built"
        if not done.exists():
            print(f"[jiazhan] building Citus from {tarball.name} (once; cached in {folder}) ...", flush=True)
            _build(tarball, folder)
            done.write_text(tarball.name)
        _install(folder / "stage")
    return folder
