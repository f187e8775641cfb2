"""The organisation workbook's page and API: a small file imports in the request, errors come back per
sheet and row, and a large one becomes a background job whose progress and result both show."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.xlsx import XLSX_CONTENT_TYPE, sheets_to_xlsx
from organisation.models import HandlingUnit, ImportJob, Township
from organisation.services import jobs
from organisation.services.workbook.columns import TOWNSHIPS, UNITS

pytestmark = pytest.mark.django_db


def upload(*, units=(), townships=()) -> SimpleUploadedFile:
    content = sheets_to_xlsx([(str(TOWNSHIPS.title), TOWNSHIPS.headers, list(townships)),
                              (str(UNITS.title), UNITS.headers, list(units))])
    return SimpleUploadedFile("组织架构.xlsx", content, content_type=XLSX_CONTENT_TYPE)


def test_the_page_imports_a_small_file_at_once(as_, alpha):
    client = as_("admin_a")
    response = client.post("/organisation/import/", {"file": upload(units=[["甲县教育局", "政府部门", "", "", "是"]])})
    assert response.status_code == 302
    page = client.get("/organisation/import/").content.decode()
    assert "导入成功" in page and "承办单位" in page
    with alpha():
        assert HandlingUnit.objects.filter(name="甲县教育局").exists()


def test_the_page_shows_errors_per_sheet_and_row(as_, alpha):
    response = as_("admin_a").post("/organisation/import/", {
        "file": upload(townships=[["990102300", "南街道", "街道", ""]])})
    assert response.status_code == 400
    page = response.content.decode()
    assert "未导入任何数据" in page and "乡镇（街道）" in page and "第2行" in page
    assert "乡镇代码应以本县（市、区）区划代码990101开头" in page
    with alpha():
        assert not Township.objects.filter(name="南街道").exists()


def test_a_large_file_imports_in_the_background_with_progress(as_, alpha, monkeypatch):
    monkeypatch.setattr(jobs, "BACKGROUND_BYTES", 1)
    client = as_("admin_a")
    response = client.post("/organisation/import/", {"file": upload(units=[["甲县教育局", "", "", "", ""]])})
    assert response.status_code == 302
    job_url = response["Location"]
    with alpha():
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.QUEUED and not HandlingUnit.objects.filter(name="甲县教育局").exists()
    waiting = client.get(job_url, HTTP_HX_REQUEST="true").content.decode()
    assert "排队等待导入" in waiting and 'hx-trigger="every 2s"' in waiting
    seen = []
    with alpha():
        original = jobs.IMPORT_RUNNERS[ImportJob.Kind.ORGANISATION]

        def watched(job, progress):
            def spy(phase, done, total):
                progress(phase, done, total)
                seen.append(client.get(job_url, HTTP_HX_REQUEST="true").content.decode())
            return original(job, spy)

        monkeypatch.setitem(jobs.IMPORT_RUNNERS, ImportJob.Kind.ORGANISATION, watched)
        jobs.import_job_run(job_id=job.pk)
        jobs.import_job_run(job_id=job.pk)  # a retried task: the job is done, nothing runs twice
        assert HandlingUnit.objects.filter(name="甲县教育局").count() == 1
    assert any("正在逐行校验" in page and "已处理 0 / 1 行" in page for page in seen)
    done = client.get(job_url).content.decode()
    assert "导入成功" in done and "hx-trigger" not in done
    assert len(seen) == 4 + 4  # each sheet checked, then each written


def test_the_api_answers_202_and_the_job_its_result(as_, alpha, monkeypatch):
    monkeypatch.setattr(jobs, "BACKGROUND_BYTES", 1)
    client = as_("admin_a")
    response = client.post("/api/v1/organisation/import/", {"file": upload(units=[["县法院", "其他", "", "", ""]])})
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["url"].endswith(f"/api/v1/organisation/import/{body['id']}/")
    with alpha():
        jobs.import_job_run(job_id=body["id"])
    result = client.get(f"/api/v1/organisation/import/{body['id']}/").json()
    assert result["status"] == "refused" and result["counts"] is None
    assert result["errors"] == [{"row": 2, "sheet": "承办单位",
                                 "messages": ["类型“其他”无法识别（应为政府部门、人民法院、人民检察院、其他单位）"]}]


def test_the_api_imports_a_small_file_and_refuses_per_row(as_, alpha):
    client = as_("admin_a")
    ok = client.post("/api/v1/organisation/import/", {"file": upload(units=[["县法院", "人民法院", "", "", ""]])})
    assert ok.status_code == 200 and ok.json()["units_created"] == 1
    bad = client.post("/api/v1/organisation/import/", {"file": upload(townships=[["1", "南街道", "", ""]])})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["sheet"] == "乡镇（街道）"
    assert client.post("/api/v1/organisation/import/", {}).json() == {
        "errors": [{"row": None, "messages": ["请选择要导入的 .xlsx 文件。"]}]}


def test_export_and_template_download_as_xlsx(as_):
    client = as_("admin_a")
    for url in ("/organisation/export/", "/organisation/import/template/", "/api/v1/organisation/export/",
                "/api/v1/organisation/template/"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
        assert response.content[:2] == b"PK"


def test_a_large_roster_imports_in_the_background_too(as_, alpha, monkeypatch):
    from people.models import Deputy
    from tests.api.matrix_roster import _FILE

    monkeypatch.setattr(jobs, "BACKGROUND_BYTES", 1)
    staff = as_("township_staff_a")
    response = staff.post("/roster/", {"file": SimpleUploadedFile("名册.xlsx", _FILE, content_type=XLSX_CONTENT_TYPE)})
    assert response.status_code == 302 and response["Location"].startswith("/roster/import/")
    api = staff.post("/api/v1/roster/import/", {"file": SimpleUploadedFile("名册.xlsx", _FILE)})
    assert api.status_code == 202 and api.json()["status"] == "queued"
    with alpha():
        first, second = ImportJob.objects.order_by("pk")
        jobs.import_job_run(job_id=first.pk)
        jobs.import_job_run(job_id=second.pk)  # the same people again: an update, not a second deputy
        assert Deputy.objects.filter(account__name="矩阵测试代表").count() == 1
    page = staff.get(response["Location"]).content.decode()
    assert "导入成功" in page and "新增代表" in page
    assert staff.get(f"/api/v1/roster/import/{second.pk}/").json()["counts"]["updated"] == 1
    assert as_("admin_a").get(response["Location"]).status_code == 200  # the administrator follows it too
