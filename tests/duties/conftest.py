"""The duties tests' cast: the World's Alpha actors and rows, loaded inside Alpha's schema."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from organisation.models import Township, Venue
from people.actors import actor_for
from people.models import Deputy


class Cast:
    def __init__(self, world):
        ids = world.ids
        self.world = world
        self.admin = actor_for(world.admin_a)
        self.township_staff = actor_for(world.township_staff_a)  # east town
        self.station_staff = actor_for(world.station_staff_a)  # v2, west township
        self.deputy = actor_for(world.deputy_a)  # county deputy at v1 (east)
        self.township_deputy = actor_for(world.township_deputy_a)  # east town's deputy at the home
        self.unit = actor_for(world.unit_a)
        self.d = Deputy.objects.get(pk=ids["deputy"])
        self.td = Deputy.objects.get(pk=ids["township_deputy"])
        self.wd = Deputy.objects.get(pk=ids["west_deputy"])
        self.east = Township.objects.get(pk=ids["east"])
        self.west = Township.objects.get(pk=ids["west"])
        self.home = Venue.objects.get(pk=ids["home"])
        self.v1 = Venue.objects.get(pk=ids["v1"])
        self.v2 = Venue.objects.get(pk=ids["v2"])


@pytest.fixture
def cast(world):
    with schema_context(world.alpha.schema_name):
        yield Cast(world)


def image_bytes(fmt: str = "JPEG", size=(640, 480)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(name: str = "活动.jpg", fmt: str = "JPEG") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt), content_type=f"image/{fmt.lower()}")
