"""The county's sign-in rule (idle minutes of staff sessions): the administrator sets it on the members page or
through the API, within 5 to 720 minutes, and the change is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from access.models import SigninRule
from access.services import signin_rule_update
from audit.models import AuditEntry
from people.actors import actor_for

pytestmark = pytest.mark.django_db


def test_the_administrator_sets_the_idle_minutes_and_nobody_else(world, alpha):
    with alpha():
        signin_rule_update(actor=actor_for(world.admin_a), idle_minutes=45)
        assert SigninRule.current().idle_minutes == 45
        assert AuditEntry.objects.filter(action="signin_rule.update", data__idle_minutes=[30, 45]).exists()
        for person in (world.township_staff_a, world.station_staff_a, world.deputy_a, world.unit_a):
            with pytest.raises(PermissionDenied):
                signin_rule_update(actor=actor_for(person), idle_minutes=10)
        for bad in (4, 721, "半小时", None):
            with pytest.raises(ValidationError) as error:
                signin_rule_update(actor=actor_for(world.admin_a), idle_minutes=bad)
            assert error.value.message_dict["idle_minutes"] == ["闲置自动退出时间须为5到720分钟之间的整数。"]
        assert SigninRule.current().idle_minutes == 45


def test_the_members_page_and_the_api_change_it(world, alpha, as_):
    admin = as_("admin_a")
    assert "工作人员闲置自动退出（分钟）" in admin.get("/members/").content.decode()
    response = admin.post("/members/signin-rule/", {"idle_minutes": "20"}, follow=True)
    assert "已保存登录规则。" in response.content.decode()
    with alpha():
        assert SigninRule.current().idle_minutes == 20
    refused = admin.post("/members/signin-rule/", {"idle_minutes": "1"}, follow=True).content.decode()
    assert "5" in refused and "720" in refused
    api = admin.put("/api/v1/signin-rule/", {"idle_minutes": 60}, content_type="application/json")
    assert api.status_code == 200 and api.json() == {"idle_minutes": 60}
    bad = admin.put("/api/v1/signin-rule/", {"idle_minutes": 9999}, content_type="application/json")
    assert bad.status_code == 400 and "idle_minutes" in bad.json()
    assert as_("township_staff_a").get("/api/v1/signin-rule/").status_code == 403
    with alpha():
        assert SigninRule.current().idle_minutes == 60
