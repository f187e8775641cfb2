"""Each county's audit rows form a hash chain: verify_audit_chain names the first row that does not hold."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditArchive, AuditEntry
from audit.services import audit_record
from core.chain import chain_verify
from tenants.models import PlatformAuditArchive, PlatformAuditEntry

pytestmark = pytest.mark.django_db


def _verify(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit_chain", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def _three_rows(world):
    return [audit_record(actor=world.admin_a, action="deputy.update", data={"n": n, "名": "张三"}) for n in range(3)]


def test_a_whole_chain_verifies(world, alpha):
    with alpha():
        _three_rows(world)
    code, out = _verify("--county", "alpha")
    assert code == 0, out
    assert "哈希链完整" in out


def test_tampering_with_one_row_names_that_row(world, alpha):
    with alpha():
        first, middle, last = _three_rows(world)
        AuditEntry.objects.filter(pk=middle.pk).update(data={"n": 99, "名": "张三"})
    code, out = _verify("--county", "alpha")
    assert code == 1
    assert f"BROKEN {world.alpha.schema_name} {middle.pk}" in out
    assert f"记录编号 {middle.pk}" in out


def test_changing_who_acted_or_when_is_caught_too(world, alpha):
    with alpha():
        rows = _three_rows(world)
        AuditEntry.objects.filter(pk=rows[0].pk).update(actor_id=world.outsider.pk)
        assert chain_verify(AuditEntry, AuditArchive).broken_id == rows[0].pk


def test_removing_a_row_names_the_row_after_it(world, alpha):
    with alpha():
        first, middle, last = _three_rows(world)
        AuditEntry.objects.filter(pk=middle.pk).delete()
        check = chain_verify(AuditEntry, AuditArchive)
    assert (check.broken_id, check.reason) == (last.pk, "prev_hash")


def test_each_row_links_to_the_previous_one(world, alpha):
    with alpha():
        first, middle, last = _three_rows(world)
    assert middle.prev_hash == first.hash and last.prev_hash == middle.hash
    assert len(last.hash) == 64


def test_the_platform_has_its_own_chain(world):
    row = audit_record(actor=world.province_staff, action="county.provision", data={"slug": "x"})
    assert isinstance(row, PlatformAuditEntry)
    assert chain_verify(PlatformAuditEntry, PlatformAuditArchive).ok
    PlatformAuditEntry.objects.filter(pk=row.pk).update(action="county.other")
    code, out = _verify("--platform")
    assert code == 1 and f"BROKEN public {row.pk}" in out


def test_one_county_is_checked_apart_from_another(world, alpha):
    with alpha():
        rows = _three_rows(world)
        AuditEntry.objects.filter(pk=rows[1].pk).update(action="deputy.create")
    assert _verify("--county", "beta")[0] == 0
    assert _verify("--county", "alpha")[0] == 1


def test_an_unknown_county_is_an_error():
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", "--county", "nowhere", stdout=io.StringIO())


def test_rows_from_before_the_chain_join_it_on_the_next_write(world, alpha):
    with alpha():
        old = _three_rows(world)
        AuditEntry.objects.filter(pk__in=[r.pk for r in old]).update(hash="", prev_hash="")
        new = audit_record(actor=world.admin_a, action="deputy.update")
        assert chain_verify(AuditEntry, AuditArchive).ok
        assert new.prev_hash == AuditEntry.objects.get(pk=old[-1].pk).hash != ""
