"""Rows of the people context: deputies, mandates, stationing, groups, pairing.

Alpha's people (tests/conftest.py): deputy_a is the county deputy stationed at v1 (east town);
township_deputy is east town's township deputy at the home; west_deputy is the west township's
deputy at v2. township_staff_a manages east town; station_staff_a manages v2 (west).

Every member reads the directory (a public card of any deputy of the county); writes are decided by
the services: visible but not editable answers 403, a row that does not exist 404. Beta's ids
(deputy_b, ...) are the same numbers as Alpha's (each county schema counts from 1), so the other
county shows as Beta's people being anonymous on Alpha's host (403) and as ids Alpha lacks (404).

Two helpers bridge what the matrix runner offers (paths formatted with World.ids, bodies sent as
they are): `Prepared` paths look up or make a row (a stationing, a pairing) inside the test's own
transaction when formatted, and `Body` resolves "{east}"-style ids when the client encodes it.
"""

from __future__ import annotations

import datetime as dt
import json

from tests.api.matrix import ALPHA, Row, members

JSON = "application/json; charset=utf-8"  # not the runner's plain "application/json": see Body


class Prepared(str):
    """A path whose extra placeholders are computed, in Alpha's schema, when the runner formats it."""

    def __new__(cls, template: str, prepare):
        path = super().__new__(cls, template)
        path.prepare = prepare
        return path

    def format(self, *args, ids, **kwargs):
        from django_tenants.utils import schema_context

        from tenants.models import County

        with schema_context(County.objects.get(slug="alpha").schema_name):
            extra = self.prepare(ids)
        return str.format(self, *args, ids={**ids, **extra}, **kwargs)


class Body:
    """A JSON body naming World ids ("{v1}"); the test client encodes it through str() at request time."""

    def __init__(self, template: dict):
        self.template = template

    def __str__(self) -> str:
        from tests.conftest import _WORLD_IDS

        def resolve(value):
            if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
                return _WORLD_IDS[value[1:-1]]
            return value

        return json.dumps({key: resolve(value) for key, value in self.template.items()})

    def __repr__(self) -> str:
        return f"Body({self.template!r})"


def stationing_of(deputy_key: str, venue_key: str):
    def prepare(ids):
        from people.models import Stationing

        return {"stationing": Stationing.objects.get(deputy_id=ids[deputy_key], venue_id=ids[venue_key],
                                                     ended_on__isnull=True).pk}
    return prepare


def a_pairing(ids):
    """deputy_a (county deputy) paired with east town's township deputy by Alpha's administrator."""
    from people.actors import actor_for
    from people.models import Deputy
    from people.services.pairing import pairing_create
    from tenants.models import Account

    pairing = pairing_create(actor=actor_for(Account.objects.get(mobile="13700000001")),
                             county_deputy=Deputy.objects.get(pk=ids["deputy"]),
                             township_deputy=Deputy.objects.get(pk=ids["township_deputy"]),
                             started_on=dt.date(2024, 1, 1))
    return {"pairing": pairing.pk}


def row(method: str, path: str, expected: dict, body: dict | None = None) -> Row:
    if body is None:
        return Row(method, ALPHA, path, expected)
    return Row(method, ALPHA, path, expected, data=Body(body), content_type=JSON)


def created(expected: dict) -> dict:
    return {actor: (201 if status == 200 else status) for actor, status in expected.items()}


# Who may write where: 403 for members who see the row but may not change it.
ADMIN_ONLY = members(403, admin_a=200)
EAST = members(403, admin_a=200, township_staff_a=200)          # east town: v1, the home, deputy_a
WEST_V2 = members(403, admin_a=200, station_staff_a=200)        # v2 in the west township, west_deputy
STAFF = members(403, admin_a=200, township_staff_a=200, station_staff_a=200)
NONE_HERE = members(404)

ROWS = [
    # Deputies: the directory is every member's; the full record is for those who manage the deputy.
    row("GET", "/api/v1/deputies/", members(200)),
    row("GET", "/api/v1/deputies/?q=代表&level=county&township={ids[east]}&status=serving", members(200)),
    row("GET", "/api/v1/deputies/{ids[deputy]}/", members(200)),
    row("GET", "/api/v1/deputies/{ids[west_deputy]}/", members(200)),
    row("GET", "/api/v1/deputies/999999/", NONE_HERE),
    row("POST", "/api/v1/deputies/", created(STAFF),
        {"mobile": "13912345678", "name": "新代表", "id_number": "430525198001015678"}),
    # deputy_a edits their own public fields, nothing else; east staff manage deputy_a (at v1).
    row("PATCH", "/api/v1/deputies/{ids[deputy]}/", members(403, admin_a=200, township_staff_a=200, deputy_a=200),
        {"bio": "热心公益"}),
    row("PATCH", "/api/v1/deputies/{ids[deputy]}/", EAST, {"employer": "某公司董事长"}),
    row("PATCH", "/api/v1/deputies/{ids[west_deputy]}/", WEST_V2, {"employer": "西村党支部书记"}),
    row("PATCH", "/api/v1/deputies/999999/", NONE_HERE, {"bio": "x"}),
    # Mandates: county ones by the county; township ones also by that township's staff, for deputies
    # within their reach.
    row("POST", "/api/v1/deputies/{ids[deputy]}/mandates/", created(EAST),
        {"level": "township", "term": 20, "township": "{east}", "started_on": "2024-01-01"}),
    row("POST", "/api/v1/deputies/{ids[west_deputy]}/mandates/", created(ADMIN_ONLY),
        {"level": "township", "term": 20, "township": "{west}", "started_on": "2024-01-01"}),
    row("POST", "/api/v1/deputies/{ids[west_deputy]}/mandates/", created(ADMIN_ONLY),
        {"level": "county", "term": 18, "started_on": "2024-01-01"}),
    row("POST", "/api/v1/deputies/999999/mandates/", NONE_HERE,
        {"level": "county", "term": 18, "started_on": "2024-01-01"}),
    # Stationing: staff who manage the venue, whoever the deputy.
    row("POST", "/api/v1/deputies/{ids[deputy]}/stationings/", created(EAST),
        {"venue": "{home}", "started_on": "2024-01-01"}),
    row("POST", "/api/v1/deputies/{ids[deputy]}/stationings/", created(WEST_V2),
        {"venue": "{v2}", "started_on": "2024-01-01"}),
    row("POST", "/api/v1/deputies/999999/stationings/", NONE_HERE, {"venue": "{v2}", "started_on": "2024-01-01"}),
    row("POST", Prepared("/api/v1/deputies/{ids[deputy]}/stationings/{ids[stationing]}/end/",
                         stationing_of("deputy", "v1")), EAST, {"ended_on": "2025-06-30"}),
    row("POST", Prepared("/api/v1/deputies/{ids[west_deputy]}/stationings/{ids[stationing]}/end/",
                         stationing_of("west_deputy", "v2")), WEST_V2, {"ended_on": "2025-06-30"}),
    row("POST", "/api/v1/deputies/{ids[deputy]}/stationings/999999/end/", NONE_HERE, {"ended_on": "2025-06-30"}),
    # Deputy groups, one per venue: everyone reads; staff of the venue set the roles.
    row("GET", "/api/v1/deputy-groups/", members(200)),
    row("GET", "/api/v1/deputy-groups/{ids[v1]}/", members(200)),
    row("GET", "/api/v1/deputy-groups/{ids[v2]}/", members(200)),
    row("GET", "/api/v1/deputy-groups/999999/", NONE_HERE),
    row("POST", "/api/v1/deputy-groups/{ids[v1]}/members/", EAST, {"deputy": "{deputy}", "role": "leader"}),
    row("POST", "/api/v1/deputy-groups/{ids[v2]}/members/", WEST_V2,
        {"deputy": "{west_deputy}", "role": "liaison_officer"}),
    row("POST", "/api/v1/deputy-groups/999999/members/", NONE_HERE, {"deputy": "{deputy}", "role": "leader"}),
    # Pairing: the administration and presidium staff run it; a deputy reads their own pairs.
    row("GET", "/api/v1/pairings/", members(200)),
    row("GET", Prepared("/api/v1/pairings/{ids[pairing]}/", a_pairing),
        members(404, admin_a=200, township_staff_a=200, deputy_a=200)),
    row("GET", "/api/v1/pairings/999999/", NONE_HERE),
    row("POST", "/api/v1/pairings/", created(EAST),
        {"county_deputy": "{deputy}", "township_deputy": "{township_deputy}", "started_on": "2024-01-01"}),
    row("POST", "/api/v1/pairings/", created(ADMIN_ONLY),
        {"county_deputy": "{deputy}", "township_deputy": "{west_deputy}", "started_on": "2024-01-01"}),
    row("POST", Prepared("/api/v1/pairings/{ids[pairing]}/end/", a_pairing),
        members(404, admin_a=200, township_staff_a=200, deputy_a=403), {"ended_on": "2025-01-01"}),
    row("POST", "/api/v1/pairings/999999/end/", NONE_HERE, {"ended_on": "2025-01-01"}),
    row("GET", "/api/v1/pairings/proposal/", EAST),
    row("GET", "/api/v1/pairings/compliance/", EAST),
    row("GET", "/api/v1/pairings/rule/", members(200)),
    row("PUT", "/api/v1/pairings/rule/", ADMIN_ONLY, {"township_deputies_per_county_deputy": 12}),
    row("POST", "/api/v1/pairings/auto/", ADMIN_ONLY, {"started_on": "2024-01-01"}),
]
