"""Retention: rows older than AUDIT_RETENTION_DAYS leave the table for a gzip JSON-lines file (one per run,
under AUDIT_ARCHIVE_DIR/<schema>/audit-archive/), never silently deleted. The last archived row's hash is
kept (AuditArchive.last_hash) as the anchor the remaining chain links to, so it still verifies."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.chain import CHAINED_FIELDS, canonical, chain_lock

from .services import audit_record, chain_models


def archive_folder() -> Path:
    return Path(settings.AUDIT_ARCHIVE_DIR) / connection.schema_name / "audit-archive"


@transaction.atomic
def audit_archive_expired(*, now: dt.datetime | None = None) -> int:
    """Archive the expired rows of the current schema's chain; the number archived (0: nothing to do)."""
    model, anchor_model = chain_models()
    chain_lock(model)
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    last_id = model.objects.filter(at__lt=cutoff).order_by("-id").values_list("id", flat=True).first()
    if last_id is None:
        return 0
    # The chain's oldest rows up to the newest expired one: what remains is a whole chain from an anchor.
    rows = model.objects.filter(id__lte=last_id).order_by("id")
    folder = archive_folder()
    folder.mkdir(parents=True, exist_ok=True)
    first_id = rows.values_list("id", flat=True).first()
    path = folder / f"audit-{first_id}-{last_id}.jsonl.gz"
    partial = path.with_suffix(".partial")
    count, last_hash = 0, ""
    with gzip.open(partial, "wt", encoding="utf-8") as out:
        for row in rows.values("id", "prev_hash", "hash", *CHAINED_FIELDS).iterator(chunk_size=2000):
            out.write(json.dumps({k: canonical(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True))
            out.write("\n")
            count, last_hash = count + 1, row["hash"]
    with open(partial, "rb") as f:
        os.fsync(f.fileno())
        digest = hashlib.sha256(f.read()).hexdigest()
    partial.replace(path)
    anchor_model.objects.create(first_id=first_id, last_id=last_id, last_hash=last_hash, count=count,
                                path=str(path), sha256=digest)
    rows.delete()
    audit_record(actor=None, action="audit.archive", client_address="",
                 data={"rows": count, "first_id": first_id, "last_id": last_id, "file": path.name})
    return count
