"""The embedded mode (no broker, the default on SQLite): the request answers at once with the job's page and
a thread of the web process runs the job after the commit. transaction=True: the thread has its own database
connection, which sees only what was committed."""

from __future__ import annotations

import re

import pytest

from orgs.models import Organization
from reports.jobs.models import JobStatus
from tests.reports.jobs.helpers import IMPORT_URL, orgs_sheet, upload, wait_for_thread, wait_until_finished
from tests.reports.workbook.workbooks import xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def started(response) -> int:
    """The job the request started (from where it sends the user), once its thread has ended: on SQLite's
    shared in-memory test database a read while the thread writes the same table fails at once."""
    job_id = int(re.fullmatch(r"/reports/jobs/(\d+)/", response["Location"])[1])
    wait_for_thread(job_id)
    return job_id


@pytest.fixture
def embedded(settings):
    settings.JOBS_RUN_INLINE = False
    settings.CELERY_BROKER_URL = ""


def test_a_good_workbook_is_imported_by_the_thread(embedded, liaison_client):
    response = liaison_client.post(IMPORT_URL, {"file": upload(xlsx(orgs_sheet(120)))})

    job = wait_until_finished(started(response))
    assert job.status == JobStatus.DONE
    assert job.counts == {"sheets": 1, "read": 120, "checked": 120, "written": 120, "total": 120}
    assert Organization.objects.count() == 120
    assert "导入完成" in liaison_client.get(job.get_absolute_url()).content.decode()


def test_a_bad_row_writes_nothing_in_the_thread(embedded, liaison_client):
    response = liaison_client.post(IMPORT_URL, {"file": upload(xlsx(orgs_sheet(50, bad_row=50)))})

    job = wait_until_finished(started(response))
    assert job.status == JobStatus.DONE
    assert job.result["problem_count"] == 1
    assert job.result["problems"][0][1] == 51
    assert not Organization.objects.exists()


def test_a_refused_workbook_fails_in_the_thread(embedded, liaison_client):
    response = liaison_client.post(IMPORT_URL, {"file": upload(xlsx({"Sheet1": [["x"]]}))})

    job = wait_until_finished(started(response))
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("工作簿中没有可导入的工作表")
    assert not Organization.objects.exists()
