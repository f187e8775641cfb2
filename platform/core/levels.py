"""The four congress levels, shared by the county schemas and the public schema."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    PREFECTURE = "prefecture", _("州（市）级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


REGION_LEVELS = (Level.PROVINCE, Level.PREFECTURE)
COUNTY_LEVELS = (Level.COUNTY, Level.TOWNSHIP)


class MandateStatus(models.TextChoices):
    SERVING = "serving", _("在任")
    RESIGNED = "resigned", _("辞职")
    REMOVED = "removed", _("罢免")
    DECEASED = "deceased", _("去世")
