"""Reception pages: who reaches which page, the forms' Chinese errors, and a session list whose query count
does not grow with its rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.xlsx import xlsx_rows
from reception.models import AttendanceNoticeJob, ReceptionSession, RotaEntry
from reception.services.schedule import schedule_for
from tests.conftest import BETA_HOST, login
from tests.reception.conftest import make_session, make_session_now

pytestmark = pytest.mark.django_db


def test_staff_pages_by_scope(world, alpha, as_, today):
    with alpha():
        s1 = make_session(world.ids["v1"], today + dt.timedelta(days=3))
        s2 = make_session(world.ids["v2"], today + dt.timedelta(days=3))
    admin, east, west, unit = as_("admin_a"), as_("township_staff_a"), as_("station_staff_a"), as_("unit_a")
    page = admin.get("/reception/").content.decode()
    assert "东村联络站" in page and "西村联络站" in page
    assert east.get(f"/reception/{s1.pk}/").status_code == 200
    assert east.get(f"/reception/{s2.pk}/").status_code == 404
    assert west.get(f"/reception/{s2.pk}/").status_code == 200
    assert unit.get(f"/reception/{s1.pk}/").status_code == 404
    assert east.get(f"/reception/stations/{world.ids['v1']}/").status_code == 200
    assert west.get(f"/reception/stations/{world.ids['v1']}/").status_code == 404
    assert "签到码" in east.get(f"/reception/stations/{world.ids['v1']}/").content.decode()
    beta = login(BETA_HOST, world.admin_b)
    assert "东村联络站" not in beta.get("/reception/").content.decode()


def test_a_rota_with_a_stranger_is_refused_on_the_page(world, alpha, as_, today):
    with alpha():
        session = make_session(world.ids["v1"], today + dt.timedelta(days=3))
    admin = as_("admin_a")
    response = admin.post(f"/reception/{session.pk}/rota/", {"deputies": [world.ids["west_deputy"]]}, follow=True)
    assert "不能排入值班" in response.content.decode()
    with alpha():
        assert not RotaEntry.objects.filter(session=session).exists()
    response = admin.post(f"/reception/{session.pk}/rota/", {"deputies": [world.ids["deputy"]]}, follow=True)
    body = response.content.decode()
    assert "已保存值班安排" in body and "县级代表 1 名，少于规定的 5 名" in body


def test_publishing_and_moving_from_the_pages(world, alpha, as_, today):
    admin = as_("admin_a")
    response = admin.post(f"/reception/stations/{world.ids['v1']}/", {"publish": "1", "year": today.year + 1},
                          follow=True)
    assert f"已发布{today.year + 1}年接待日安排，新增 24 个接待日" in response.content.decode()
    bad = admin.post(f"/reception/stations/{world.ids['v1']}/", {"publish": "1", "year": today.year + 5})
    assert "只能发布今年或明年" in bad.content.decode()
    with alpha():
        session = ReceptionSession.objects.filter(venue_id=world.ids["v1"]).order_by("date").first()
    moved = admin.post(f"/reception/{session.pk}/move/", {"date": (session.date + dt.timedelta(days=2)).isoformat(),
                                                         "reason": "与镇人代会冲突"}, follow=True)
    assert "已调整接待日" in moved.content.decode()


def test_the_deputy_signs_in_from_the_qr_page(world, alpha, as_, today):
    with alpha():
        make_session_now(world.ids["v1"])
        token = schedule_for(ReceptionSession.objects.filter(venue_id=world.ids["v1"]).first().venue).sign_in_token
    deputy = as_("deputy_a")
    assert "签到" in deputy.get(f"/reception/sign-in/{token}/").content.decode()
    done = deputy.post(f"/reception/sign-in/{token}/", follow=True).content.decode()
    assert "签到成功" in done and "已签到" in done
    refused = as_("admin_a").post(f"/reception/sign-in/{token}/", follow=True).content.decode()
    assert "只有代表本人可以扫码签到" in refused
    assert deputy.get("/reception/sign-in/nonsense/").status_code == 404


def test_notices_page_starts_a_job_and_messages_are_private(world, alpha, as_, today):
    admin = as_("admin_a")
    response = admin.post("/reception/notices/", {"year": today.year - 1}, follow=True)
    assert "已开始生成" in response.content.decode()
    with alpha():
        assert AttendanceNoticeJob.objects.filter(year=today.year - 1).exists()
    assert as_("deputy_a").post("/reception/notices/", {"year": today.year - 1}).status_code == 403
    assert as_("deputy_a").get("/me/messages/").status_code == 200


def _session_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/reception/").status_code == 200
    return len(queries)


def test_the_session_list_costs_the_same_queries_at_any_size(world, alpha, as_, today):
    admin = as_("admin_a")
    with alpha():
        for n in range(3):
            make_session(world.ids["v1"], today + dt.timedelta(days=n + 1))
    small = _session_list_queries(admin)
    with alpha():
        ReceptionSession.objects.bulk_create([
            ReceptionSession(venue_id=world.ids["v2"], planned_on=today + dt.timedelta(days=n + 1),
                             date=today + dt.timedelta(days=n + 1),
                             starts_at=timezone.now() + dt.timedelta(days=n + 1),
                             ends_at=timezone.now() + dt.timedelta(days=n + 1, hours=3)) for n in range(120)])
    assert _session_list_queries(admin) == small <= 10


def test_the_attendance_register_page_and_pdf(world, alpha, as_, today):
    import io

    from pypdf import PdfReader

    from reception.services.signin import attendance_mark
    from tests.reception.conftest import make_session

    with alpha():
        from people.actors import actor_for
        from people.models import Deputy

        session = make_session(world.ids["v1"], today - dt.timedelta(days=3))
        absent_day = make_session(world.ids["v1"], today - dt.timedelta(days=2))
        RotaEntry.objects.create(session=session, deputy_id=world.ids["deputy"])
        RotaEntry.objects.create(session=absent_day, deputy_id=world.ids["deputy"])
        attendance_mark(actor=actor_for(world.admin_a), session=session,
                        deputy=Deputy.objects.get(pk=world.ids["deputy"]),
                        arrived_at=session.starts_at + dt.timedelta(minutes=30))
    east = as_("township_staff_a")
    url = f"/registers/attendance/{world.ids['v1']}/?start={today - dt.timedelta(days=5)}&end={today}"
    page = east.get(url).content.decode()
    assert "出席、迟到" in page and "缺席" in page
    assert f"/registers/attendance/{world.ids['v1']}/" in east.get("/registers/").content.decode()
    pdf = east.get(url + "&format=pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "代表出勤登记簿" in text and "出席、迟到" in text and "缺席" in text
    assert as_("station_staff_a").get(url).status_code == 404


def test_the_public_calendar_needs_no_login_and_names_no_deputy(world, alpha, today):
    from django.test import Client

    with alpha():
        session = make_session(world.ids["v1"], today + dt.timedelta(days=4))
        RotaEntry.objects.create(session=session, deputy_id=world.ids["deputy"])
    page = Client(HTTP_HOST="alpha.localhost").get("/reception/calendar/").content.decode()
    assert "东村联络站" in page and world.deputy_a.name not in page
    beta = Client(HTTP_HOST="beta.localhost").get("/reception/calendar/").content.decode()
    assert "东村联络站" not in beta


def test_an_issue_raised_at_reception_prints_as_an_issue_form(world, alpha, as_, today):
    """The constituent-issue form (选民反映问题处理单) of the case an issue opened: the name and mobile for
    those who may read them, masked for others."""
    from people.actors import actor_for
    from reception.services.records import IssueInput, reception_record_save

    with alpha():
        session = make_session(world.ids["v1"], today - dt.timedelta(days=1))
        record = reception_record_save(actor=actor_for(world.admin_a), session=session, visitors_count=3, issues=[
            IssueInput(content="村口路灯损坏", constituent_name="赵六", consent=True,
                       constituent_mobile="13955556666")])
        case_id = record.issues.get().opinion.case_id
    url = f"/registers/issue-form/{case_id}/"
    admin_view = as_("admin_a").get(url).content.decode()
    assert "选民反映问题处理单" in admin_view and "村口路灯损坏" in admin_view and "赵六 13955556666" in admin_view
    assert as_("admin_a").get(url + "?format=pdf")["Content-Type"] == "application/pdf"
    assert url in as_("admin_a").get(f"/cases/{case_id}/").content.decode()
    assert as_("unit_a").get(url).status_code == 404


def test_a_deputys_home_shows_what_to_do_next(world, alpha, as_, today):
    with alpha():
        session = make_session(world.ids["v1"], today + dt.timedelta(days=2))
        RotaEntry.objects.create(session=session, deputy_id=world.ids["deputy"])
    home = as_("deputy_a").get("/").content.decode()
    assert "记录履职" in home and f"/reception/{session.pk}/" in home and "未读消息" in home
    assert "记录履职" not in as_("admin_a").get("/").content.decode()


def test_a_station_rotates_its_sign_in_code_and_the_old_one_stops_working(world, alpha, as_, today):
    with alpha():
        make_session_now(world.ids["v1"])
        old = schedule_for(ReceptionSession.objects.filter(venue_id=world.ids["v1"]).first().venue).sign_in_token
    east = as_("township_staff_a")
    assert "已更换签到码" in east.post(f"/reception/stations/{world.ids['v1']}/", {"rotate": "1"},
                                   follow=True).content.decode()
    assert as_("deputy_a").get(f"/reception/sign-in/{old}/").status_code == 404
    assert as_("station_staff_a").post(f"/reception/stations/{world.ids['v1']}/", {"rotate": "1"}).status_code == 404


def test_the_session_list_exports_each_reader_s_stations(world, alpha, as_, today):
    from core.xlsx import XLSX_CONTENT_TYPE, xlsx_rows

    with alpha():
        make_session(world.ids["v1"], today + dt.timedelta(days=3))
        make_session(world.ids["v2"], today + dt.timedelta(days=3))
    for name, stations in (("admin_a", {"东村联络站", "西村联络站"}), ("township_staff_a", {"东村联络站"}),
                           ("station_staff_a", {"西村联络站"})):
        exported = as_(name).get("/reception/?export=xlsx")
        assert exported.status_code == 200 and exported["Content-Type"] == XLSX_CONTENT_TYPE
        headers, body = xlsx_rows(exported.content)
        assert headers[:5] == ["日期", "站点", "状态", "值班代表", "已签到"]
        assert {row[1] for _n, row in body} == stations
    assert as_("deputy_a").get("/reception/?export=xlsx").status_code == 302  # a deputy's own page instead


def _rostered(world, venue: str, day: dt.date, deputy: str, **entry) -> ReceptionSession:
    session = make_session(world.ids[venue], day)
    RotaEntry.objects.create(session=session, deputy_id=world.ids[deputy], **entry)
    return session


def test_the_session_list_exports_the_attendance_of_its_days_across_stations(world, alpha, as_):
    """The county office's attendance register of every station for the month the list shows (a station's
    staff: their stations'); deputies by name, never their mobiles; two queries however many rows."""
    from people.actors import actor_for
    from people.models import Deputy
    from reception.services.signin import attendance_mark

    with alpha():
        present = _rostered(world, "v1", dt.date(2025, 3, 4), "deputy")
        attendance_mark(actor=actor_for(world.admin_a), session=present,
                        deputy=Deputy.objects.get(pk=world.ids["deputy"]),
                        arrived_at=present.starts_at + dt.timedelta(minutes=30))
        _rostered(world, "v1", dt.date(2025, 3, 11), "deputy")
        _rostered(world, "v2", dt.date(2025, 3, 4), "west_deputy", excused=True, excuse="外出学习")
        _rostered(world, "v2", dt.date(2025, 4, 1), "west_deputy")  # another month: not on the list
    url = "/reception/?month=2025-03&export=attendance"
    with CaptureQueriesContext(connection) as queries:
        exported = as_("admin_a").get(url)
    assert exported.status_code == 200 and "reception-attendance.xlsx" in exported["Content-Disposition"]
    headers, body = xlsx_rows(exported.content)
    assert headers == ["日期", "站点", "代表", "出勤", "签到", "签退", "方式"]
    assert [values[:5] for _n, values in body] == [
        ["2025-03-04", "东村联络站", "甲县县代表", "出席、迟到", "09:30"],
        ["2025-03-04", "西村联络站", "甲县乡代表", "请假：外出学习", None],
        ["2025-03-11", "东村联络站", "甲县县代表", "缺席", None]]
    cells = {str(value) for _n, values in body for value in values}
    with alpha():
        mobiles = set(Deputy.objects.values_list("account__mobile", flat=True))
    assert not any(mobile in cell for mobile in mobiles for cell in cells)
    _h, west = xlsx_rows(as_("station_staff_a").get(url).content)
    assert [values[1:3] for _n, values in west] == [["西村联络站", "甲县乡代表"]]
    with alpha():
        for day in range(12, 20):
            _rostered(world, "v1", dt.date(2025, 3, day), "deputy")
    with CaptureQueriesContext(connection) as more:
        assert len(xlsx_rows(as_("admin_a").get(url).content)[1]) == 11
    assert len(more) == len(queries)
    assert 'value="attendance"' in as_("admin_a").get("/reception/").content.decode()
