"""The people tests' cast: the World's Alpha actors, townships, venues and deputies, loaded inside
Alpha's schema, and new deputies made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from core.levels import Level
from organisation.models import Township, Venue
from people.actors import actor_for
from people.models import Deputy
from people.services.deputies import (
    deputy_create,
    mandate_add,
    stationing_add,
)

START = dt.date(2021, 10, 1)


class Cast:
    """The World's Alpha actors and rows; new_deputy makes one through the services."""

    def __init__(self, world):
        self.world = world
        ids = world.ids
        self.admin = actor_for(world.admin_a)
        self.township_staff = actor_for(world.township_staff_a)
        self.station_staff = actor_for(world.station_staff_a)
        self.deputy_actor = actor_for(world.deputy_a)
        self.unit = actor_for(world.unit_a)
        self.east = Township.objects.get(pk=ids["east"])
        self.west = Township.objects.get(pk=ids["west"])
        self.home = Venue.objects.get(pk=ids["home"])
        self.v1 = Venue.objects.get(pk=ids["v1"])
        self.v2 = Venue.objects.get(pk=ids["v2"])
        self.deputy = Deputy.objects.get(pk=ids["deputy"])  # county deputy at v1 (east)
        self.township_deputy = Deputy.objects.get(pk=ids["township_deputy"])  # east, at the home
        self.west_deputy = Deputy.objects.get(pk=ids["west_deputy"])  # west, at v2
        self._mobile = 13900000000

    def new_deputy(self, name: str, *, level: str | None = None, township: Township | None = None,
                   venue: Venue | None = None, term: int | None = None) -> Deputy:
        """A deputy made through the services by the county admin."""
        self._mobile += 1
        deputy = deputy_create(actor=self.admin, mobile=str(self._mobile), name=name)
        if level:
            mandate_add(actor=self.admin, deputy=deputy, level=level, township=township, started_on=START,
                        term=term or (17 if level == Level.COUNTY else 19))
        if venue:
            stationing_add(actor=self.admin, deputy=deputy, venue=venue, started_on=START)
        return deputy


@pytest.fixture
def cast(world):
    with schema_context(world.alpha.schema_name):
        yield Cast(world)
