"""Shared by the benchmarks: a throw-away benchmark database and its migrations folder."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
BENCH_DB = "jiazhan_bench"
MIGRATIONS = Path(os.environ.get("JIAZHAN_BENCH_MIGRATIONS") or Path(tempfile.gettempdir()) / "jiazhan-bench")

INITIAL = '''from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="BenchNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("text", models.CharField(max_length=100)),
            ],
        ),
    ]
'''

ADD_FIELD = '''from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("benchapp", "{previous}")]
    operations = [migrations.AddField("benchnote", "extra_{n}", models.IntegerField(null=True))]
'''


def server_url() -> str:
    """The PostgreSQL server: DATABASE_URL's, or the embedded one of JIAZHAN_DATA_DIR."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    sys.path.insert(0, str(ROOT))
    from deploy.embedded.services import ensure_postgres

    return ensure_postgres()


def bench_database_url() -> str:
    parsed = urlparse(server_url())
    return urlunparse(parsed._replace(path=f"/{BENCH_DB}"))


def reset_database() -> None:
    """Drop and re-create the benchmark database and its migrations folder."""
    import psycopg

    parsed = urlparse(server_url())
    admin_url = urlunparse(parsed._replace(path="/postgres")).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    package = MIGRATIONS / "bench_migrations"
    if package.exists():
        for path in package.glob("*.py"):
            path.unlink()
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "0001_initial.py").write_text(INITIAL)


def add_migration() -> str:
    """Write the next AddField migration of the benchmark app; return its name."""
    package = MIGRATIONS / "bench_migrations"
    existing = sorted(p.stem for p in package.glob("0*.py"))
    n = len(existing) + 1
    name = f"{n:04d}_extra_{n}"
    (package / f"{name}.py").write_text(ADD_FIELD.format(previous=existing[-1], n=n))
    return name


def env() -> dict[str, str]:
    values = dict(os.environ)
    values.update(DATABASE_URL=bench_database_url(), DJANGO_SETTINGS_MODULE="tests.benchmarks.settings",
                  JIAZHAN_BENCH_MIGRATIONS=str(MIGRATIONS))
    return values


def manage(*args: str) -> float:
    """Run a management command in a fresh process (as a deploy would); return its wall time."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env(), check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return statistics.median(values)


def row(label: str, values: list[float], unit: str = "s", baseline: float | None = None) -> str:
    med = median(values)
    ratio = f"  ({med / baseline:.2f}x baseline)" if baseline else ""
    shown = ", ".join(f"{v:.3f}" for v in values)
    return f"  {label:<58} median {med:8.3f} {unit}{ratio}   runs: [{shown}]"
