from django.db import models


class SpareSchema(models.Model):
    """A ready-made county schema, cloned from the template ahead of need and kept migrated with the
    fleet. Provisioning claims one and renames it: O(1), however many tables and migrations exist.
    Spares are never served and never receive beat fan-out."""

    schema_name = models.CharField(max_length=63, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.schema_name
