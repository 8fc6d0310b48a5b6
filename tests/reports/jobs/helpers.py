"""What the job tests share: an upload, waiting for a job, and the workbooks they import."""

from __future__ import annotations

import threading
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError

from reports.jobs.models import Job, JobStatus
from tests.reports.workbook.workbooks import ORG_HEADER

IMPORT_URL = "/reports/io/import/"


def upload(data: bytes, name: str = "工作簿.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def orgs_sheet(n: int, *, bad_row: int | None = None) -> dict[str, list[list]]:
    """组织 with n 市级学会; with bad_row, that data row (1-based) has a category that does not exist."""
    rows = [ORG_HEADER]
    for i in range(1, n + 1):
        rows.append([f"学会{i:04d}", "不存在的类别" if i == bad_row else "市级学会", "", "", "", "", "", ""])
    return {"组织": rows}


def wait_for_thread(job_id: int, timeout: float = 60) -> None:
    """The embedded mode's thread for this job, joined (it has a name of its own)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        threads = [t for t in threading.enumerate() if t.name == f"kexie-job-{job_id}"]
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if threads or finished(job_id):
            return
        time.sleep(0.05)


def finished(job_id: int) -> bool:
    try:
        return Job.objects.filter(pk=job_id, status__in=[JobStatus.DONE, JobStatus.FAILED]).exists()
    except OperationalError:  # SQLite's shared cache: the table is being written by the worker right now
        return False


def wait_until_finished(job_id: int, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if finished(job_id):
            return Job.objects.get(pk=job_id)
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s: {Job.objects.get(pk=job_id).status}")
