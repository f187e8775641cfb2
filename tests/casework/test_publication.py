"""公开答复: the county publishes answered cases (per case, or by category), anonymised: the constituent's
name, mobile and address never reach the public page, its search or the public API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from casework.models import OpinionCategory
from casework.publication import anonymise, is_published, published_answers
from casework.services import case_answer, case_publish, case_route, category_save
from tests.conftest import ALPHA_HOST

pytestmark = pytest.mark.django_db
NAME, MOBILE = "王建国", "13912345678"
SUMMARY = "王建国（13912345678）反映解放路12号3栋门前路灯不亮"
ANSWER = "已联系王建国本人，13912345678 回访；建国同志家门口（七组）的路灯已修复。"


@pytest.fixture
def answered(alpha, actors, receive):
    """A case about a named constituent whose name and mobile also sit in its summary and answer."""
    def make(category="城建交通"):
        opinion = receive(content=SUMMARY, mobile=MOBILE,
                          category=OpinionCategory.objects.get(name=category))
        opinion.constituent_name = NAME
        opinion.save(update_fields=["constituent_name"])
        case = opinion.case
        case.summary = SUMMARY
        case.save(update_fields=["summary"])
        case = case_route(actor=actors("township_staff_a"), case=case, jurisdiction="village")
        return case_answer(actor=actors("township_staff_a"), case=case, answer=ANSWER)
    return make


def _leaks(text: str) -> list[str]:
    return [secret for secret in (NAME, "建国", MOBILE, "12号", "3栋", "七组") if secret in text]


def test_anonymise_masks_names_numbers_and_house_numbers():
    text = anonymise(SUMMARY + ANSWER + " 身份证430525199001011234 电话0739-7654321",
                     names=[NAME], mobiles=[MOBILE])
    assert _leaks(text) == []
    assert "430525199001011234" not in text and "7654321" not in text
    assert "路灯" in text and "解放路" in text


def test_nothing_is_published_until_the_county_chooses(alpha, actors, answered):
    with alpha():
        case = answered()
        assert not is_published(case) and published_answers() == []
        with pytest.raises(PermissionDenied):
            case_publish(actor=actors("township_staff_a"), case=case, published=True)
        case_publish(actor=actors("admin_a"), case=case, published=True)
        [shown] = published_answers()
        assert shown.pk == case.pk and _leaks(shown.summary + shown.answer) == []
        case_publish(actor=actors("admin_a"), case=case, published=False)
        assert published_answers() == []


def test_a_category_publishes_its_answers_unless_a_case_says_no(alpha, actors, answered):
    with alpha():
        category = OpinionCategory.objects.get(name="城建交通")
        case = answered()
        category_save(actor=actors("admin_a"), category=category, publish_answers=True)
        assert [a.pk for a in published_answers()] == [case.pk]
        assert [a.pk for a in published_answers(category_id=category.pk, township_id=case.township_id)] == [case.pk]
        assert published_answers(category_id=OpinionCategory.objects.get(name="农业农村").pk) == []
        case_publish(actor=actors("admin_a"), case=case, published=False)
        assert published_answers() == []


def test_an_unanswered_case_cannot_be_published(alpha, actors, receive):
    with alpha():
        case = receive().case
        with pytest.raises(ValidationError):
            case_publish(actor=actors("admin_a"), case=case, published=True)


def test_searching_a_name_finds_nothing(alpha, actors, answered):
    """The search reads the anonymised text: a constituent's name or number cannot single out a case."""
    with alpha():
        case = answered()
        case_publish(actor=actors("admin_a"), case=case, published=True)
        assert published_answers(q="路灯") and published_answers(q=NAME) == []
        assert published_answers(q=MOBILE) == [] and published_answers(q="建国") == []


def test_the_public_page_and_api_never_show_the_constituent(world, alpha, actors, answered):
    with alpha():
        case = answered()
        case_publish(actor=actors("admin_a"), case=case, published=True)
    visitor = Client(HTTP_HOST=ALPHA_HOST)
    page = visitor.get("/answers/").content.decode()
    assert "路灯" in page and _leaks(page) == []
    assert _leaks(visitor.get("/").content.decode()) == []
    searched = visitor.get("/answers/", {"q": NAME}).content.decode()  # the box shows what was typed, no case
    assert "路灯" not in searched and "没有符合条件的公开答复" in searched
    api = visitor.get("/api/v1/online/answers/")
    assert api.status_code == 200 and api.json()["results"] and _leaks(api.content.decode()) == []
