"""The organisation tests' cast: the World's Alpha actors and rows, loaded inside Alpha's schema, and a
ten-item standard."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from organisation.models import (
    StandardItem,
    StandardTemplate,
    Township,
    Venue,
    Village,
)
from people.actors import actor_for


class Cast:
    """The World's Alpha actors and rows, loaded inside Alpha's schema."""

    def __init__(self, world):
        self.world = world
        ids = world.ids
        self.admin = actor_for(world.admin_a)
        self.township_staff = actor_for(world.township_staff_a)
        self.station_staff = actor_for(world.station_staff_a)
        self.deputy = actor_for(world.deputy_a)
        self.unit = actor_for(world.unit_a)
        self.east = Township.objects.get(pk=ids["east"])
        self.west = Township.objects.get(pk=ids["west"])
        self.village_east = Village.objects.get(pk=ids["village_east"])
        self.village_west = Village.objects.get(pk=ids["village_west"])
        self.home = Venue.objects.get(pk=ids["home"])
        self.v1 = Venue.objects.get(pk=ids["v1"])
        self.v2 = Venue.objects.get(pk=ids["v2"])


@pytest.fixture
def cast(world):
    with schema_context(world.alpha.schema_name):
        yield Cast(world)


@pytest.fixture
def ten(cast):
    """A template of ten items of ten points each."""
    template = StandardTemplate.objects.create(name="十有")
    StandardItem.objects.bulk_create([StandardItem(template=template, order=i, text=f"有{i}", points=10)
                                      for i in range(10)])
    return template
