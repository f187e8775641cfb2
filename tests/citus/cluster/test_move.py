"""A county moved to the other Citus worker while its pages are requested: no request fails."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from organisation.models import Venue
from tenants.management.commands.move_county import Probe
from tenants.models import County
from tenants.orchestration.placement import county_move
from tenants.services import citus
from tests.conftest import ALPHA_HOST, login


@pytest.fixture
def alpha_placed(world, committed):
    """Where Alpha is, and Alpha put back there afterwards (the world is shared by the session)."""
    before = citus.placement(world.alpha.schema_name)
    yield before
    if citus.placement(world.alpha.schema_name) != before:
        county_move(county=County.objects.get(pk=world.alpha.pk), to_node=f"{before[0]}:{before[1]}")


def test_a_county_moves_to_the_other_worker_while_its_pages_are_requested(world, alpha_placed):
    target = next(node for node in citus.workers() if node != alpha_placed)
    with schema_context(world.alpha.schema_name):
        venues = Venue.objects.count()
    with Probe(ALPHA_HOST, threads=2, paths=("/", "/organisation/venues/", "/online/"),
               client=lambda: login(ALPHA_HOST, world.admin_a)) as probe:
        seconds = county_move(county=world.alpha, to_node=f"{target[0]}:{target[1]}")
    print(f"\n[citus] Alpha moved to {target[1]} in {seconds:.2f} s; {probe.requests} requests meanwhile, "
          f"{probe.failed} failed")
    assert citus.placement(world.alpha.schema_name) == target
    assert probe.requests > 0 and probe.failed == 0, probe.errors[:5]
    assert seconds > 0
    with schema_context(world.alpha.schema_name):
        assert Venue.objects.count() == venues  # every row came along


def test_moving_to_where_it_is_or_to_no_worker_is_refused_in_chinese(world, alpha_placed):
    with pytest.raises(ValueError, match="已在"):
        county_move(county=world.alpha, to_node=f"{alpha_placed[0]}:{alpha_placed[1]}")
    with pytest.raises(ValueError, match="不是本集群的工作节点"):
        county_move(county=world.alpha, to_node="/nowhere:1")
