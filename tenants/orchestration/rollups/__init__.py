"""Rollups: each county's figures kept as counts in the public schema (tenants.models.RollupFact).

`compute` reads a county's source rows (in its schema), `store` writes the difference, `follow` notes a
county's writes (through audit's hook) and refreshes the months they touched after commit, `tasks` are
the Celery tasks (a refresh after writes; the nightly rebuild per county that reports drift). The reads
of the upper tiers and the county's own dashboard are tenants.figures: they never enter a county schema.
"""
