"""The one Celery task: run a job by its id (the task takes nothing else; the Job row holds the rest)."""

from __future__ import annotations

from celery import shared_task

from .run import run_job


@shared_task(name="reports.jobs.run_job", ignore_result=True)
def run_job_task(job_id: int) -> None:
    run_job(job_id)
