"""Progress seen by the page with a broker but no shared cache (issue 19 §4): Celery on RabbitMQ, no
DJANGO_REDIS_URL, PostgreSQL. The worker is a process of its own (tests/reports/jobs/waiting_worker.py),
whose cache is its own memory, so the counts reach the page only through the Job row, written by the job's
second connection (reports/jobs/progress.py). While the job waits on a file the test controls, the job page
shows its counts; then the test lets it finish.

RabbitMQ must answer at tests/services.py's AMQP_URL (scripts/rabbitmq.sh; `make test` starts it): otherwise this fails, never
skips. On SQLite the counts go to the cache only (a second writer would wait for the import's lock): the
embedded-mode tests cover that.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from reports.jobs import progress as progress_store
from reports.jobs import run as jobs
from reports.jobs.models import Job, JobStatus
from tests.reports.jobs.helpers import (
    delete_queue,
    forget_connections,
    own_queue,
    wait_until,
    wait_until_finished,
)
from tests.services import AMQP_URL

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the second connection is PostgreSQL's"),
]

BROKER = AMQP_URL
ROOT = Path(django_settings.BASE_DIR)


def database_url() -> str:
    """The test database, as the worker process must see it."""
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker_process(settings, tmp_path):
    """A `celery worker` process on RabbitMQ, on a queue of this test's own; this process sends to it."""
    from kexie.celery import app

    queue = own_queue()
    settings.JOBS_RUN_INLINE = False
    settings.CELERY_BROKER_URL = BROKER
    before = (app.conf.broker_url, app.conf.task_default_queue)
    forget_connections(app)
    app.conf.broker_url, app.conf.task_default_queue = BROKER, queue
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1)  # RabbitMQ not answering fails the test here
    except Exception as error:
        pytest.fail(f"RabbitMQ does not answer at {BROKER}: {error}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_REDIS", "DJANGO_CELERY"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kexie.settings.test",
        DATABASE_URL=database_url(),
        KEXIE_TEST_BROKER=BROKER,
        KEXIE_TEST_QUEUE=queue,
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "tests.reports.jobs.waiting_worker", "worker"]
            + ["--pool", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]
            + ["-Q", queue, "-n", f"{queue}@%h"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        delete_queue(app, queue)
        forget_connections(app)
        app.conf.broker_url, app.conf.task_default_queue = before


def shown_written(page: str) -> int | None:
    found = re.search(r"已写入行</dt><dd[^>]*>(\d+)</dd>", page)
    return int(found.group(1)) if found else None


def test_the_page_shows_a_workers_counts_before_the_end_without_redis(
    worker_process, liaison_client, liaison_officer, tmp_path
):
    process, log = worker_process
    release = tmp_path / "release"
    job = jobs.start(
        "test_wait",
        liaison_officer.user,
        title="等待放行",
        params={"first": 137, "total": 500, "release": str(release)},
    )

    def page() -> str:
        assert process.poll() is None, log.read_text(errors="replace")
        return liaison_client.get(f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()

    try:
        wait_until(lambda: shown_written(page()) == 137, timeout=90)
    except AssertionError:
        row = Job.objects.values("status", "counts").get(pk=job.pk)
        raise AssertionError(f"{row}\n{log.read_text(errors='replace')}") from None
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING  # mid-way, not at the end
    assert progress_store.current(job.pk) is None  # this process's cache never saw the worker's counts
    assert 'value="27"' in page()  # 137 of 500: the bar at 27 %

    release.touch()
    job = wait_until_finished(job.pk, timeout=60)
    assert job.status == JobStatus.DONE, job.message
    assert job.counts == {"written": 500, "total": 500}
