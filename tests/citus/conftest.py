"""The Citus run: said in pytest's header (without -q) whether it runs; a skip says why (-rs, in addopts)."""

from deploy.embedded.citus_build import source_tarball


def pytest_report_header(config):
    tarball = source_tarball()
    if tarball is None:
        return "citus: skipped, no Citus source beside the project (../shared/vendor/citus-*.tar.gz)"
    return f"citus: on, from {tarball}"
