"""On a Citus cluster: county schemas distributed, public tables placed, a new migration through the fleet, a
county's page and API call, the province's figures (the move: test_move.py)."""

from __future__ import annotations

import pytest
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader

from casework.models import CaseworkRule
from tenants.orchestration.rollups import regions
from tenants.services import citus
from tenants.services.fleet import migrate_fleet
from tenants.services.schemas import quote
from tenants.services.spares import spare_names
from tests.conftest import ALPHA_HOST, PLATFORM_HOST, login
from tests.rollups.data import fill, rebuild

pytestmark = pytest.mark.django_db


def test_the_database_is_citus_and_every_county_schema_is_distributed(world):
    assert citus.active()
    wanted = {"county_template", world.alpha.schema_name, world.beta.schema_name, *spare_names()}
    assert wanted <= citus.distributed_schemas()
    placed = {citus.placement(schema) for schema in wanted}
    assert placed <= set(citus.workers()) and len(citus.workers()) == 2


def test_what_county_tables_point_at_is_a_reference_table_and_the_rest_of_public_is_on_the_coordinator(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ref.relname FROM pg_constraint con "
            "JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace rn ON rn.oid = rel.relnamespace "
            "JOIN pg_class ref ON ref.oid = con.confrelid JOIN pg_namespace fn ON fn.oid = ref.relnamespace "
            "WHERE con.contype = 'f' AND rn.nspname = %s AND fn.nspname = 'public'",
            [world.alpha.schema_name],
        )
        pointed_at = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT c.relname, p.repmodel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid WHERE n.nspname = 'public' AND c.relkind = 'r'"
        )
        kinds = dict(cursor.fetchall())
    assert pointed_at and pointed_at <= set(citus.reference_tables())
    assert {kinds[t] for t in citus.reference_tables()} == {"t"}  # reference: a copy on every node
    assert {kinds[t] for t in kinds if t not in citus.reference_tables()} == {"s"}  # Citus local tables


def test_a_new_migration_goes_through_the_fleet(world, monkeypatch):
    """One new county migration (a PositiveIntegerField: a CHECK that Citus wants named) reaches the template
    by the executor and every other schema by SQL replay; the test's transaction undoes it all."""
    load_disk = MigrationLoader.load_disk

    def with_one_more(loader):
        load_disk(loader)
        leaf = max(name for app, name in loader.disk_migrations if app == "casework")
        migration = migrations.Migration("9999_citus_probe", "casework")
        migration.dependencies = [("casework", leaf)]
        migration.operations = [migrations.AddField(
            model_name="caseworkrule", name="citus_probe", field=models.PositiveIntegerField(default=3))]
        loader.disk_migrations[("casework", "9999_citus_probe")] = migration

    monkeypatch.setattr(MigrationLoader, "load_disk", with_one_more)
    report = migrate_fleet()
    others = {world.alpha.schema_name, world.beta.schema_name, *spare_names()}
    assert report.executed == ["county_template"] and set(report.replayed) == others
    table = CaseworkRule._meta.db_table
    with connection.cursor() as cursor:
        for schema in others:
            cursor.execute(f"SELECT count(*) FROM {quote(schema)}.{table} WHERE citus_probe = 3")
            cursor.execute(
                "SELECT count(*) FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND con.conname = %s",
                [schema, f"{table}_citus_probe_check"],
            )
            assert cursor.fetchone()[0] == 1
    assert migrate_fleet().up_to_date == report.schemas


def test_a_county_page_and_an_api_call(world):
    client = login(ALPHA_HOST, world.admin_a)
    assert client.get("/").status_code == 200
    assert client.get("/organisation/venues/").status_code == 200
    response = client.get("/api/v1/county/")
    assert response.status_code == 200 and response.json()["name"] == world.alpha.name


def test_the_province_figures(world):
    fill(world.alpha, seed=3, cases=12)
    rebuild(world.alpha)
    regions.rebuild()
    client = login(PLATFORM_HOST, world.province_staff)
    response = client.get(f"/dashboard/?level=province&id={world.province.pk}")
    assert response.status_code == 200
    assert world.alpha.name in response.content.decode()
