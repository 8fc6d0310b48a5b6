"""Start a job, and run one: the same run_job(job_id) whatever dispatches it (docs/jobs.md).

- With DJANGO_CELERY_BROKER_URL (redis://… or amqp://…): the job id goes to the broker once the request's
  transaction commits, and a Celery worker (kexie/celery.py, reports/jobs/tasks.py) runs it.
- Without (the default, SQLite, `manage.py runserver`): the embedded mode, a background thread of the web
  process runs it once the transaction commits; the request answers at once with the job's page.
- JOBS_RUN_INLINE (tests only): run it right away in the request, so a test reads the result in the response.

A job that raises is marked 失败 with a Chinese message; the traceback goes to the log, never to the page.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from .models import Job, JobStatus
from .progress import Progress, forget

logger = logging.getLogger(__name__)

UNEXPECTED = "任务执行时发生意外错误，未完成。请稍后重试；如仍失败，请联系系统管理员。"
TIMEOUT = "任务超过了允许的运行时间，已停止。请缩小范围（如分批导入）后重试。"
BROKER_DOWN = (
    "任务队列暂时无法连接，任务没有开始，未写入任何数据。请稍后重新提交；如仍如此，请联系系统管理员。"
)
# a broker that does not answer: three quick tries (about 1.5 s), then the job fails with BROKER_DOWN
SEND_RETRY = {"max_retries": 2, "interval_start": 0.5, "interval_step": 0.5, "interval_max": 1}

Runner = Callable[[Job, Progress], None]
KINDS: dict[str, Runner] = {}


class JobFailed(Exception):
    """The job cannot be done; the message says why, in Chinese, and is shown on the job page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def kind(name: str) -> Callable[[Runner], Runner]:
    """Register the function that does the work of one kind of job: @kind(JobKind.IMPORT)."""

    def register(runner: Runner) -> Runner:
        KINDS[str(name)] = runner
        return runner

    return register


def start(
    kind_: str,
    user: User,
    *,
    title: str = "",
    params: dict[str, Any] | None = None,
    upload: tuple[str, bytes] | None = None,
) -> Job:
    """Create the job (and save its input file through the storage), then have it run after the commit."""
    job = Job.objects.create(kind=kind_, created_by=user, title=title[:200], params=params or {})
    if upload is not None:
        name, data = upload
        job.input_file.save(safe_name(name), ContentFile(data), save=True)
    dispatch(job.pk)
    return job


def safe_name(name: str) -> str:
    """A file name for the storage: the last path part, without characters storages dislike."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload.xlsx"
    return "".join(c for c in name if c.isprintable() and c not in '<>:"|?*')[-150:] or "upload.xlsx"


def broker_configured() -> bool:
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


def dispatch(job_id: int) -> None:
    if settings.JOBS_RUN_INLINE:
        run_job(job_id)
    elif broker_configured():
        transaction.on_commit(lambda: send(job_id))
    else:
        transaction.on_commit(lambda: run_in_thread(job_id))


def send(job_id: int) -> None:
    """The job's id to the broker; a broker that does not answer fails the job with a message (the request
    that started it still answers with the job's page, never an error page)."""
    from .tasks import run_job_task

    try:
        run_job_task.apply_async((job_id,), retry=True, retry_policy=SEND_RETRY)
    except Exception:
        logger.exception("job %s could not be sent to the broker", job_id)
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, message=BROKER_DOWN, finished_at=timezone.now()
        )


def run_in_thread(job_id: int) -> threading.Thread:
    thread = threading.Thread(target=_thread_main, args=(job_id,), name=f"kexie-job-{job_id}", daemon=True)
    thread.start()
    return thread


def _thread_main(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        connections.close_all()  # this thread's own connections


def run_job(job_id: int) -> None:
    """Run a queued job to its end: 进行中, then 已完成 or 失败 (with a Chinese message). A job that is no
    longer queued (run already, or redelivered by the broker after a worker died) is left alone."""
    claimed = retried(
        lambda: Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now()
        )
    )
    if not claimed:
        logger.warning("job %s is not queued (any more): not run", job_id)
        return
    job = Job.objects.get(pk=job_id)
    progress = Progress(job.pk)
    progress.update()
    status, message = JobStatus.DONE, ""
    try:
        KINDS[job.kind](job, progress)
    except JobFailed as failed:
        status, message = JobStatus.FAILED, failed.message
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        status = JobStatus.FAILED
        message = TIMEOUT if type(exc).__name__ == "SoftTimeLimitExceeded" else UNEXPECTED
    finally:
        progress.close()
    job.status, job.message, job.counts = status, message, progress.counts
    job.finished_at = timezone.now()
    retried(
        lambda: job.save(
            update_fields=[
                "status",
                "message",
                "counts",
                "result",
                "input_file",
                "result_file",
                "finished_at",
            ]
        )
    )
    forget(job.pk)


def retried(write: Callable[[], Any], attempts: int = 50) -> Any:
    """A write to the Job row, tried again while SQLite says the table is locked (a page reading it at that
    instant, in the embedded mode; PostgreSQL never says so)."""
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1 or connection.in_atomic_block:
                raise
            time.sleep(0.1)
    return None
