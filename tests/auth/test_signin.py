"""Getting in: invitations by SMS (grant, roster import, provisioning), first login by code, setting,
resetting and changing a password, the password rules, the lockout and its unlock, the per-address limit."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_tenants.utils import tenant_context

from audit.models import AuditEntry
from people.actors import actor_for
from people.services.roster import roster_import
from tenants.models import Account
from tests.auth.conftest import last_code, sms_to
from tests.conftest import ALPHA_HOST, PASSWORD, login
from tests.people.roster.files import id_number, person, roster

pytestmark = pytest.mark.django_db

NEW = "13912366001"
GOOD = "qiushui2026"


def _grant(world, mobile=NEW, name="新成员"):
    response = login(ALPHA_HOST, world.admin_a).post(
        "/members/grant/", {"mobile": mobile, "name": name, "role": "opinion_observer"})
    assert response.status_code == 302, response.content.decode()[:500]
    return Account.objects.get(mobile=mobile)


def _actions(world, action):
    with tenant_context(world.alpha):
        return list(AuditEntry.objects.filter(action=action).values_list("target_id", flat=True))


# --- invitations -----------------------------------------------------------------------------------------

def test_a_grant_invites_a_new_account_once_naming_the_county_login_page(world):
    account = _grant(world)
    [invitation] = sms_to(world.alpha, NEW, "access.invitation")
    assert "甲县人大常委会" in invitation.body and "http://alpha.localhost/login/code/" in invitation.body
    assert invitation.account_id is None and account.mobile == NEW  # an SMS, not an in-app message
    with tenant_context(world.alpha):
        from access.services import membership_grant
        membership_grant(account=account, role="deputy", actor=None)  # a second role: no second invitation
    assert len(sms_to(world.alpha, NEW, "access.invitation")) == 1


def test_someone_who_already_has_a_password_is_not_invited(world):
    login(ALPHA_HOST, world.admin_a).post("/members/grant/", {"mobile": world.outsider.mobile,
                                                              "role": "opinion_observer"})
    assert sms_to(world.alpha, world.outsider.mobile, "access.invitation") == []


def test_the_api_grant_invites_too(world):
    response = login(ALPHA_HOST, world.admin_a).post(
        "/api/v1/memberships/", {"mobile": NEW, "name": "接口成员", "role": "opinion_observer"},
        content_type="application/json")
    assert response.status_code == 201
    assert len(sms_to(world.alpha, NEW, "access.invitation")) == 1


def test_roster_import_invites_each_new_deputy_and_a_reimport_sends_nothing_again(world):
    content = roster(person(mobile="13912366011", id_number=id_number("19750304", 121)),
                     person(name="王建国", mobile="13912366012", id_number=id_number("19680712", 132),
                            group_role=""))
    with tenant_context(world.alpha):
        assert roster_import(actor=actor_for(world.admin_a), content=content).ok
        assert roster_import(actor=actor_for(world.admin_a), content=content).ok
    for mobile in ("13912366011", "13912366012"):
        assert len(sms_to(world.alpha, mobile, "access.invitation")) == 1


def test_a_new_county_invites_its_first_administrator(world):
    from tenants.orchestration.provisioning import county_provision

    county = county_provision(name="丙县", division_code="990103", slug="gamma", province=world.province,
                              prefecture=world.prefecture, admin_mobile="13912366021", admin_name="丙县管理员")
    [invitation] = sms_to(county, "13912366021", "access.invitation")
    assert "丙县" in invitation.body and "gamma.localhost" in invitation.body


# --- first login by code, then a password ------------------------------------------------------------------

def test_first_login_by_code_then_password_then_logout_and_in_again(world):
    _grant(world)
    client = Client(HTTP_HOST=ALPHA_HOST)
    response = client.post("/login/code/", {"mobile": NEW, "send_code": "1"})
    assert "验证码已通过短信发送" in response.content.decode()
    response = client.post("/login/code/", {"mobile": NEW, "code": last_code(world.alpha, NEW)})
    assert response.status_code == 302 and response["Location"] == "/password/set/"
    response = client.post("/password/set/", {"new_password1": GOOD, "new_password2": GOOD})
    assert response.status_code == 302
    client.post("/logout/")
    response = client.post("/login/", {"mobile": NEW, "password": GOOD})
    assert response.status_code == 302
    account = Account.objects.get(mobile=NEW)
    assert set(_actions(world, "auth.password_set")) == {str(account.pk)}
    assert {str(account.pk)} <= set(_actions(world, "auth.login")) and _actions(world, "auth.logout")


def test_a_wrong_code_is_refused_and_five_wrong_codes_drop_it(world):
    _grant(world)
    client = Client(HTTP_HOST=ALPHA_HOST)
    client.post("/login/code/", {"mobile": NEW, "send_code": "1"})
    code = last_code(world.alpha, NEW)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        response = client.post("/login/code/", {"mobile": NEW, "code": wrong})
        assert "验证码不正确或已过期。" in response.content.decode()
    AccessAttempt.objects.all().delete()  # four failures; the fifth would lock the account: not this test's point
    client.post("/login/code/", {"mobile": NEW, "code": wrong})
    AccessAttempt.objects.all().delete()
    response = client.post("/login/code/", {"mobile": NEW, "code": code})
    assert response.status_code == 200 and "验证码不正确或已过期。" in response.content.decode()


def test_no_code_goes_to_a_number_that_is_not_a_member_here_and_the_page_says_the_same(world):
    client = Client(HTTP_HOST=ALPHA_HOST)
    response = client.post("/login/code/", {"mobile": world.admin_b.mobile, "send_code": "1"})
    assert "如果该号码已在本站登记" in response.content.decode()
    assert sms_to(world.alpha, world.admin_b.mobile, "access.code.login") == []


def test_code_sending_is_throttled_per_mobile(world):
    _grant(world)
    client = Client(HTTP_HOST=ALPHA_HOST)
    for n in range(5):
        assert client.post("/login/code/", {"mobile": NEW, "send_code": "1"},
                           REMOTE_ADDR=f"192.0.2.{n}").status_code == 200
    response = client.post("/login/code/", {"mobile": NEW, "send_code": "1"}, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429 and "获取验证码太频繁" in response.content.decode()


def test_forgot_password_by_code(world):
    client = Client(HTTP_HOST=ALPHA_HOST)
    mobile = world.deputy_a.mobile
    client.post("/password/forgot/", {"mobile": mobile, "send_code": "1"})
    response = client.post("/password/forgot/", {"mobile": mobile, "code": last_code(world.alpha, mobile, "reset")})
    assert response["Location"] == "/password/set/"
    assert client.post("/password/set/", {"new_password1": GOOD, "new_password2": GOOD}).status_code == 302
    assert Client(HTTP_HOST=ALPHA_HOST).post("/login/", {"mobile": mobile, "password": GOOD}).status_code == 302
    assert _actions(world, "auth.password_reset") == [str(world.deputy_a.pk)]


def test_the_code_pages_are_county_pages(world):
    assert Client(HTTP_HOST="localhost").get("/login/code/").status_code == 404


# --- password rules ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("password,message", [
    ("ab12", "密码长度太短"),
    ("12345678901", "密码须同时包含英文字母和数字"),
    ("abcdefghij", "密码须同时包含英文字母和数字"),
    ("password1", "这个密码太常见了"),
    ("a13700000011", "密码不能包含手机号码或身份证号码"),
    ("x430525198001010011", "密码不能包含手机号码或身份证号码"),
    ("abc\x00defg123", "含有无效字符"),
])
def test_password_rules_in_chinese(world, password, message):
    client = login(ALPHA_HOST, world.deputy_a)
    response = client.post("/password/change/", {"old_password": PASSWORD, "new_password1": password,
                                                 "new_password2": password})
    assert response.status_code == 200
    assert message in response.content.decode(), response.content.decode()[-1500:]


def test_password_change(world):
    client = login(ALPHA_HOST, world.deputy_a)
    response = client.post("/password/change/", {"old_password": "wrong-1234", "new_password1": GOOD,
                                                 "new_password2": GOOD})
    assert "原密码不正确。" in response.content.decode()
    response = client.post("/password/change/", {"old_password": PASSWORD, "new_password1": GOOD,
                                                 "new_password2": GOOD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still signed in
    assert _actions(world, "auth.password_change") == [str(world.deputy_a.pk)]


def test_mobile_takes_ascii_digits_only_and_a_nul_byte_is_an_invalid_character(world):
    client = Client(HTTP_HOST=ALPHA_HOST)
    page = client.post("/login/", {"mobile": "１３７００００００１１", "password": PASSWORD}).content.decode()
    assert "请输入11位中国大陆手机号码。" in page
    page = client.post("/login/", {"mobile": "1370000\x000011", "password": PASSWORD}).content.decode()
    assert "含有无效字符。" in page and "空" not in page.split("<main")[1]
    response = login(ALPHA_HOST, world.admin_a).post(
        "/api/v1/memberships/", {"mobile": "１３９１２３６６００１", "name": "x", "role": "opinion_observer"},
        content_type="application/json")
    assert response.status_code == 400 and "手机号码" in response.content.decode()
    response = login(ALPHA_HOST, world.admin_a).post(
        "/api/v1/memberships/", {"mobile": NEW, "name": "a\x00b", "role": "opinion_observer"},
        content_type="application/json")
    assert response.status_code == 400 and "含有无效字符。" in response.json()["name"][0]


# --- lockout ------------------------------------------------------------------------------------------------

def _wrong(client, mobile, **extra):
    return client.post("/login/", {"mobile": mobile, "password": "wrong-pass-1"}, **extra)


def test_six_wrong_passwords_lock_the_account_and_the_admin_unlocks_it(world):
    client = Client(HTTP_HOST=ALPHA_HOST)
    mobile = world.deputy_a.mobile
    for n in range(5):
        response = _wrong(client, mobile, REMOTE_ADDR="192.0.2.10", HTTP_X_REAL_IP=f"10.0.0.{n}")
        assert response.status_code in (200, 429)
    response = _wrong(client, mobile, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
    locked = "登录失败次数过多，账号已锁定15分钟，请稍后再试或联系管理员解锁。"
    assert locked in response.content.decode()
    # The right password does not help now, nor another address.
    response = Client(HTTP_HOST=ALPHA_HOST).post("/login/", {"mobile": mobile, "password": PASSWORD},
                                                 REMOTE_ADDR="198.51.100.3")
    assert response.status_code == 429 and locked in response.content.decode()
    assert _actions(world, "auth.locked") and len(_actions(world, "auth.login_failed")) >= 5

    admin = login(ALPHA_HOST, world.admin_a)
    page = admin.get("/members/", {"q": mobile}).content.decode()
    assert "已锁定" in page and "解锁" in page
    with tenant_context(world.alpha):
        from access.models import Membership
        pk = Membership.objects.get(account_id=world.deputy_a.pk, role="deputy").pk
    assert login(ALPHA_HOST, world.township_staff_a).post(f"/members/{pk}/unlock/").status_code == 403
    assert admin.post(f"/members/{pk}/unlock/").status_code == 302
    assert _actions(world, "auth.unlock") == [str(world.deputy_a.pk)]
    assert login(ALPHA_HOST, world.deputy_a)  # asserts the 302


def test_the_lock_holds_on_every_host(world):
    for _ in range(5):
        _wrong(Client(HTTP_HOST="beta.localhost"), world.admin_a.mobile)
    response = Client(HTTP_HOST=ALPHA_HOST).post("/login/", {"mobile": world.admin_a.mobile, "password": PASSWORD})
    assert response.status_code == 429


def test_a_spoofed_x_real_ip_from_an_untrusted_peer_does_not_reset_the_address_limit(world, settings):
    from access.signin import ADDRESS_FAILURES

    settings.TRUSTED_PROXIES = []
    client = Client(HTTP_HOST=ALPHA_HOST)
    for n in range(ADDRESS_FAILURES):
        _wrong(client, f"139123670{n:02d}", REMOTE_ADDR="192.0.2.20", HTTP_X_REAL_IP=f"10.0.{n}.1",
               HTTP_X_FORWARDED_FOR=f"10.1.{n}.1")
    response = client.post("/login/", {"mobile": world.deputy_a.mobile, "password": PASSWORD},
                           REMOTE_ADDR="192.0.2.20", HTTP_X_REAL_IP="10.9.9.9")
    assert response.status_code == 200 and "您所在网络登录失败次数过多" in response.content.decode()
    # Another address is not blocked, and behind a trusted proxy the header names the client.
    assert login(ALPHA_HOST, world.deputy_a)
    settings.TRUSTED_PROXIES = ["192.0.2.20"]
    response = client.post("/login/", {"mobile": world.deputy_a.mobile, "password": PASSWORD},
                           REMOTE_ADDR="192.0.2.20", HTTP_X_REAL_IP="203.0.113.50")
    assert response.status_code == 302
