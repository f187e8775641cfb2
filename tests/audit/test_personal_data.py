"""Every export or unmasked view of personal data leaves an audit row (the issue: exporting the roster with
names, mobiles and ID numbers left none)."""

import pytest

from audit.models import AuditEntry
from casework.models import Channel
from casework.services import opinion_receive
from people.actors import actor_for

pytestmark = pytest.mark.django_db


def _rows(alpha, action):
    with alpha():
        return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_the_roster_export_is_audited(world, as_, alpha):
    assert as_("admin_a").get("/api/v1/roster/export/").status_code == 200
    row = _rows(alpha, "roster.export")[-1]
    assert row.actor_id == world.admin_a.pk and row.data["with_id_numbers"] >= 3


def test_a_deputy_full_record_is_audited_and_a_card_is_not(world, as_, alpha):
    as_("admin_a").get(f"/api/v1/deputies/{world.ids['deputy']}/")
    row = _rows(alpha, "deputy.view_full")[-1]
    assert row.target_id == str(world.ids["deputy"])
    before = len(_rows(alpha, "deputy.view_full"))
    as_("unit_a").get(f"/api/v1/deputies/{world.ids['deputy']}/")  # a card: no personal data
    as_("deputy_a").get(f"/api/v1/deputies/{world.ids['deputy']}/")  # their own record
    assert len(_rows(alpha, "deputy.view_full")) == before


def test_the_deputies_export_page_is_audited(world, as_, alpha):
    as_("admin_a").get("/deputies/", {"export": "xlsx"})
    assert _rows(alpha, "deputy.export")


def test_unmasked_constituents_on_a_case_are_audited(world, as_, alpha):
    with alpha():
        opinion = opinion_receive(actor=actor_for(world.admin_a), content="路灯坏了", channel=Channel.PHONE,
                                  constituent_name="李四", constituent_mobile="13912377201")
    client = as_("admin_a")
    assert "李四" in client.get(f"/cases/{opinion.case_id}/").content.decode()
    assert _rows(alpha, "constituent.view")[-1].data["opinions"] == [opinion.pk]
    client.get(f"/api/v1/cases/{opinion.case_id}/")
    client.get("/api/v1/opinions/")
    assert len(_rows(alpha, "constituent.view")) == 3
    client.get("/cases/", {"export": "xlsx"})
    assert _rows(alpha, "constituent.export")
