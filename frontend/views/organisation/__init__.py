"""Pages of the organisation context: the county tree, townships and villages, venues (with photos and
assessments), handling units, station standards, construction funds and the build-progress report,
and re-division. Routes: frontend/routes/organisation.py."""
