"""API of the organisation context, under /api/v1/ on county hosts.

Reads go through the organisation selectors and the actor's scope; writes go through the services,
which decide what each actor may change. A service's ValidationError becomes a 400 carrying its
Chinese messages, its PermissionDenied a 403; a row outside the actor's reach is a 404. Before
validating a write, the view refuses (403) people whose role can never make it, so that they learn
nothing from validation errors.

Modules: common (what they share beyond api.views.base), places (townships, villages, venues and their photos),
units (handling units), standards (standards, assessments, construction funds), reports (build progress,
the county tree), redivision. Routes: api/routes/organisation.py.
"""
