"""A hash chain over audit rows: each row's hash covers its own fields and the previous row's hash, so
changing, removing or inserting a row breaks the chain at that row (or the next one).

Shared by the county's audit (audit.AuditEntry) and the platform's (tenants.PlatformAuditEntry). Rows are
appended under a transaction-scoped advisory lock per schema, so two writers never link to the same
previous row; archived rows leave their last hash behind as the chain's anchor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

# The fields a row's hash covers, besides the previous hash.
CHAINED_FIELDS = ("at", "actor_id", "action", "target_type", "target_id", "client_address", "data")


def canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def row_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """sha256 of the row's canonical JSON (sorted keys, no spaces) with the previous row's hash."""
    body = {name: canonical(fields.get(name)) for name in CHAINED_FIELDS}
    body["prev_hash"] = prev_hash
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _lock(model) -> None:
    """One writer at a time per chain: a transaction-scoped advisory lock keyed on schema and table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.' || %s))",
                       [model._meta.db_table])


def _adopt_unchained(model, anchor_model) -> str:
    """Rows written before the chain existed (hash '') join it in id order, once; the last hash. Done here
    rather than in a migration, so the migration stays plain SQL the fleet replays (no RunPython)."""
    prev = anchor_hash(anchor_model)
    for row in model.objects.order_by("id").values("id", "prev_hash", "hash", *CHAINED_FIELDS).iterator(
            chunk_size=2000):
        if row["hash"]:
            prev = row["hash"]
            continue
        new = row_hash(row, prev)
        model.objects.filter(pk=row["id"]).update(prev_hash=prev, hash=new)
        prev = new
    return prev


def chain_adopt(model, anchor_model) -> None:
    """Bring rows from before the chain into it (the verify command does this before checking)."""
    with transaction.atomic():
        _lock(model)
        if model.objects.filter(hash="").exists():
            _adopt_unchained(model, anchor_model)


def chain_append(model, anchor_model, **fields):
    """Append one row to `model`'s chain (inside the caller's transaction, or one of its own)."""
    with transaction.atomic():
        _lock(model)
        last = model.objects.order_by("-id").values_list("hash", flat=True).first()
        if last is None:
            last = anchor_hash(anchor_model)
        elif last == "":
            last = _adopt_unchained(model, anchor_model)
        fields["at"] = timezone.now()
        fields["data"] = json.loads(json.dumps(fields.get("data") or {}, ensure_ascii=False))
        return model.objects.create(prev_hash=last, hash=row_hash(fields, last), **fields)


def anchor_hash(anchor_model) -> str:
    """The hash the chain's first remaining row links to: the last archived row's, or '' for a whole chain."""
    return anchor_model.objects.order_by("-last_id").values_list("last_hash", flat=True).first() or ""


@dataclass
class ChainCheck:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def chain_verify(model, anchor_model) -> ChainCheck:
    """Walk the chain in id order; the first row whose link or hash does not hold is named."""
    expected_prev = anchor_hash(anchor_model)
    checked = 0
    rows: Iterable = model.objects.order_by("id").values("id", "prev_hash", "hash", *CHAINED_FIELDS).iterator(
        chunk_size=2000)
    for row in rows:
        checked += 1
        if row["prev_hash"] != expected_prev:
            return ChainCheck(checked, row["id"], "prev_hash")
        if row_hash(row, row["prev_hash"]) != row["hash"]:
            return ChainCheck(checked, row["id"], "hash")
        expected_prev = row["hash"]
    return ChainCheck(checked)


def chain_lock(model) -> None:
    """Hold the chain's lock for the rest of the transaction (archiving)."""
    _lock(model)
