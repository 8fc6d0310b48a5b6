"""How far a running job is, visible to the job page while the job's own transaction is still open.

An import runs in one transaction that is rolled back on any problem, so progress written to the Job row
through the same connection would only show at the end (and vanish on a rollback). The counts go to the
cache instead (Redis when DJANGO_REDIS_URL is set, shared by the web servers and the workers; the process's
memory in the embedded mode, where the job runs in the web process itself) and are copied to the Job row when
the job ends. Why not a second database connection: on SQLite a second writer waits for the import's lock.
"""

from __future__ import annotations

import time

from django.core.cache import cache

KEEP = 2 * 24 * 3600  # seconds the cache keeps a job's counts; the Job row has them once it ends


def key(job_id: int) -> str:
    return f"jobs:{job_id}:progress"


class Progress:
    """Counts of one job: update(read=…, checked=…) merges them and makes them visible."""

    def __init__(self, job_id: int, counts: dict[str, int] | None = None) -> None:
        self.job_id = job_id
        self.counts: dict[str, int] = dict(counts or {})

    def update(self, counts: dict[str, int] | None = None, **more: int) -> None:
        self.counts.update(counts or {}, **more)
        cache.set(key(self.job_id), {**self.counts, "at": time.time()}, KEEP)

    def __call__(self, counts: dict[str, int]) -> None:
        self.update(counts)


def current(job_id: int) -> dict[str, int] | None:
    """The counts a running job last reported, or None when this process cannot see them."""
    counts = cache.get(key(job_id))
    if counts:
        counts = dict(counts)
        counts.pop("at", None)
    return counts


def forget(job_id: int) -> None:
    cache.delete(key(job_id))
