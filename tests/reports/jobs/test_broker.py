"""Jobs through a real broker: a Celery worker (solo pool, a thread of this test process) consumes the job
ids sent to Redis (a database of this pass's own) or to RabbitMQ (a queue of this process's own), both on
127.0.0.1 (tests/services.py; scripts/redis.sh and scripts/rabbitmq.sh start them). A broker that does not answer fails the test: these tests never skip."""

from __future__ import annotations

import pytest

from orgs.models import Organization
from reports.jobs.models import Job, JobStatus
from tests.reports.jobs.helpers import (
    IMPORT_URL,
    forget_connections,
    orgs_sheet,
    real_worker,
    upload,
    wait_until_finished,
)
from tests.reports.workbook.workbooks import full_workbook, read, xlsx
from tests.services import AMQP_URL, redis_url

pytestmark = pytest.mark.django_db(transaction=True)


def broker_url(name: str) -> str:
    return redis_url("broker") if name == "redis" else AMQP_URL


@pytest.fixture(params=["redis", "rabbitmq"])
def worker(request, settings):
    settings.JOBS_RUN_INLINE = False
    settings.CELERY_BROKER_URL = broker_url(request.param)
    with real_worker(settings.CELERY_BROKER_URL):
        yield request.param


def test_a_good_workbook_is_imported_by_the_worker(worker, liaison_client):
    response = liaison_client.post(IMPORT_URL, {"file": upload(xlsx(orgs_sheet(40)))})

    job = Job.objects.get()
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    job = wait_until_finished(job.pk)
    assert job.status == JobStatus.DONE, job.message
    assert job.counts == {"sheets": 1, "read": 40, "checked": 40, "written": 40, "total": 40}
    assert Organization.objects.count() == 40


def test_a_bad_row_writes_nothing_through_the_worker(worker, liaison_client):
    liaison_client.post(IMPORT_URL, {"file": upload(xlsx(orgs_sheet(10, bad_row=1)))})

    job = wait_until_finished(Job.objects.get().pk)
    assert job.status == JobStatus.DONE
    assert job.result["problem_count"] == 1
    assert job.counts["written"] == 0
    assert not Organization.objects.exists()


def test_the_records_export_is_written_by_the_worker(worker, liaison_client):
    from reports.workbook.imports import import_workbook

    assert import_workbook(xlsx(full_workbook())).ok
    liaison_client.post("/reports/io/export/2026/records/job")

    job = wait_until_finished(Job.objects.get().pk)
    assert job.status == JobStatus.DONE, job.message
    assert job.counts == {"written": 3, "total": 3}
    response = liaison_client.get(f"/reports/jobs/{job.pk}/file")
    assert len(read(b"".join(response.streaming_content))["联系记录"]) == 3


def test_a_broker_that_does_not_answer_fails_the_job_not_the_page(settings, liaison_client):
    from kexie.celery import app
    from reports.jobs.run import BROKER_DOWN

    settings.JOBS_RUN_INLINE = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    before = app.conf.broker_url
    forget_connections(app)
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = liaison_client.post(IMPORT_URL, {"file": upload(xlsx(orgs_sheet(3)))})
    finally:
        forget_connections(app)
        app.conf.broker_url = before
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.status, job.message) == (JobStatus.FAILED, BROKER_DOWN)
    assert not Organization.objects.exists()
    assert BROKER_DOWN in liaison_client.get(response["Location"]).content.decode()
