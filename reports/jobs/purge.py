"""Old jobs go, with their files: an export holds phones and emails, and nobody needs last month's file.

`manage.py purge_jobs` (scheduled every night, docs/jobs.md) deletes the jobs that ended more than
JOBS_KEEP_DAYS days ago (default 7), their result files and any input file left, through the storage.
A job never ended (queued or running) is kept until it is that old since it was submitted.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Job


def purge(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete the old jobs and their files; returns how many jobs."""
    days = settings.JOBS_KEEP_DAYS if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    old = Job.objects.filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))
    n = 0
    for job in old.only("pk", "input_file", "result_file").iterator(chunk_size=500):
        for field in (job.input_file, job.result_file):
            if field:
                field.delete(save=False)
        job.delete()
        n += 1
    return n
