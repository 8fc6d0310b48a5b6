"""Jobs run inside the request (JOBS_RUN_INLINE, the test settings): the import and the exports as jobs,
their page, their file, who may see them, and what a failed job says. The thread and the broker modes are in
test_embedded.py and test_broker.py."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from orgs.models import Organization
from reports.jobs import run as jobs
from reports.jobs.models import Job, JobKind, JobStatus
from reports.jobs.run import JobFailed, run_job
from reports.workbook.imports import import_workbook
from reports.workbook.imports.files import CORRUPT
from tests.conftest import count_queries
from tests.reports.jobs.helpers import IMPORT_URL, orgs_sheet, upload
from tests.reports.workbook.workbooks import full_workbook, read, xlsx

pytestmark = pytest.mark.django_db


def test_an_import_job_writes_its_rows_and_reports_the_counts(liaison_client, liaison_officer):
    response = liaison_client.post(IMPORT_URL, {"file": upload(xlsx(orgs_sheet(30)), "三十个学会.xlsx")})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.kind, job.status, job.created_by) == (JobKind.IMPORT, JobStatus.DONE, liaison_officer.user)
    assert job.title == "三十个学会.xlsx"
    # the upload was saved through the storage for the job, and deleted once read (personal data)
    assert job.input_file.name == ""
    assert not default_storage.exists(f"jobs/{job.pk}/三十个学会.xlsx")
    assert job.counts == {"sheets": 1, "read": 30, "checked": 30, "written": 30, "total": 30}
    assert job.result["counts"] == {"组织": [30, 0, 0]}
    assert Organization.objects.count() == 30
    text = liaison_client.get(response["Location"]).content.decode()
    assert "已完成" in text
    assert "导入完成" in text
    assert "三十个学会.xlsx" in text
    assert 'value="100"' in text
    assert "hx-trigger" not in text  # no polling once it is done


def test_one_bad_row_lists_the_problem_and_writes_nothing(liaison_client):
    liaison_client.post(IMPORT_URL, {"file": upload(xlsx(orgs_sheet(20, bad_row=7)))})

    job = Job.objects.get()
    assert job.status == JobStatus.DONE  # the job did its work: the report is its result
    assert job.result["problem_count"] == 1
    assert job.result["problems"][0][:4] == ["组织", 8, "类别", "不存在的类别"]
    assert job.counts["written"] == 0
    assert not Organization.objects.exists()
    text = liaison_client.get(job.get_absolute_url()).content.decode()
    assert "发现 1 个问题，未写入任何数据" in text
    assert "不存在的类别" in text


def test_a_corrupt_workbook_fails_with_the_importers_refusal(liaison_client):
    good = xlsx(orgs_sheet(3))
    # a zip with the parts a workbook has, one of them truncated: passes the package checks, openpyxl fails
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename == "xl/workbook.xml" else data)

    response = liaison_client.post(IMPORT_URL, {"file": upload(buffer.getvalue())}, follow=True)

    job = Job.objects.get()
    assert (job.status, job.message) == (JobStatus.FAILED, CORRUPT)
    text = response.content.decode()
    assert "任务失败，未写入任何数据" in text
    assert CORRUPT in text
    assert "Traceback" not in text
    assert not Organization.objects.exists()


def test_a_file_refused_on_upload_starts_no_job(liaison_client):
    response = liaison_client.post(IMPORT_URL, {"file": upload(b"PK\x03\x04 not really")})
    assert response.status_code == 200
    assert "文件" in response.context["form"].errors["file"][0]
    assert not Job.objects.exists()


def test_a_job_that_raises_fails_with_a_chinese_message_and_no_traceback(liaison_officer, liaison_client):
    @jobs.kind("test_raises")
    def explode(job, progress):
        progress.update(read=5)
        raise ZeroDivisionError("division by zero")

    try:
        job = Job.objects.create(kind="test_raises", created_by=liaison_officer.user)
        run_job(job.pk)
    finally:
        jobs.KINDS.pop("test_raises")

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == jobs.UNEXPECTED
    assert job.counts == {"read": 5}
    assert job.finished_at is not None
    text = liaison_client.get(job.get_absolute_url()).content.decode()
    assert "任务执行时发生意外错误" in text
    assert "ZeroDivisionError" not in text
    assert "division by zero" not in text


def test_a_job_failed_on_purpose_shows_its_own_message(liaison_officer):
    @jobs.kind("test_refuses")
    def refuse(job, progress):
        raise JobFailed("年度不存在。")

    try:
        job = Job.objects.create(kind="test_refuses", created_by=liaison_officer.user)
        run_job(job.pk)
    finally:
        jobs.KINDS.pop("test_refuses")
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, "年度不存在。")


def test_a_job_runs_once(liaison_officer):
    calls = []

    @jobs.kind("test_once")
    def once(job, progress):
        calls.append(job.pk)

    try:
        job = Job.objects.create(kind="test_once", created_by=liaison_officer.user)
        run_job(job.pk)
        run_job(job.pk)  # a broker redelivering the message
    finally:
        jobs.KINDS.pop("test_once")
    assert calls == [job.pk]


def test_a_job_running_past_the_time_limit_shows_as_interrupted(liaison_officer, liaison_client, settings):
    job = Job.objects.create(
        kind=JobKind.IMPORT,
        created_by=liaison_officer.user,
        status=JobStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALE_AFTER + 60),
    )
    text = liaison_client.get(job.get_absolute_url()).content.decode()
    assert "已中断" in text
    assert "任务已中断" in text
    assert "hx-trigger" not in text
    never_started = Job.objects.create(
        kind=JobKind.IMPORT,
        created_by=liaison_officer.user,
        created_at=timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALE_AFTER + 60),
    )
    assert "已中断" in liaison_client.get(never_started.get_absolute_url()).content.decode()
    job.started_at = timezone.now()
    job.save()
    text = liaison_client.get(job.get_absolute_url()).content.decode()
    assert "进行中" in text
    assert 'hx-trigger="every 1s"' in text
    assert f'href="/reports/jobs/{job.pk}/">刷新</a>' in text  # without JavaScript


def test_the_htmx_poll_answers_the_status_part_and_reloads_when_done(liaison_officer, liaison_client):
    job = Job.objects.create(
        kind=JobKind.IMPORT,
        created_by=liaison_officer.user,
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        counts={"sheets": 1, "read": 120, "checked": 0, "written": 0, "total": 0},
    )
    response = liaison_client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "<html" not in text  # the status part only
    assert 'id="job-status"' in text
    assert '已读取行</dt><dd class="col-5 col-sm-3 mb-1">120</dd>' in text
    assert "value=" not in text.split("<progress", 1)[1].split(">")[0]  # the total is not known yet
    assert "HX-Refresh" not in response
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, result=None)
    response = liaison_client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"


def test_progress_is_visible_on_the_page_while_the_import_runs(liaison_officer, liaison_client):
    """The counts reach the job page mid-way, while the import's transaction is still open."""
    from reports.jobs.progress import Progress

    job = Job.objects.create(
        kind=JobKind.IMPORT,
        created_by=liaison_officer.user,
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
    )
    progress = Progress(job.pk)
    seen: list[dict] = []
    pages: list[str] = []

    def callback(counts: dict[str, int]) -> None:
        seen.append(dict(counts))
        progress(counts)
        if (counts["read"] == 150 and not pages) or (counts["checked"] == 150 and len(pages) == 1):
            pages.append(liaison_client.get(job.get_absolute_url()).content.decode())

    result = import_workbook(xlsx(orgs_sheet(300)), progress=callback, every=50)

    assert result.ok
    steps = [(c["sheets"], c["read"], c["checked"], c["written"], c["total"]) for c in seen]
    assert steps == [
        # every 50 rows read, then the sheet read, then its total known
        *[(0, n, 0, 0, 0) for n in (50, 100, 150, 200, 250, 300)],
        (1, 300, 0, 0, 0),
        (1, 300, 0, 0, 300),
        # every 50 rows checked while the sheet is applied, then exactly at its end
        *[(1, 300, n, 0, 300) for n in (50, 100, 150, 200, 250, 300)],
        (1, 300, 300, 0, 300),
        # written once the transaction has committed
        (1, 300, 300, 300, 300),
    ]
    page, applying = pages
    # while the sheet is applied, inside the import's open transaction: half of the rows checked
    assert '已检查行</dt><dd class="col-5 col-sm-3 mb-1">150</dd>' in applying
    assert 'max="100" value="50"' in applying
    assert "进行中" in page
    assert (
        '<dt class="col-7 col-sm-3 fw-normal text-body-secondary">已读取行</dt><dd class="col-5 col-sm-3 mb-1">150</dd>'
        in page
    )


def test_a_dry_run_job_counts_nothing_written(liaison_client):
    liaison_client.post(IMPORT_URL, {"file": upload(xlsx(orgs_sheet(4))), "dry_run": "on"})
    job = Job.objects.get()
    assert job.params == {"dry_run": True}
    assert job.counts == {"sheets": 1, "read": 4, "checked": 4, "written": 0, "total": 4}
    assert job.result["dry_run"] is True
    assert not Organization.objects.exists()


# --- who sees a job ----------------------------------------------------------------------------------------


@pytest.fixture
def records_job(liaison_client):
    assert import_workbook(xlsx(full_workbook())).ok
    response = liaison_client.post("/reports/io/export/2026/records/job")
    assert response.status_code == 302
    return Job.objects.get(kind=JobKind.EXPORT_RECORDS)


def test_the_records_export_job_writes_the_file_with_its_counts(liaison_client, records_job):
    job = records_job
    assert job.status == JobStatus.DONE
    assert job.result_file.name.startswith(f"jobs/{job.pk}/2026年度联系记录_")
    # 2 records and the 1 demand raised by the first one (full_workbook)
    assert job.counts == {"written": 3, "total": 3}
    assert job.result["rows"] == 3
    page = liaison_client.get(job.get_absolute_url()).content.decode()
    assert "文件已生成" in page
    assert "共写入 3 行" in page
    response = liaison_client.get(f"/reports/jobs/{job.pk}/file")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheets = read(b"".join(response.streaming_content))
    assert list(sheets) == ["联系记录", "诉求"]
    assert len(sheets["联系记录"]) == 3  # with the header row
    assert len(sheets["诉求"]) == 2


def test_the_full_export_job_is_logged_as_the_synchronous_one(liaison_client):
    from liaison.models import PersonalDataView

    assert import_workbook(xlsx(full_workbook())).ok
    liaison_client.post("/reports/io/export/2026/all/job")
    job = Job.objects.get(kind=JobKind.EXPORT_ALL)
    assert job.status == JobStatus.DONE
    assert list(read(job.result_file.read()))[:3] == ["组织", "科技工作者", "干部"]
    assert PersonalDataView.objects.filter(what="reports:io_export_all").count() == 1


@pytest.mark.parametrize("persona", ["leader_client", "staff_client"])
def test_another_user_gets_404_on_the_job_and_its_file(request, persona, records_job):
    client = request.getfixturevalue(persona)
    assert client.get(records_job.get_absolute_url()).status_code == 404
    assert client.get(f"/reports/jobs/{records_job.pk}/file").status_code == 404
    assert client.get(records_job.get_absolute_url(), headers={"HX-Request": "true"}).status_code == 404
    # the job's link, not its bare id (an id such as 26 is in every "2026" of the page)
    assert (
        records_job.get_absolute_url()
        not in client.get("/reports/jobs/").content.decode().split("<tbody>")[1]
    )


def test_a_superuser_sees_every_job(admin_client_, records_job):
    assert admin_client_.get(records_job.get_absolute_url()).status_code == 200
    assert admin_client_.get(f"/reports/jobs/{records_job.pk}/file").status_code == 200


def test_anonymous_is_sent_to_login(client, records_job):
    response = client.get(records_job.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_who_may_start_the_exports(staff_client, outsider_client, liaison_client):
    assert import_workbook(xlsx(full_workbook())).ok
    for client in (staff_client, outsider_client):
        assert client.post("/reports/io/export/2026/records/job").status_code == 403
        assert client.post("/reports/io/export/2026/all/job").status_code == 403
    assert liaison_client.post("/reports/io/export/1999/records/job").status_code == 404
    assert liaison_client.get("/reports/io/export/2026/records/job").status_code == 405
    assert not Job.objects.exists()


def test_no_file_before_the_job_is_done(liaison_officer, liaison_client):
    job = Job.objects.create(kind=JobKind.EXPORT_RECORDS, created_by=liaison_officer.user)
    assert liaison_client.get(f"/reports/jobs/{job.pk}/file").status_code == 404
    assert "排队中" in liaison_client.get(job.get_absolute_url()).content.decode()


def test_my_jobs_lists_the_users_own_recent_jobs(liaison_officer, leader, liaison_client):
    mine = Job.objects.create(kind=JobKind.IMPORT, created_by=liaison_officer.user, title="名单.xlsx")
    Job.objects.create(kind=JobKind.IMPORT, created_by=leader.user, title="别人的.xlsx")
    text = liaison_client.get("/reports/jobs/").content.decode()
    assert "我的任务" in text
    assert f'href="/reports/jobs/{mine.pk}/"' in text
    assert "名单.xlsx" in text
    assert "别人的.xlsx" not in text
    assert 'href="/reports/jobs/"' in liaison_client.get(IMPORT_URL).content.decode()
    assert 'href="/reports/jobs/"' in liaison_client.get("/reports/io/export/").content.decode()


def test_the_pages_queries_do_not_grow_with_the_jobs(liaison_officer, liaison_client):
    job = Job.objects.create(kind=JobKind.IMPORT, created_by=liaison_officer.user)
    few = count_queries(liaison_client, "/reports/jobs/")
    one = count_queries(liaison_client, job.get_absolute_url())
    for _ in range(20):
        Job.objects.create(
            kind=JobKind.EXPORT_RECORDS, created_by=liaison_officer.user, status=JobStatus.DONE
        )
    assert count_queries(liaison_client, "/reports/jobs/") == few
    assert count_queries(liaison_client, job.get_absolute_url()) == one
