"""frontend.pages: the member guard, the pager and the .xlsx download every county page shares."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.http import Http404
from django.test import Client, RequestFactory

from core.xlsx import XLSX_CONTENT_TYPE, xlsx_rows
from frontend.pages import PAGE_SIZE, member_required, paginate, query_without_page, xlsx_download
from organisation.models import Township
from tests.conftest import ALPHA_HOST, PLATFORM_HOST, login

pytestmark = pytest.mark.django_db

GUARDED = ["/deputies/", "/organisation/venues/", "/members/", "/roster/", "/cases/"]


@pytest.mark.parametrize("path", GUARDED)
def test_anonymous_is_sent_to_the_login_page(world, path):
    response = Client(HTTP_HOST=ALPHA_HOST).get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_logged_in_person_with_no_role_here_gets_404(world, alpha):
    """Not reachable through a client (a county's session outlives no membership), so the guard is called
    as a view would be: the outsider gets the same 404 as a missing page, and the view never runs."""
    calls = []
    view = member_required(lambda request, actor: calls.append(actor))
    request = RequestFactory().get("/", HTTP_HOST=ALPHA_HOST)
    request.tenant, request.user = world.alpha, world.outsider
    with alpha(), pytest.raises(Http404):
        view(request)
    assert calls == []
    member = RequestFactory().get("/", HTTP_HOST=ALPHA_HOST)
    member.tenant, member.user = world.alpha, world.deputy_a
    with alpha():
        view(member)
    assert [actor.account_id for actor in calls] == [world.deputy_a.pk]


@pytest.mark.parametrize("path", ["/deputies/", "/organisation/venues/", "/members/", "/roster/"])
def test_county_pages_are_not_on_the_platform_host(world, path):
    assert login(PLATFORM_HOST, world.province_staff).get(path).status_code == 404


def test_a_member_without_the_role_is_refused_with_403(world, as_):
    assert as_("deputy_a").get("/members/").status_code == 403


def _get(**params):
    return RequestFactory().get("/", params)


def test_paginate_counts_in_one_query_and_survives_bad_and_far_page_numbers(world, alpha, django_assert_num_queries):
    with alpha():
        qs = Township.objects.order_by("pk")
        total = qs.count()
        with django_assert_num_queries(1):
            first = paginate(qs, _get())
        assert (first.number, first.total, first.num_pages) == (1, total, 1)
        assert first.start == 1 and first.end == total and not first.has_next and not first.has_previous
        assert paginate(qs, _get(page="abc")).number == 1
        assert paginate(qs, _get(page="-3")).number == 1
        beyond = paginate(qs, _get(page="9"))
        assert beyond.rows == [] and beyond.total == total and beyond.number == 9
        assert (beyond.start, beyond.end) == (0, 0) and beyond.has_previous and not beyond.has_next
        empty = paginate(qs.none(), _get())
        assert empty.total == 0 and empty.num_pages == 1
    assert PAGE_SIZE == 50


def test_query_without_page_keeps_the_filters_only():
    query = query_without_page(_get(q="代表", page="2", export="xlsx", level="county"))
    assert query == "q=%E4%BB%A3%E8%A1%A8&level=county"


def test_xlsx_download_sends_a_chinese_file_name_intact():
    response = xlsx_download(["姓名", "层级"], [["张三", "县级"]], filename="代表名册 2025.xlsx", title="代表名册")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="download.xlsx"; filename*=utf-8\'\'')
    assert unquote(disposition.split("filename*=utf-8''", 1)[1]) == "代表名册 2025.xlsx"
    assert xlsx_rows(response.content) == (["姓名", "层级"], [(2, ["张三", "县级"])])


def test_xlsx_download_keeps_an_ascii_name_plain():
    response = xlsx_download(["a"], [], filename="cases.xlsx", title="x")
    assert response["Content-Disposition"] == 'attachment; filename="cases.xlsx"'


def test_the_platform_home_lists_the_counties_a_page_at_a_time(world, monkeypatch):
    """A province's counties (an operator's, the nation's) are paged, not all drawn on one page."""
    monkeypatch.setattr("frontend.pages.PAGE_SIZE", 1)
    client = login(PLATFORM_HOST, world.province_staff)
    first, second = client.get("/"), client.get("/?page=2")
    assert first.status_code == second.status_code == 200
    names = [row.name for row in first.context["page"].rows + second.context["page"].rows]
    assert names == ["甲县", "乙县"] and first.context["page"].total == 2
    assert "下一页" in first.content.decode() and "page=2" in first.content.decode()
