"""What the job tests share: an upload, waiting for a job, and the workbooks they import."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from kombu import pools

from reports.jobs.models import Job, JobStatus
from tests.reports.workbook.workbooks import ORG_HEADER
from tests.services import JOB_QUEUE

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


def wait_until(check, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OperationalError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"not so after {timeout} s")


def forget_connections(app) -> None:
    """The app keeps pools of connections to the broker it first used: drop them on a switch."""
    pools.reset()  # kombu's registry of connection and producer pools, closed and emptied
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def real_worker(url: str) -> Iterator[None]:
    """A Celery worker (solo pool, a thread of this process) on the broker at url, consuming a queue of the
    tests' own. A broker that does not answer fails (never skips) the test."""
    from kexie.celery import app

    before = (app.conf.broker_url, app.conf.task_default_queue)
    forget_connections(app)
    app.conf.broker_url = url
    app.conf.broker_connection_retry_on_startup = False
    # never a production queue on a shared broker, nor another test run's (several runs at once on one
    # machine would take, or purge, each other's job ids)
    app.conf.task_default_queue = own_queue()
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        delete_queue(app, app.conf.task_default_queue)
        forget_connections(app)
        app.conf.broker_url, app.conf.task_default_queue = before


def own_queue() -> str:
    """This test process's own queue (tests/services.py)."""
    return JOB_QUEUE


def delete_queue(app, name: str) -> None:
    """The run's own queue, gone from the broker once the run ends (RabbitMQ keeps a durable queue)."""
    with contextlib.suppress(Exception), app.connection_for_write() as connection:
        connection.default_channel.queue_delete(name)
