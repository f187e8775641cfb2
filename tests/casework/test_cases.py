"""Intake, routing by jurisdiction, the case state machine, the constituent's rating, personal data."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Case, CaseStatus, CaseTransition, Opinion, OpinionCategory, RoutingRule, Suggestion
from casework.selectors import cases_visible_to, reads_cases, sees_constituent
from casework.services import (
    case_answer,
    case_merge,
    case_rate_by_constituent,
    case_route,
    opinion_attach,
    routing_rule_save,
)
from notifications.models import Message

pytestmark = pytest.mark.django_db


def test_nine_categories_and_default_routes_are_seeded(alpha):
    with alpha():
        assert list(OpinionCategory.objects.values_list("name", flat=True)) == [
            "工业经济", "营商环境", "民生事业", "城建交通", "教科文卫", "农业农村", "环境保护", "社会保障", "扶贫脱贫"]
        assert dict(RoutingRule.objects.values_list("jurisdiction", "route")) == {
            "village": "township", "township": "township", "county": "suggestion", "prefecture": "escalate",
            "province": "escalate", "policy": "close"}


def test_an_opinion_opens_a_case_at_the_deputys_station(world, alpha, receive):
    with alpha():
        opinion = receive()
        case = opinion.case
        assert case.status == CaseStatus.RECEIVED
        assert (case.township_id, case.venue_id, case.deputy_id) == (world.ids["east"], world.ids["v1"],
                                                                    world.ids["deputy"])
        assert len(opinion.tracking_code) == 10
        assert list(case.transitions.values_list("to_status", flat=True)) == ["received"]


def test_bad_input_is_refused_and_nothing_saved(alpha, receive):
    with alpha():
        before = Case.objects.count()
        with pytest.raises(ValidationError) as error:
            receive(content="  ")
        assert "请填写反映的内容" in str(error.value)
        with pytest.raises(ValidationError):
            receive(mobile="12345")
        assert Case.objects.count() == before


def test_who_opens_the_case_list(alpha, actors):
    """The case list page and its navigation link follow one rule."""
    with alpha():
        for name in ("admin_a", "township_staff_a", "station_staff_a", "deputy_a"):
            assert reads_cases(actors(name))
        assert not reads_cases(actors("unit_a"))


def test_a_deputy_records_only_their_own_opinions(world, alpha, actors):
    from casework.services import opinion_receive
    from people.models import Deputy

    with alpha(), pytest.raises(PermissionDenied):
        opinion_receive(actor=actors("deputy_a"), content="x", channel="phone",
                        deputy=Deputy.objects.get(pk=world.ids["township_deputy"]))
    with alpha(), pytest.raises(PermissionDenied):
        opinion_receive(actor=actors("unit_a"), content="x", channel="phone")


def test_township_route_answer_and_constituent_unsatisfied_then_satisfied(alpha, actors, receive):
    with alpha():
        opinion = receive()
        case = case_route(actor=actors("township_staff_a"), case=opinion.case, jurisdiction="village")
        assert case.status == CaseStatus.TOWNSHIP_HANDLING and case.feedback_due_on is not None
        sms = Message.objects.filter(kind="casework.routed", mobile="13912345678")
        assert sms.count() == 1 and opinion.tracking_code in sms.get().body
        with pytest.raises(PermissionDenied):  # stations supervise, they do not handle
            case_answer(actor=actors("station_staff_a"), case=case, answer="已修")
        case = case_answer(actor=actors("township_staff_a"), case=case, answer="镇政府已安排修补道路")
        assert case.status == CaseStatus.ANSWERED
        with pytest.raises(ValidationError):
            case_rate_by_constituent(tracking_code="WRONGCODE1", rating="satisfied")
        case = case_rate_by_constituent(tracking_code=opinion.tracking_code.lower(), rating="unsatisfied")
        assert case.status == CaseStatus.TOWNSHIP_HANDLING and case.rounds == 2
        case_answer(actor=actors("township_staff_a"), case=case, answer="已重新铺设")
        case = case_rate_by_constituent(tracking_code=opinion.tracking_code, rating="satisfied")
        assert case.status == CaseStatus.CLOSED
        assert Message.objects.filter(kind="casework.answered", mobile="13912345678").count() == 2
        steps = list(CaseTransition.objects.filter(case=case).values_list("to_status", flat=True))
        assert steps == ["received", "township_handling", "answered", "township_handling", "answered", "closed"]
        with pytest.raises(ValidationError) as error:  # the answer after closure
            case_answer(actor=actors("admin_a"), case=case, answer="再答复")
        assert "只有交乡镇办理中的案件" in str(error.value)


def test_illegal_transition_is_refused_in_chinese(alpha, actors, receive):
    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="policy",
                          reason="属于国家政策，已向选民解释")
        assert case.status == CaseStatus.CLOSED
        with pytest.raises(ValidationError) as error:
            case_route(actor=actors("admin_a"), case=case, jurisdiction="village")
        assert "案件当前为“已办结”，只有新登记的案件可以分办。" in str(error.value)
        from casework.services import case_close

        with pytest.raises(ValidationError) as again:  # the transition table refuses closed -> closed
            case_close(actor=actors("admin_a"), case=case, reason="再办结")
        assert "案件当前为“已办结”，不能变为“已办结”" in str(again.value)
        assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_county_matter_becomes_a_suggestion(world, alpha, actors, receive):
    with alpha():
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="county")
        assert case.status == CaseStatus.SUGGESTION
        suggestion = Suggestion.objects.get(case=case)
        assert suggestion.lead_deputy_id == world.ids["deputy"] and suggestion.status == "submitted"


def test_the_county_edits_its_routing(alpha, actors, receive):
    with alpha():
        with pytest.raises(PermissionDenied):
            routing_rule_save(actor=actors("township_staff_a"), jurisdiction="village", route="close")
        with pytest.raises(ValidationError):
            routing_rule_save(actor=actors("admin_a"), jurisdiction="village", route="escalate")
        routing_rule_save(actor=actors("admin_a"), jurisdiction="village", route="suggestion")
        case = case_route(actor=actors("admin_a"), case=receive().case, jurisdiction="village")
        assert case.status == CaseStatus.SUGGESTION


def test_merge_moves_opinions_and_ends_the_others(alpha, actors, receive):
    with alpha():
        first, second = receive(), receive(content="同一条路，路灯也坏了", mobile="13912340000")
        case = case_merge(actor=actors("township_staff_a"), case=first.case, others=[second.case])
        assert set(case.opinions.values_list("pk", flat=True)) == {first.pk, second.pk}
        old = Case.objects.get(pk=second.case_id)
        assert old.status == CaseStatus.MERGED and old.merged_into_id == case.pk
        case_route(actor=actors("admin_a"), case=case, jurisdiction="township")
        assert Message.objects.filter(kind="casework.routed").count() == 2  # both constituents hear


def test_who_sees_the_constituent(world, alpha, actors, receive):
    with alpha():
        opinion = receive()
        case = opinion.case
        seen = {name: sees_constituent(actors(name), opinion) for name in
                ["admin_a", "township_staff_a", "station_staff_a", "deputy_a", "unit_a", "township_deputy_a"]}
        assert seen == {"admin_a": True, "township_staff_a": True, "station_staff_a": False, "deputy_a": True,
                        "unit_a": False, "township_deputy_a": False}
        visible = {name: cases_visible_to(actors(name)).filter(pk=case.pk).exists() for name in seen}
        assert visible == {"admin_a": True, "township_staff_a": True, "station_staff_a": False, "deputy_a": True,
                           "unit_a": False, "township_deputy_a": False}


def test_a_merge_does_not_show_one_deputys_constituent_to_another(world, alpha, actors, receive):
    """Who sees a constituent is decided per opinion: merged into a case another deputy received, an opinion
    stays masked for that deputy, and the deputy who received it still reads it."""
    from casework.services import opinion_receive
    from people.models import Deputy

    with alpha():
        first = receive()  # deputy_a at v1
        west = opinion_receive(actor=actors("admin_a"), content="同一条路，西村这头也坏了", channel="visit",
                               deputy=Deputy.objects.get(pk=world.ids["west_deputy"]), constituent_name="李四",
                               constituent_mobile="13912340001", consent=True)
        case = case_merge(actor=actors("admin_a"), case=first.case, others=[west.case])
        west.refresh_from_db()
        assert west.case_id == case.pk
        assert sees_constituent(actors("deputy_a"), first) is True
        assert sees_constituent(actors("deputy_a"), west) is False
        page = login_as_deputy_a_case_page(world, case.pk)
        assert "张三" in page and "李四" not in page and "139****0001" in page


def login_as_deputy_a_case_page(world, pk: int) -> str:
    from tests.conftest import ALPHA_HOST, login

    return login(ALPHA_HOST, world.deputy_a).get(f"/cases/{pk}/").content.decode()


def test_an_opinion_received_with_its_attachment_is_one_step(alpha, receive, media):
    """The attachment is checked with the opinion: a refused one opens no case and tells nobody."""
    with alpha():
        opinion = receive(attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"))
        assert [a.kind for a in opinion.attachments.all()] == ["pdf"]
        before = (Case.objects.count(), Opinion.objects.count(), Message.objects.count())
        with pytest.raises(ValidationError) as error:
            receive(content="另一件事", attachment=SimpleUploadedFile("a.exe", b"MZ\x90\x00binary", "image/png"))
        assert error.value.message_dict == {"attachment": ["附件须为图片（JPEG、PNG、WEBP）或PDF文件。"]}
        assert (Case.objects.count(), Opinion.objects.count(), Message.objects.count()) == before
        assert not any(media.rglob("a*.exe"))


def test_attachments_images_and_pdf_only(world, alpha, actors, receive, media):
    import io

    from PIL import Image

    with alpha():
        opinion = receive()
        png = io.BytesIO()
        Image.new("RGB", (4, 4), "red").save(png, "PNG")
        made = opinion_attach(actor=actors("deputy_a"), opinion=opinion,
                              upload=SimpleUploadedFile("a.png", png.getvalue(), "image/png"))
        assert made.kind == "png"
        assert opinion_attach(actor=actors("deputy_a"), opinion=opinion, upload=SimpleUploadedFile(
            "a.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")).kind == "pdf"
        with pytest.raises(ValidationError) as error:
            opinion_attach(actor=actors("deputy_a"), opinion=opinion,
                           upload=SimpleUploadedFile("a.exe", b"MZ\x90\x00binary", "image/png"))
        assert "附件须为图片" in str(error.value)
        assert Opinion.objects.get(pk=opinion.pk).attachments.count() == 2
    # served to those who read the case, from the link on its page; nobody else
    from tests.conftest import ALPHA_HOST, login

    url = f"/cases/{opinion.case_id}/attachments/{made.pk}/"
    admin = login(ALPHA_HOST, world.admin_a)
    assert url in admin.get(f"/cases/{opinion.case_id}/").content.decode()
    response = admin.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login(ALPHA_HOST, world.unit_a).get(url).status_code == 404
