"""The shape every county-editable rule row shares (pairing, three-ones, casework deadlines, absence steps)."""

from django.db import models


class CountyRule(models.Model):
    """One row per county, holding the reports' defaults until the county changes them."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls):
        """The county's row, made with the defaults on first read."""
        rule, _created = cls.objects.get_or_create(pk=1)
        return rule
