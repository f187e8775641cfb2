"""PIPL: consent to the privacy notice on the online form and its API; names and mobiles pseudonymised a
county-set number of days after the case closes, by a beat job, audited, counts kept."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from casework import privacy
from casework.models import Case, CaseStatus, CaseTransition, CaseworkRule, Channel, Opinion
from casework.services import opinion_receive
from casework.tasks import pseudonymise_constituents
from people.actors import actor_for
from tests.conftest import ALPHA_HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(alpha):
    with alpha():
        cache.clear()
    return Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.9.9.9")


def test_the_form_shows_the_notice_and_needs_consent(world, public, alpha):
    page = public.get("/online/").content.decode()
    assert "个人信息保护告知" in page and "我已阅读并同意" in page
    refused = public.post("/online/", {"content": "没有勾选同意"})
    assert "请阅读并同意个人信息保护告知" in refused.content.decode()
    public.post("/online/", {"content": "勾选了同意", "privacy_consent": "on"})
    with alpha():
        assert not Opinion.objects.filter(content="没有勾选同意").exists()
        opinion = Opinion.objects.get(content="勾选了同意")
    assert opinion.privacy_notice_version == privacy.NOTICE_VERSION and opinion.privacy_consent_at


def test_the_api_needs_consent_too(world, public, alpha):
    assert public.get("/api/v1/online/privacy-notice/").json()["version"] == privacy.NOTICE_VERSION
    refused = public.post("/api/v1/online/opinions/", {"content": "接口无同意", "privacy_consent": False},
                          content_type="application/json")
    assert refused.status_code == 400 and "privacy_consent" in refused.json()
    stale = public.post("/api/v1/online/opinions/", {"content": "旧版本", "privacy_consent": True,
                                                     "privacy_notice_version": "1999-1"},
                        content_type="application/json")
    assert stale.status_code == 400
    made = public.post("/api/v1/online/opinions/", {"content": "接口有同意", "privacy_consent": True,
                                                    "privacy_notice_version": privacy.NOTICE_VERSION},
                       content_type="application/json")
    assert made.status_code == 201 and len(made.json()["tracking_code"]) == 10
    with alpha():
        assert Opinion.objects.get(content="接口有同意").privacy_consent_at is not None


def _closed_opinion(world, *, days_ago: int, name="王五", mobile="13912377301") -> Opinion:
    opinion = opinion_receive(actor=actor_for(world.admin_a), content=f"{days_ago}天前办结", channel=Channel.PHONE,
                              constituent_name=name, constituent_mobile=mobile)
    Case.objects.filter(pk=opinion.case_id).update(status=CaseStatus.CLOSED)
    closed = CaseTransition.objects.create(case_id=opinion.case_id, from_status=CaseStatus.RECEIVED,
                                           to_status=CaseStatus.CLOSED)
    CaseTransition.objects.filter(pk=closed.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return opinion


def test_names_and_mobiles_go_after_the_county_set_days(world, alpha):
    with alpha():
        rule = CaseworkRule.current()
        rule.pseudonymise_after_days = 30
        rule.save()
        old = _closed_opinion(world, days_ago=31)
        recent = _closed_opinion(world, days_ago=29)
        total = Opinion.objects.count()
        assert pseudonymise_constituents() >= 1
        old.refresh_from_db()
        recent.refresh_from_db()
        assert (old.constituent_name, old.constituent_mobile) == ("已匿名化", "")
        assert old.pseudonymised_at is not None and old.content == "31天前办结"
        assert recent.constituent_name == "王五" and recent.constituent_mobile == "13912377301"
        assert Opinion.objects.count() == total  # the figures stay
        row = AuditEntry.objects.filter(action="constituent.pseudonymise").latest("id")
        assert row.data["opinions"] >= 1 and row.data["after_days"] == 30
        runs = AuditEntry.objects.filter(action="constituent.pseudonymise").count()
        assert pseudonymise_constituents() == 0  # idempotent: nothing left, and no empty audit row
        assert AuditEntry.objects.filter(action="constituent.pseudonymise").count() == runs


def test_open_cases_keep_their_constituents(world, alpha):
    with alpha():
        rule = CaseworkRule.current()
        rule.pseudonymise_after_days = 0
        rule.save()
        opinion = opinion_receive(actor=actor_for(world.admin_a), content="还在办", channel=Channel.PHONE,
                                  constituent_name="赵六", constituent_mobile="13912377302")
        pseudonymise_constituents()
        opinion.refresh_from_db()
        assert opinion.constituent_name == "赵六"
