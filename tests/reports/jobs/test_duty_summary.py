"""The duty reports' summary workbook (述职汇总表) as a job: the same sheet as the synchronous download, for
the same people; refused to those the download is refused to."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from reports.jobs.models import Job, JobKind, JobStatus
from tests.reports.duty.test_duty import build_duty_data
from tests.reports.workbook.workbooks import read

pytestmark = pytest.mark.django_db

URL = "/reports/duty/2025/summary/job"


@pytest.fixture
def data():
    return build_duty_data()


def test_the_job_writes_the_same_workbook_as_the_download(leader_client, data):
    response = leader_client.post(URL)

    job = Job.objects.get()
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.kind, job.status) == (JobKind.DUTY_SUMMARY, JobStatus.DONE)
    assert job.result_file.name.startswith(f"jobs/{job.pk}/")
    response = leader_client.get(f"/reports/jobs/{job.pk}/file")
    expected = quote("2025年度个人联系工作汇总（评先评优参考）_")
    assert f"filename*=utf-8''{expected}" in response["Content-Disposition"]
    from_job = read(b"".join(response.streaming_content))
    download = read(leader_client.get("/reports/duty/2025/summary.xlsx").content)
    assert from_job == download
    (rows,) = from_job.values()
    people = len(rows) - 2  # the title and the header row
    assert people > 0
    assert job.counts == {"written": people, "total": people}
    page = leader_client.get("/reports/duty/?year=2025").content.decode()
    assert 'action="/reports/duty/2025/summary/job"' in page


def test_the_job_is_refused_to_staff_and_outsiders(staff_client, outsider_client, data):
    assert staff_client.post(URL).status_code == 403
    assert outsider_client.post(URL).status_code == 403
    assert staff_client.get(URL).status_code in (403, 405)
    assert not Job.objects.exists()
