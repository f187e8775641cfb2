"""Citus for the embedded PostgreSQL: a missing source or a failed build stops with the reason, never a silent
fallback; a finished build is cached by the tarball's digest."""

import io
import tarfile

import pytest

from deploy.embedded import citus_build
from deploy.embedded.services import EmbeddedError


def _tarball(path, configure: str) -> None:
    with tarfile.open(path, "w:gz") as archive:
        data = configure.encode()
        info = tarfile.TarInfo("citus-0.0/configure")
        info.size, info.mode = len(data), 0o755
        archive.addfile(info, io.BytesIO(data))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("JIAZHAN_CITUS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_missing_source_names_where_it_is_looked_for(tmp_path, cache, monkeypatch):
    monkeypatch.setenv("JIAZHAN_CITUS_SOURCE", str(tmp_path / "nowhere.tar.gz"))
    assert citus_build.source_tarball() is None
    with pytest.raises(EmbeddedError, match="source is missing"):
        citus_build.ensure_citus_installed()


def test_a_failed_build_says_which_step_failed_and_shows_the_log(tmp_path, cache, monkeypatch):
    source = tmp_path / "citus-0.0.tar.gz"
    _tarball(source, "#!/bin/sh\necho 'configure: error: no compiler for you'\nexit 1\n")
    monkeypatch.setenv("JIAZHAN_CITUS_SOURCE", str(source))
    with pytest.raises(EmbeddedError, match=r"(?s)failed at `./configure.*no compiler for you"):
        citus_build.ensure_citus_installed()
    assert not list(cache.glob("*/built"))  # nothing cached: the next run tries again


def test_the_cache_is_keyed_by_the_tarball(tmp_path, cache):
    one, two = tmp_path / "one.tar.gz", tmp_path / "two.tar.gz"
    _tarball(one, "#!/bin/sh\nexit 0\n")
    _tarball(two, "#!/bin/sh\nexit 1\n")
    assert citus_build._digest(one) != citus_build._digest(two)
    assert citus_build._digest(one) == citus_build._digest(one)
