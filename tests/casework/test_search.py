"""The case list's text search through the bigram index finds exactly what icontains finds."""

import datetime as dt

import pytest
from django.db import connection

from casework.models import Case
from casework.selectors import cases_filtered
from core.search import text_search

pytestmark = pytest.mark.django_db

SUMMARIES = [
    "村里饮水困难，请求修建水塔", "道路破损严重", "道路、饮水、就医等问题", "饮水饮水饮水", "水饮", "饮",
    "5G信号差，APP打不开", "5g信号时有时无", "Wi-Fi 覆盖 不足", "占比50%的农户", "a_b 与 a%b", "引号'单'与\"双\"",
    "反斜杠\\路径", "符号 & | ! : * ( ) <-> 都在", "abab", "ABA", "  前后空格  ", "第12号：修桥", "第123号：修路",
    "长" * 200, "",
]
QUERIES = [
    "饮水", "水饮", "饮水饮", "饮水饮水饮水", "道路", "路、饮", "5G", "5g", "app", "信号差", "wi-fi", "覆盖 不足",
    "50%", "%的", "a_b", "_b", "a%b", "'单'", "\"双", "斜杠\\", "\\路", "& |", "<->", ":*", "( )", "abab", "bab",
    "aba", "ABAB", "前后", "  前后  ", "第12号", "12号", "23号", "长长长", "长" * 200, "长" * 201, "不存在", "饮", "G",
]


@pytest.fixture
def cases(world, alpha):
    with alpha():
        Case.objects.bulk_create([Case(summary=s, received_on=dt.date(2025, 3, 1)) for s in SUMMARIES])
        yield


@pytest.mark.parametrize("words", QUERIES)
def test_the_index_finds_what_icontains_finds(cases, alpha, words):
    with alpha():
        expected = set(Case.objects.filter(summary__icontains=words.strip()).values_list("summary", flat=True))
        found = set(text_search(Case.objects.all(), words, field="search", text="summary")
                    .values_list("summary", flat=True))
        assert found == expected


def test_the_search_follows_a_changed_summary(cases, alpha):
    with alpha():
        case = Case.objects.get(summary="道路破损严重")
        case.summary = "桥梁垮塌"
        case.save(update_fields=["summary"])
        assert not cases_filtered(Case.objects.all(), q="道路破损").filter(pk=case.pk).exists()
        assert cases_filtered(Case.objects.all(), q="桥梁").filter(pk=case.pk).exists()


def test_the_list_query_uses_the_index(cases, alpha):
    with alpha():
        qs = cases_filtered(Case.objects.all(), q="饮水")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = qs.order_by().explain()
        assert "case_search" in plan
