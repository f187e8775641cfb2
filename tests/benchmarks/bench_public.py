"""The county's public face at scale: the online station, the published answers, a station page and its
kiosk, for an anonymous visitor, with 2,000 and 20,000 cases (about half of them answered and published).

    ./tests/benchmarks/run public     (or: python -m tests.benchmarks.bench_public)

The real views through the full middleware stack in this process (server time, no network): median time
and query count. The answers' keyword search reads the anonymised text of at most SEARCH_WINDOW (1,000) of
the newest published answers in Python, so that a constituent's name can never match: its cost is bounded
by that window, not by the number of cases. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import statistics
import time

from tests.benchmarks import common
from tests.benchmarks.bench_casework import CPU, RUNS, _setup_django, add_cases, build_county, list_page, measure


def publish_answered(county) -> int:
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from casework.models import Case

    with tenant_context(county):
        return Case.objects.filter(status__in=["answered", "closed"], answer="").update(
            answer="经乡镇协调，已安排维修，村民饮水问题已解决。联系电话13912345678。", answered_at=timezone.now(),
            published=True)


def figures(county, towns, venues, label):
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django_tenants.utils import tenant_context

    from casework.publication import publishable

    host = county.domains.first().domain
    with tenant_context(county):
        published = publishable().count()
    connection.set_schema_to_public()
    rows = []
    with override_settings(ROOT_URLCONF="config.urls.county", PUBLIC_SCHEMA_URLCONF="config.urls.platform"):
        visitor = Client(HTTP_HOST=host)
        urls = [
            ("online station /", "/"),
            ("published answers, newest 50", "/answers/"),
            ("published answers, one township", f"/answers/?township={towns[3].pk}"),
            ("published answers, keyword (anonymised text)", "/answers/?q=饮水"),
            ("published answers, keyword matching nothing", "/answers/?q=没有这个词"),
            ("public API answers, keyword", "/api/v1/online/answers/?q=饮水"),
            ("station page", f"/stations/{venues[0].pk}/"),
            ("kiosk start", f"/kiosk/{venues[0].pk}/"),
        ]
        for title, url in urls:
            list_page(visitor, url)()  # warm
            CPU.clear()
            times, queries = measure(list_page(visitor, url), RUNS)
            connection.set_schema_to_public()
            rows.append((title, times, queries, list(CPU)))
    print(f"At {published:,} published answers ({label}):", flush=True)
    for title, times, queries, cpu in rows:
        print(f"  {title:<50} median {statistics.median(times) * 1000:7.1f} ms (cpu "
              f"{statistics.median(cpu) * 1000:5.1f} ms)  queries {min(queries)}-{max(queries)}", flush=True)
    return rows


def main() -> None:
    print("[bench] fresh benchmark database; the public face at 2,000 and 20,000 cases", flush=True)
    common.reset_database()
    common.manage("migrate_fleet", "--no-spares")
    _setup_django()
    county, _admin, _staff, towns, villages, venues, deputies, units = build_county()
    began = time.perf_counter()
    add_cases(county, 2000, 0, towns, villages, venues, deputies, units)
    publish_answered(county)
    print(f"[bench] 2,000 cases made in {time.perf_counter() - began:.1f} s", flush=True)
    small = figures(county, towns, venues, "2,000 cases")
    add_cases(county, 18000, 2000, towns, villages, venues, deputies, units)
    publish_answered(county)
    large = figures(county, towns, venues, "20,000 cases")
    print("Ratios (20,000 / 2,000 cases, median time):", flush=True)
    for (title, a, _q, _c), (_t, b, _q2, _c2) in zip(small, large, strict=True):
        print(f"  {title:<50} {statistics.median(b) / statistics.median(a):5.2f}x", flush=True)


if __name__ == "__main__":
    main()
