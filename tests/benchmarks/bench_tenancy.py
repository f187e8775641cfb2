"""Fleet migration and provisioning at 200 counties, against stock django-tenants in the same run.

    ./tests/benchmarks/run            (or: python -m tests.benchmarks.bench_tenancy)

Prints medians of several runs; it asserts nothing about time.
"""

from __future__ import annotations

import os
import time

from tests.benchmarks import common

COUNTIES = int(os.environ.get("JIAZHAN_BENCH_COUNTIES", "200"))
RUNS = int(os.environ.get("JIAZHAN_BENCH_RUNS", "5"))
STOCK_RUNS = int(os.environ.get("JIAZHAN_BENCH_STOCK_RUNS", "3"))


def _setup_django():
    os.environ.update(common.env())
    import django

    django.setup()


def _provision_many(count: int, start: int, province, prefecture, *, spares: bool = False,
                    refills: list[float] | None = None) -> list[float]:
    """Provision `count` counties, timing each. With `spares`, the pool is topped up between two
    provisionings (untimed here: a worker does it after the commit) and each refill's time is kept."""
    from tenants.models import SpareSchema
    from tenants.orchestration.provisioning import county_provision
    from tenants.services.spares import spares_fill

    times = []
    for i in range(start, start + count):
        if spares:
            began = time.perf_counter()
            if spares_fill(target=1) and refills is not None:
                refills.append(time.perf_counter() - began)
        else:
            SpareSchema.objects.all().delete()  # the rows only: an empty pool means clone at provisioning
        began = time.perf_counter()
        county_provision(name=f"基准县{i}", division_code=f"{900000 + i}", slug=f"bench{i:04d}",
                         province=province, prefecture=prefecture, admin_mobile=f"137{i:08d}",
                         admin_name=f"管理员{i}")
        times.append(time.perf_counter() - began)
    return times


def _by_migrations(count: int) -> list[float]:
    """Stock django-tenants' way without a template: CREATE SCHEMA, then every migration."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    times = []
    for i in range(count):
        schema = f"bench_by_migrations_{i}"
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')
        connection.set_schema(schema)
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        times.append(time.perf_counter() - began)
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return times


def _by_stock_clone(count: int) -> list[float]:
    """django-tenants' own clone_schema() of the template (its PL/pgSQL function)."""
    from django.db import connection
    from django_tenants.clone import CloneSchema

    times = []
    for i in range(count):
        schema = f"bench_stock_clone_{i}"
        began = time.perf_counter()
        CloneSchema().clone_schema("county_template", schema)
        times.append(time.perf_counter() - began)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return times


def main() -> None:
    print(f"[bench] fresh benchmark database, {COUNTIES} counties", flush=True)
    common.reset_database()
    common.manage("migrate_fleet", "--no-spares")
    _setup_django()
    from django.db import connection

    from tenants.models import Prefecture, Province

    province = Province.objects.create(name="基准省", division_code="910000")
    prefecture = Prefecture.objects.create(name="基准州", division_code="910100", province=province)
    began = time.perf_counter()
    _provision_many(COUNTIES, 1, province, prefecture, spares=True)
    fill_seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'county_template'")
        tables = cursor.fetchone()[0]
    print(f"[bench] {COUNTIES} counties made in {fill_seconds:.1f} s; {tables} tables a county", flush=True)

    lines = []
    # Provisioning with COUNTIES present, before new migrations accumulate.
    refills: list[float] = []
    provision_before = _provision_many(RUNS * 3, COUNTIES + 1, province, prefecture, spares=True,
                                       refills=refills)
    provision_clone = _provision_many(RUNS, COUNTIES + 1 + RUNS * 3, province, prefecture)
    by_migrations = _by_migrations(3)
    by_stock_clone = _by_stock_clone(3)

    # Fleet migration, nothing to apply.
    from tenants.services.spares import spares_fill

    spares_fill(target=2)  # the fleet holds spares too, as it does in service
    ours_nothing = [common.manage("migrate_fleet", "--no-spares") for _ in range(RUNS)]
    stock_nothing = [common.manage("migrate_schemas") for _ in range(STOCK_RUNS)]
    stock_nothing_mp = [common.manage("migrate_schemas", "--executor", "multiprocessing")
                        for _ in range(STOCK_RUNS)]

    # Fleet migration, one new migration each run.
    ours_new = []
    for _ in range(RUNS):
        common.add_migration()
        ours_new.append(common.manage("migrate_fleet", "--no-spares"))
    stock_new = []
    for _ in range(STOCK_RUNS):
        common.add_migration()
        stock_new.append(common.manage("migrate_schemas"))
    common.manage("migrate_fleet", "--no-spares")  # the template and spares: stock does not know them
    stock_new_mp = []
    for _ in range(STOCK_RUNS):
        common.add_migration()
        stock_new_mp.append(common.manage("migrate_schemas", "--executor", "multiprocessing"))
    common.manage("migrate_fleet", "--no-spares")

    # Provisioning again, now that RUNS + 2 * STOCK_RUNS more migrations exist.
    connection.close()
    provision_after = _provision_many(RUNS * 3, COUNTIES + 1 + RUNS * 4, province, prefecture, spares=True)
    by_migrations_after = _by_migrations(3)

    lines.append(f"Fleet migration over {COUNTIES + 3} schemas ({COUNTIES} counties, the template, 2 spares), "
                 "command wall time:")
    lines.append(common.row("nothing to apply: migrate_fleet (ours)", ours_nothing))
    lines.append(common.row("nothing to apply: migrate_schemas (stock, standard)", stock_nothing))
    lines.append(common.row("nothing to apply: migrate_schemas (stock, multiprocessing)", stock_nothing_mp))
    lines.append(common.row("one new migration: migrate_fleet (ours)", ours_new))
    lines.append(common.row("one new migration: migrate_schemas (stock, standard)", stock_new))
    lines.append(common.row("one new migration: migrate_schemas (stock, multiprocessing)", stock_new_mp))
    lines.append(f"Creating a county with {COUNTIES}+ counties present ({tables} tables a county):")
    base = common.median(by_migrations)
    lines.append(common.row("provision (ours: spare schema renamed + domain + admin)", provision_before,
                            baseline=base))
    lines.append(common.row(f"  ... after {RUNS + 2 * STOCK_RUNS} more migrations", provision_after,
                            baseline=base))
    lines.append(common.row("provision with an empty pool (ours: fast clone of the template)", provision_clone,
                            baseline=base))
    lines.append(common.row("refilling one spare, off the request path (fast clone)", refills, baseline=base))
    lines.append(common.row("schema by running every migration (stock, no template)", by_migrations))
    lines.append(common.row(f"  ... after {RUNS + 2 * STOCK_RUNS} more migrations", by_migrations_after))
    lines.append(common.row("schema by django-tenants clone_schema() of the template", by_stock_clone,
                            baseline=base))
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
