"""The liaison office, on a phone, uploads a workbook: the job page shows the progress, then the report
(issue 19 §1). The job runs on a thread of the server (the embedded mode), as with `manage.py runserver`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from orgs.models import Organization
from reports.jobs.models import Job, JobStatus
from tests.browser.helpers import assert_fits_phone_width, log_in
from tests.reports.jobs.helpers import orgs_sheet
from tests.reports.workbook.workbooks import xlsx
from tests.services import shots_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = shots_dir()


def test_an_upload_shows_the_progress_then_the_report(
    page: Page, live_server, settings, liaison_officer, tmp_path, console_errors
):
    settings.JOBS_RUN_INLINE = False
    settings.CELERY_BROKER_URL = ""
    workbook = tmp_path / "学会名单.xlsx"
    workbook.write_bytes(xlsx(orgs_sheet(1500)))

    page.goto(live_server.url + "/reports/io/import/")
    log_in(page, liaison_officer.user.username)
    expect(page).to_have_url(re.compile(r"/reports/io/import/$"))
    page.get_by_label("工作簿文件").set_input_files(str(workbook))
    page.get_by_role("button", name="上传").click()

    expect(page).to_have_url(re.compile(r"/reports/jobs/\d+/$"))
    expect(page.get_by_role("heading", name="导入工作簿")).to_be_visible()
    expect(page.get_by_test_id("job-status")).to_be_visible()
    assert_fits_phone_width(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "job-running-375.png"), full_page=True)

    # htmx polls every second and reloads the page once the job is done
    expect(page.get_by_test_id("import-result")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("job-state")).to_have_text("已完成")
    expect(page.get_by_text("导入完成")).to_be_visible()
    expect(page.get_by_test_id("import-result").get_by_role("cell", name="1500")).to_be_visible()
    assert_fits_phone_width(page)
    page.screenshot(path=str(SHOTS / "job-done-375.png"), full_page=True)

    assert Job.objects.get().status == JobStatus.DONE
    assert Organization.objects.count() == 1500

    page.get_by_role("link", name="我的任务").click()
    expect(page.get_by_role("cell", name="学会名单.xlsx")).to_be_visible()
    assert_fits_phone_width(page)
    assert console_errors == []  # htmx's polling within the CSP, no script errors
