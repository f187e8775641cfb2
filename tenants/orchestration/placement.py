"""Where a county's data lives on a Citus cluster: moving it to another worker, with the platform's audit row."""

from __future__ import annotations

import time

from django.db import transaction

from audit.services import audit_record
from tenants.models import County
from tenants.services import citus


def county_move(*, county: County, to_node: str, actor=None) -> float:
    """Move `county`'s schema to the worker `to_node` ("HOST:PORT") while it serves; returns the seconds
    taken. Refused (ValueError, in Chinese) off Citus, for a node that is no worker, or where it already is."""
    if not citus.active():
        raise ValueError("数据库不是 Citus 集群，县的数据无处可迁")
    host, port = citus.parse_node(to_node)
    source = citus.placement(county.schema_name)
    if source is None:
        raise ValueError(f"{county.name} 的数据不在分布式模式中")
    if source == (host, port):
        raise ValueError(f"{county.name} 的数据已在 {to_node}")
    started = time.perf_counter()
    citus.move_schema(county.schema_name, host, port)  # outside a transaction: Citus replicates, then switches
    seconds = time.perf_counter() - started
    with transaction.atomic():
        audit_record(actor=actor, action="county.move", target=county,
                     data={"from": f"{source[0]}:{source[1]}", "to": to_node, "seconds": round(seconds, 2)})
    return seconds
