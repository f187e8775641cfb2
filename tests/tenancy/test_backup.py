"""One county to one file and back (manage.py backup_county / restore_county): every table of the restored
schema has the source's row count and content hash, the public rows and media come along, accounts are
matched by mobile (or made), and a restore that cannot be done whole changes nothing."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from access.models import Membership
from tenants.models import Account, County, Domain, PlatformAuditEntry, RollupFact
from tenants.orchestration.backup.schema import table_stats
from tenants.services.schemas import fingerprint, schema_exists

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup(world, media, tmp_path):
    """Alpha backed up, with two files in its media folder (an upload and an audit archive)."""
    folder = media / world.alpha.schema_name
    (folder / "venues").mkdir(parents=True)
    (folder / "venues" / "photo.jpg").write_bytes(b"\xff\xd8 a photo \x00\x01")
    (folder / "audit-archive").mkdir()
    (folder / "audit-archive" / "2026-01.jsonl.gz").write_bytes(b"\x1f\x8b archived rows")
    out = tmp_path / "alpha.tar.gz"
    call_command("backup_county", "--county", "alpha", "--out", str(out))
    return out


def _restore(path, *args) -> str:
    out = io.StringIO()
    call_command("restore_county", "--file", str(path), *args, stdout=out)
    return out.getvalue()


def _rewritten(source, target, name, change):
    """A copy of backup `source` with member `name` changed (the manifest's digests are left as they were)."""
    with tarfile.open(source) as tar, tarfile.open(target, "w:gz") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name == name:
                data = change(data)
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def test_a_county_round_trips_with_every_tables_rows_and_hash(world, media, backup):
    source = world.alpha.schema_name
    with tarfile.open(backup) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    stats = table_stats(source)
    assert manifest["tables"] == stats and sum(t["rows"] for t in stats.values()) > 100
    assert any(ref["references"] == "tenants_account" for ref in manifest["public_references"])

    said = _restore(backup, "--slug", "alpha-copy", "--division-code", "990109")
    assert "已恢复 alpha-copy" in said and "2 个文件" in said
    copy = County.objects.get(slug="alpha-copy")
    assert copy.schema_name == "county_990109" and copy.name == world.alpha.name
    assert table_stats(copy.schema_name) == stats  # every table: the same rows, the same content hash
    assert fingerprint(copy.schema_name) == fingerprint(source)  # and its constraints and indexes
    assert Domain.objects.get(tenant=copy).domain == "alpha-copy.localhost"
    assert RollupFact.objects.filter(county=copy).count() == RollupFact.objects.filter(county=world.alpha).count()
    for name in ("venues/photo.jpg", "audit-archive/2026-01.jsonl.gz"):
        assert (media / copy.schema_name / name).read_bytes() == (media / source / name).read_bytes()
    with schema_context(copy.schema_name):  # the schema serves: the ORM reads it, the ids follow on
        assert Membership.objects.filter(account=world.admin_a, is_active=True).exists()
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('access_membership', 'id'))")
            assert cursor.fetchone()[0] > Membership.objects.order_by("-pk").values_list("pk", flat=True)[0]
    actions = list(PlatformAuditEntry.objects.filter(action__startswith="county.").values_list("action", flat=True))
    assert "county.backup" in actions and "county.restore" in actions


def test_a_person_missing_here_is_made_from_the_backup_and_the_schema_points_at_them(world, backup):
    """As on a fresh deployment: the deputy's account is not here (by mobile), so it is made, and every
    reference of the restored schema moves to it; an account that is here is used as it is."""
    mobile = world.deputy_a.mobile
    Account.objects.filter(pk=world.deputy_a.pk).update(mobile="13000000999", name="别人")
    said = _restore(backup, "--slug", "alpha-copy", "--division-code", "990109")
    assert "账号新建 1 个" in said
    made = Account.objects.get(mobile=mobile)
    assert made.pk != world.deputy_a.pk and made.name == world.deputy_a.name
    assert made.password == world.deputy_a.password  # the password hash came along
    assert Account.objects.get(pk=world.deputy_a.pk).name == "别人"  # the one here is not touched
    copy = County.objects.get(slug="alpha-copy")
    with schema_context(copy.schema_name):
        assert Membership.objects.filter(account=made).exists()
        assert not Membership.objects.filter(account_id=world.deputy_a.pk).exists()
    with schema_context(world.alpha.schema_name):
        assert Membership.objects.filter(account_id=world.deputy_a.pk).exists()


def test_a_restore_onto_a_taken_slug_or_code_or_from_a_damaged_file_is_refused_in_chinese(world, backup, tmp_path):
    counties = County.objects.count()
    with pytest.raises(CommandError, match="域名标识“alpha”已存在，未恢复"):
        _restore(backup)
    with pytest.raises(CommandError, match="行政区划代码“990101”已有县使用"):
        _restore(backup, "--slug", "alpha-copy")
    damaged = _rewritten(backup, tmp_path / "damaged.tar.gz", "schema/data.sql", lambda data: data[:-40])
    with pytest.raises(CommandError, match="备份文件已损坏"):
        _restore(damaged, "--slug", "alpha-copy", "--division-code", "990109")
    with pytest.raises(CommandError, match="没有域名标识为“nowhere”的县"):
        call_command("backup_county", "--county", "nowhere", "--out", str(tmp_path / "x.tar.gz"))
    assert County.objects.count() == counties and not schema_exists("county_990109")


def test_a_restore_whose_rows_do_not_match_the_manifest_leaves_nothing_behind(world, media, backup, tmp_path):
    """All or nothing: the schema is loaded, found to differ from the manifest, and everything is undone."""
    def tamper(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["tables"]["access_membership"]["md5"] = "0" * 32
        return json.dumps(manifest).encode()

    bad = _rewritten(backup, tmp_path / "bad.tar.gz", "manifest.json", tamper)
    accounts = Account.objects.count()
    with pytest.raises(CommandError, match="恢复后的数据与备份清单不符（access_membership），已撤销"):
        _restore(bad, "--slug", "alpha-copy", "--division-code", "990109")
    assert not County.objects.filter(slug="alpha-copy").exists() and not schema_exists("county_990109")
    assert Account.objects.count() == accounts and not (media / "county_990109").exists()
    assert not list(media.glob(".restoring-*"))
