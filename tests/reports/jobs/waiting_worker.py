"""A Celery worker of its own process for tests/reports/jobs/test_progress_row.py: the project's app (the real
run_job, the real broker) plus one kind of job only the tests have, `test_wait`, that reports progress and
then waits until the test lets it finish (a file appears), so that the test sees the page mid-way.

Started as `celery -A tests.reports.jobs.waiting_worker worker --pool solo` with the test settings, the test
database (DATABASE_URL), the broker and queue in KEXIE_TEST_BROKER and KEXIE_TEST_QUEUE, and no Redis: its
cache is its own memory, as a worker's is on another machine.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings.test")
django.setup()

from kexie.celery import app  # noqa: E402
from reports.jobs.run import JobFailed, kind  # noqa: E402

app.conf.broker_url = os.environ["KEXIE_TEST_BROKER"]  # the test settings name no broker
app.conf.task_default_queue = os.environ["KEXIE_TEST_QUEUE"]

WAIT = 120  # seconds at most before the job gives up waiting


@kind("test_wait")
def wait_for_release(job, progress) -> None:
    """written = first, then wait for the file params["release"], then written = total."""
    progress.update(written=job.params["first"], total=job.params["total"])
    release = Path(job.params["release"])
    deadline = time.monotonic() + WAIT
    while not release.exists():
        if time.monotonic() > deadline:
            raise JobFailed("测试没有放行。")
        time.sleep(0.05)
    progress.update(written=job.params["total"])
