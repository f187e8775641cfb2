"""A county model that exists only in benchmarks, so they can add "one new migration" to a real fleet.

Its migrations live in a folder the benchmark writes (MIGRATION_MODULES), never in the repository.
"""

from django.db import models


class BenchNote(models.Model):
    text = models.CharField(max_length=100)

    class Meta:
        app_label = "benchapp"

    def __str__(self) -> str:
        return self.text
