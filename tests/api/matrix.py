"""The permission matrix's vocabulary: actors, and one Row per endpoint (method + host + path).

Each context keeps its rows in tests/api/matrix_<context>.py (ROWS = [...]); test_permission_matrix
runs every row for every actor. A row must name every actor: a new actor or endpoint cannot be
forgotten silently. Paths may use {ids[...]} placeholders from World.ids (Alpha's rows; Beta's end _b).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALPHA = "alpha.localhost"
PLATFORM = "localhost"

# own county, by role and scope; then the other county, the upper tier, and people with no role here.
ACTORS = ["admin_a", "township_staff_a", "station_staff_a", "deputy_a", "unit_a", "admin_b", "province_staff",
          "outsider", "anonymous"]
COUNTY_MEMBERS = ACTORS[:5]
NOT_LOGGED_IN_ON_ALPHA = ACTORS[5:]  # their login on Alpha's host is refused: they are anonymous there


@dataclass
class Row:
    method: str
    host: str
    path: str
    expected: dict[str, int]
    data: dict | None = field(default=None)
    content_type: str = "application/json"

    def __post_init__(self) -> None:
        missing = set(ACTORS) - set(self.expected)
        assert not missing, f"{self.method} {self.path}: no expectation for {sorted(missing)}"

    @property
    def id(self) -> str:
        return f"{self.method} {self.host}{self.path}"


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ACTORS, status)


def members(status: int, **overrides: int) -> dict[str, int]:
    """On Alpha's host: `status` for every member of Alpha, 403 for everyone else; then the overrides."""
    expected = {actor: (status if actor in COUNTY_MEMBERS else 403) for actor in ACTORS}
    expected.update(overrides)
    return expected
