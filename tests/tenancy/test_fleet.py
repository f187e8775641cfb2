"""Fleet migration: skips what is up to date, replays pending SQL, matches the template."""

import pytest
from django.db import connection

from tenants.services.fleet import migrate_fleet
from tenants.services.schemas import fingerprint, quote, schema_exists
from tenants.services.spares import spare_names

pytestmark = pytest.mark.django_db


def _all_schemas() -> int:
    return 1 + len(spare_names()) + 2  # the template, the spares, Alpha and Beta


def test_nothing_to_apply_touches_no_schema(world):
    report = migrate_fleet()
    assert report.schemas == _all_schemas()
    assert report.up_to_date == _all_schemas()
    assert report.replayed == report.executed == report.created == []


def _forget_migration(schema: str, app: str, name: str, *undo_sql: str) -> None:
    """Undo a migration and the app's later ones (which depend on it): one statement each (Citus, like any
    prepared statement, takes one command at a time)."""
    with connection.cursor() as cursor:
        for statement in undo_sql:
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {quote(schema)}.django_migrations WHERE app = %s AND name >= %s", [app, name])


def _drop_audit(schema: str) -> str:
    """Undoes the audit app's migrations (its tables), so they are pending again."""
    return f"DROP TABLE {quote(schema)}.audit_auditentry, {quote(schema)}.audit_auditarchive"


def test_pending_migration_is_replayed_and_matches_the_template(world):
    schema = world.beta.schema_name
    reference = fingerprint("county_template")
    _forget_migration(schema, "audit", "0001_initial", _drop_audit(schema))
    assert fingerprint(schema) != reference

    report = migrate_fleet()

    assert report.replayed == [schema]
    assert report.up_to_date == _all_schemas() - 1
    assert fingerprint(schema) == reference
    again = migrate_fleet()
    assert again.up_to_date == _all_schemas()


def test_schemas_in_the_same_state_share_one_replay(world):
    for county in (world.alpha, world.beta):
        _forget_migration(county.schema_name, "audit", "0001_initial",
                          _drop_audit(county.schema_name))
    report = migrate_fleet()
    assert sorted(report.replayed) == sorted([world.alpha.schema_name, world.beta.schema_name])


def test_missing_template_is_rebuilt_by_the_executor(world):
    reference = fingerprint("county_template")
    with connection.cursor() as cursor:
        cursor.execute('DROP SCHEMA "county_template" CASCADE')
    report = migrate_fleet()
    assert report.created == ["county_template"]
    assert schema_exists("county_template")
    assert fingerprint("county_template") == reference


def test_a_schema_that_drifted_from_the_template_stops_the_run(world):
    schema = world.beta.schema_name
    _forget_migration(schema, "audit", "0001_initial", _drop_audit(schema))
    with connection.cursor() as cursor:  # a hand-made change nobody recorded
        cursor.execute(f"ALTER TABLE {quote(schema)}.access_membership ADD COLUMN stray integer")
    with pytest.raises(RuntimeError, match="does not match the template"):
        migrate_fleet()


def test_spares_are_migrated_with_the_fleet(world):
    spare = spare_names()[0]
    _forget_migration(spare, "audit", "0001_initial", _drop_audit(spare))
    report = migrate_fleet()
    assert report.replayed == [spare]
    assert fingerprint(spare) == fingerprint("county_template")


def test_a_plan_spanning_several_apps_is_replayed_from_the_schema_state(world):
    """The first pending migration's ancestors are not the whole state: the replay must start from
    everything the schema has applied (a later migration of another app alters a model from it)."""
    schema = world.beta.schema_name
    reference = fingerprint("county_template")
    _forget_migration(schema, "audit", "0001_initial", _drop_audit(schema))
    # and the app's later ones: import jobs, re-division moves, village re-division, scheduled re-division
    _forget_migration(schema, "organisation", "0003_assessment_township",
                      f"DROP TABLE {quote(schema)}.organisation_scheduledredivision",
                      f"ALTER TABLE {quote(schema)}.organisation_assessment DROP COLUMN township_id",
                      f"DROP TABLE {quote(schema)}.organisation_importjob",
                      f"DROP TABLE {quote(schema)}.organisation_redivisionvillagelink",
                      f"DROP TABLE {quote(schema)}.organisation_redivisionmove",
                      f"ALTER TABLE {quote(schema)}.organisation_redivision DROP COLUMN level",
                      f"ALTER TABLE {quote(schema)}.organisation_village DROP COLUMN started_on")
    report = migrate_fleet()
    assert report.replayed == [schema]
    assert fingerprint(schema) == reference
