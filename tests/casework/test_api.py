"""The casework API beyond the permission matrix: personal data masked for those who do not need it,
Beta sees nothing of Alpha, a unit lists only its assigned items, bad input answers 400 in Chinese."""

import pytest

from tests.conftest import BETA_HOST, login

pytestmark = pytest.mark.django_db


def _west_case(world, alpha, actors):
    from casework.services import opinion_receive
    from organisation.models import Village

    with alpha():
        return opinion_receive(actor=actors("admin_a"), content="西村自来水管破裂", channel="phone",
                               village=Village.objects.get(pk=world.ids["village_west"]), constituent_name="李四",
                               constituent_mobile="13800001234", consent=True)


def test_constituent_shown_to_those_who_need_it_masked_elsewhere(world, alpha, actors, as_):
    opinion = _west_case(world, alpha, actors)
    admin = as_("admin_a").get(f"/api/v1/cases/{opinion.case_id}/").json()["opinions"][0]
    assert (admin["constituent_name"], admin["constituent_mobile"]) == ("李四", "13800001234")
    # station_staff_a (v2, west) supervises the west township's cases, but this one was not taken at v2.
    station = as_("station_staff_a").get(f"/api/v1/cases/{opinion.case_id}/").json()["opinions"][0]
    assert (station["constituent_name"], station["constituent_mobile"]) == ("", "138****1234")
    listed = as_("station_staff_a").get("/api/v1/opinions/").json()["results"]
    assert [o["constituent_mobile"] for o in listed if o["id"] == opinion.pk] == ["138****1234"]
    assert as_("township_staff_a").get(f"/api/v1/cases/{opinion.case_id}/").status_code == 404  # east town


def test_beta_sees_nothing_of_alpha(world, alpha, actors, receive):
    with alpha():
        opinion = receive()
    beta = login(BETA_HOST, world.admin_b)
    assert beta.get("/api/v1/cases/").json()["count"] == 0
    assert beta.get("/api/v1/opinions/").json()["count"] == 0
    assert beta.get(f"/api/v1/cases/{opinion.case_id}/").status_code == 404
    assert beta.get("/api/v1/suggestions/").json()["count"] == 0


def test_unit_lists_only_assigned_items_and_errors_are_chinese(world, alpha, actors, as_):
    from casework import services
    from organisation.models import HandlingUnit
    from people.models import Deputy

    with alpha():
        admin = actors("admin_a")
        lead = Deputy.objects.get(pk=world.ids["deputy"])
        mine, other = (services.suggestion_register(actor=admin, suggestion=services.suggestion_submit(
            actor=admin, title=t, content="内容", lead_deputy=lead)) for t in ("甲", "乙"))
        services.suggestion_assign(actor=admin, suggestion=mine,
                                   lead_unit=HandlingUnit.objects.get(pk=world.ids["unit"]))
    unit = as_("unit_a")
    listed = [r["id"] for r in unit.get("/api/v1/suggestions/").json()["results"]]
    assert mine.pk in listed and other.pk not in listed
    assert unit.get(f"/api/v1/suggestions/{other.pk}/").status_code == 404
    response = unit.post(f"/api/v1/suggestions/{mine.pk}/answer/", {"outcome": "cannot_now", "content": "无资金"},
                         content_type="application/json")
    assert response.status_code == 400 and "须说明原因" in response.json()["reason"][0]
    deputy = as_("deputy_a")
    response = deputy.post(f"/api/v1/suggestions/{mine.pk}/rate/", {"process": "satisfied", "result": "satisfied"},
                           content_type="application/json")
    assert response.status_code == 400 and "尚未答复" in response.json()["non_field_errors"][0]
    scores = as_("admin_a").get("/api/v1/unit-scores/").json()
    assert any(card["unit"] == world.ids["unit"] and card["assigned"] == 1 for card in scores)
