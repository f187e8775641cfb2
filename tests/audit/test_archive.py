"""Retention: rows older than AUDIT_RETENTION_DAYS go to a gzip JSON-lines file, and the chain that remains
still verifies from the archived rows' last hash."""

import datetime as dt
import gzip
import json

import pytest
from django.utils import timezone

from audit.archiving import audit_archive_expired
from audit.models import AuditArchive, AuditEntry
from audit.services import audit_record
from core.chain import chain_verify

pytestmark = pytest.mark.django_db


def test_old_rows_are_archived_to_a_file_and_the_chain_still_verifies(world, alpha, settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    settings.AUDIT_RETENTION_DAYS = 180
    with alpha():
        for n in range(4):
            audit_record(actor=world.admin_a, action="deputy.update", data={"n": n})
        later = timezone.now() + dt.timedelta(days=181)  # every row so far is past retention by then
        before = AuditEntry.objects.count()
        archived = audit_archive_expired(now=later)
        assert archived == before
        assert not AuditEntry.objects.filter(action="deputy.update").exists()
        archive = AuditArchive.objects.get()
        lines = [json.loads(line) for line in gzip.open(archive.path, "rt", encoding="utf-8")]
        assert len(lines) == archived and lines[-1]["hash"] == archive.last_hash
        assert str(tmp_path / world.alpha.schema_name / "audit-archive") in archive.path
        # The run's own row links to the anchor; the chain verifies; a second run has nothing to do.
        run = AuditEntry.objects.get(action="audit.archive")
        assert run.prev_hash == archive.last_hash and run.data["rows"] == archived
        assert chain_verify(AuditEntry, AuditArchive).ok
        assert audit_archive_expired() == 0


def test_rows_within_the_retention_period_stay(world, alpha, settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    with alpha():
        audit_record(actor=world.admin_a, action="deputy.update")
        assert audit_archive_expired() == 0
        assert not AuditArchive.objects.exists()
