"""The staff's side of the public face: the county office publishes a case's answer from the case page or a
whole category from the rules page; a station's staff show a confirmed activity on the station's page."""

import pytest

from casework.models import OpinionCategory
from casework.services import case_answer, case_route
from duties.models import DutyRecord
from duties.services.records import duty_record_log
from tests.conftest import ALPHA_HOST, login

pytestmark = pytest.mark.django_db


def test_the_office_publishes_an_answer_from_the_case_page(world, alpha, actors, receive):
    with alpha():
        case = case_route(actor=actors("township_staff_a"), case=receive(content="东村桥面破损").case,
                          jurisdiction="village")
        case = case_answer(actor=actors("township_staff_a"), case=case, answer="桥面已修补")
        case.summary = "东村桥面破损"
        case.save(update_fields=["summary"])
    admin, staff = login(ALPHA_HOST, world.admin_a), login(ALPHA_HOST, world.township_staff_a)
    assert "公开答复" in admin.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="publish"' not in staff.get(f"/cases/{case.pk}/").content.decode()
    assert staff.post(f"/cases/{case.pk}/publish/", {"published": "yes"}).status_code == 403
    assert admin.post(f"/cases/{case.pk}/publish/", {"published": "yes"}).status_code == 302
    assert "桥面已修补" in login(ALPHA_HOST, None).get("/answers/").content.decode()
    admin.post(f"/cases/{case.pk}/publish/", {"published": ""})  # back to the category's choice: not published
    assert "桥面已修补" not in login(ALPHA_HOST, None).get("/answers/").content.decode()
    with alpha():
        category = OpinionCategory.objects.first()
    admin.post("/casework/rules/", {"which": "publish", "category": category.pk})
    with alpha():
        assert OpinionCategory.objects.get(pk=category.pk).publish_answers
    admin.post("/casework/rules/", {"which": "publish", "category": category.pk})
    with alpha():
        assert not OpinionCategory.objects.get(pk=category.pk).publish_answers


def test_a_station_shows_a_confirmed_activity_on_its_page(world, alpha, actors):
    import datetime as dt

    from organisation.models import Venue
    from people.models import Deputy

    with alpha():
        record = duty_record_log(actor=actors("deputy_a"), deputy=Deputy.objects.get(pk=world.ids["deputy"]),
                                 kind="reception", occurred_on=dt.date(2026, 3, 2), title="三月接待日走访东村",
                                 venue=Venue.objects.get(pk=world.ids["v1"]), content="只给内部看的内容")
    visitor = login(ALPHA_HOST, None)
    admin = login(ALPHA_HOST, world.admin_a)
    assert "三月接待日走访东村" not in visitor.get(f"/stations/{world.ids['v1']}/").content.decode()
    assert 'id="publish"' in admin.get(f"/duty/records/{record.pk}/").content.decode()
    assert admin.post(f"/duty/records/{record.pk}/publish/", {"published": "1"}).status_code == 302
    page = visitor.get(f"/stations/{world.ids['v1']}/").content.decode()
    assert "三月接待日走访东村" in page and "只给内部看的内容" not in page
    admin.post(f"/duty/records/{record.pk}/publish/", {"published": "0"})
    with alpha():
        assert not DutyRecord.objects.get(pk=record.pk).published
        DutyRecord.objects.filter(pk=record.pk).delete()
