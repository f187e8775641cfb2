"""The API keeps the word its OpenAPI schema gives: schemathesis fuzzes every operation of the schema that a
county host serves (as Alpha's administrator, by an API token) and the platform host's own operations (as the
provincial staff member, by a session), and checks each answer: no server error, a documented status, the
documented content type, a body that matches the schema, and a request the schema calls invalid (a bad filter
value, a missing field) refused with a 4xx rather than served.

Bounded and reproducible: 25 examples per operation, derandomized, a fixed seed, no example database. It runs
in-process through Django's WSGI handler, inside the test's transaction (rolled back afterwards), so the
destructive operations it sends change nothing another test sees.

`JZ_FUZZ_SURVEY=1` records every failure instead of stopping at an operation's first, with `JZ_FUZZ_REPORT=path`
each run writes its figures (operations, requests, failures by check, the first message of each) as JSON, and
`JZ_FUZZ_PATHS=regex` fuzzes only the county operations whose path matches.
"""

from __future__ import annotations

import json
import os
import traceback
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django_tenants.utils import schema_context
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from access.models import ApiToken, Role
from access.tokens import token_create
from people.actors import actor_for
from tests.conftest import ALPHA_HOST, PLATFORM_HOST, login

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
SURVEY = os.environ.get("JZ_FUZZ_SURVEY") == "1"
# What the platform host serves its staff; everything else there is a county's and answers 404.
PLATFORM_PATHS = r"^/api/v1/(me|counties|escalations|figures)/"


def _config() -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "seed": 20261206,
        "suppress-health-check": ["all"],
        "generation": {"max-examples": 25, "deterministic": True, "database": "none", "no-shrink": True},
        # The coverage phase's boundary cases would add some 70 requests an operation (10 minutes in all).
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    })


class Tally:
    """Requests sent and failures seen, by host; written to JZ_FUZZ_REPORT when the module ends."""

    def __init__(self) -> None:
        self.operations: dict[str, set[str]] = {}
        self.requests: Counter[str] = Counter()
        self.failures: dict[str, Counter[str]] = {}
        self.failing_operations: dict[str, set[str]] = {}
        self.modes: Counter[str] = Counter()  # requests by host and generation mode (positive / negative)
        self.elapsed: Counter[str] = Counter()  # seconds per operation: where the run's time goes
        self.seen: Counter[str] = Counter()  # failure, status and operation: what to fix first
        self.first: dict[str, str] = {}  # the first message of each

    def record(self, host: str, case, response) -> None:
        self.operations.setdefault(host, set()).add(case.operation.label)
        self.requests[host] += 1
        self.elapsed[case.operation.label] += response.elapsed
        self.modes[f"{host} {case.meta.generation.mode.value if case.meta else '?'}"] += 1
        if self.requests[host] % 200 == 0:
            self.write()
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                self.failures.setdefault(host, Counter())[type(failure).__name__] += 1
                key = f"{type(failure).__name__} {response.status_code} {case.operation.label}"
                self.seen[key] += 1
                error = case.operation.app.error if response.status_code >= 500 else ""
                self.first.setdefault(key, f"{failure.title}: {failure.message[:400]} | {response.content[:200]!r}"
                                           f" {error}")
            self.failing_operations.setdefault(host, set()).add(case.operation.label)
            if not SURVEY:
                raise

    def figures(self) -> dict:
        return {host: {"operations": len(self.operations[host]), "requests": self.requests[host],
                       "failures": dict(self.failures.get(host, {})),
                       "failing_operations": sorted(self.failing_operations.get(host, ()))}
                for host in self.operations} | {"modes": dict(self.modes), "seen": dict(self.seen.most_common()),
                   "first": self.first,
                   "slowest": {label: round(seconds, 1) for label, seconds in self.elapsed.most_common(15)}}

    def write(self) -> None:
        if path := os.environ.get("JZ_FUZZ_REPORT"):
            with open(path, "w", encoding="utf-8") as out:
                json.dump(self.figures(), out, ensure_ascii=False, indent=2)


@pytest.fixture(scope="module")
def tally():
    made = Tally()
    yield made
    made.write()


class InTestTransaction:
    """Django's WSGI handler on this test's connection: as Django's test client does, a request must not close
    the connection that holds the test's transaction (close_old_connections on request_started/finished)."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.error = ""  # the last request's exception, for the failure's report

    def _remember(self, sender, request=None, **kwargs) -> None:
        self.error = traceback.format_exc(limit=-3)

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.error = ""
        got_request_exception.connect(self._remember)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()
            return [body]
        finally:
            got_request_exception.disconnect(self._remember)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi_app():
    return InTestTransaction()


def _load(app, host: str) -> schemathesis.schemas.BaseSchema:
    """The schema as the host serves it."""
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app, config=_config(),
                                          headers={"Host": host})


@pytest.fixture
def admin_token(world) -> dict:
    with schema_context(world.alpha.schema_name):
        made = token_create(actor=actor_for(world.admin_a), name="接口模糊测试", role=Role.COUNTY_ADMIN)
    return {"id": made.token.pk, "headers": {"Authorization": f"Token {made.key}"}}


@pytest.fixture
def staff_session(world) -> dict:
    """The provincial staff member's session on the platform host, with the CSRF token its writes echo."""
    client = login(PLATFORM_HOST, world.province_staff)
    client.get("/login/")
    csrf = client.cookies["csrftoken"].value
    return {"cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
            "headers": {"X-CSRFToken": csrf}}


@pytest.fixture
def county_schema(world, wsgi_app):
    return _load(wsgi_app, ALPHA_HOST)


@pytest.fixture
def platform_schema(world, wsgi_app):
    return _load(wsgi_app, PLATFORM_HOST)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """schemathesis 4.32 names each operation's subtest through `node._nodeid`, which pytest 9 no longer has."""
    request.node._nodeid = request.node.nodeid


county = schemathesis.pytest.from_fixture("county_schema").include(path_regex=os.environ.get("JZ_FUZZ_PATHS", ""))
platform = schemathesis.pytest.from_fixture("platform_schema").include(path_regex=PLATFORM_PATHS)


@county.parametrize()
def test_county_api_keeps_its_word(case, world, admin_token, tally):
    # The fuzz may revoke any token, its own included: it must keep acting as the administrator.
    with schema_context(world.alpha.schema_name):
        ApiToken.objects.filter(pk=admin_token["id"]).update(revoked_at=None)
    tally.record(ALPHA_HOST, case, case.call(base_url=f"http://{ALPHA_HOST}", headers=admin_token["headers"]))


@platform.parametrize()
def test_platform_api_keeps_its_word(case, staff_session, tally):
    tally.record(PLATFORM_HOST, case, case.call(base_url=f"http://{PLATFORM_HOST}", **staff_session))
