"""How far a running job is, visible to the job page while the job's own transaction is still open.

An import runs in one transaction that is rolled back on any problem, so progress written to the Job row
through the job's own connection would only show at the end (and vanish on a rollback). So the counts go:

- to the **cache** (Redis when DJANGO_REDIS_URL is set, shared by the web servers and the workers; the
  process's memory otherwise, which is where the embedded mode runs the job: the web process itself);
- on **PostgreSQL**, also to the Job row's counts through a **second connection** of the job's own, in
  autocommit, outside the import's transaction: a worker on another machine (Celery on RabbitMQ, say) with no
  shared cache is then still seen by every page, which reads the row when the cache has nothing. PostgreSQL
  lets the second connection update the Job row while the first holds the import's locks (the import never
  writes that row). Not on SQLite: there a second writer waits for the import's lock on the whole file, so
  the cache alone carries the counts (the embedded mode runs in the page's own process anyway).

When the job ends, run_job writes the final counts to the Job row, which the page shows from then on.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time

from django.core.cache import cache
from django.db import connection

KEEP = 2 * 24 * 3600  # seconds the cache keeps a job's counts; the Job row has them once it ends
ROW_EVERY = 0.5  # seconds between two writes of the counts to the Job row (the first and last always go)

logger = logging.getLogger(__name__)


def key(job_id: int) -> str:
    return f"jobs:{job_id}:progress"


class Progress:
    """Counts of one job: update(read=…, checked=…) merges them and makes them visible."""

    def __init__(self, job_id: int, counts: dict[str, int] | None = None) -> None:
        self.job_id = job_id
        self.counts: dict[str, int] = dict(counts or {})
        self._side = None  # the second database connection (PostgreSQL only), opened on first use
        self._row_written_at = 0.0

    def update(self, counts: dict[str, int] | None = None, **more: int) -> None:
        new_names = not set(counts or {}).union(more) <= set(self.counts)
        self.counts.update(counts or {}, **more)
        now = time.time()
        cache.set(key(self.job_id), {**self.counts, "at": now}, KEEP)
        # to the row at most every ROW_EVERY seconds, and whenever a count appears for the first time (a new
        # phase: the page never waits a whole phase for its first figure)
        if connection.vendor == "postgresql" and (new_names or now - self._row_written_at >= ROW_EVERY):
            self._row_written_at = now
            self._write_row()

    def __call__(self, counts: dict[str, int]) -> None:
        self.update(counts)

    def _write_row(self) -> None:
        """The counts to the Job row through the side connection, committed at once. A failure here (the
        database restarting) costs only the progress display, never the job."""
        from .models import Job

        table = connection.ops.quote_name(Job._meta.db_table)
        try:
            if self._side is None:
                self._side = connection.get_new_connection(connection.get_connection_params())
                self._side.autocommit = True
                with self._side.cursor() as cursor:  # never wait long behind a lock on the row
                    cursor.execute("SET lock_timeout = '2s'")
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET counts = %s::jsonb WHERE id = %s",  # noqa: S608 (our table's name)
                    [json.dumps(self.counts), self.job_id],
                )
        except Exception:
            logger.warning("job %s: progress not written to its row", self.job_id, exc_info=True)
            self.close()

    def close(self) -> None:
        if self._side is not None:
            with contextlib.suppress(Exception):  # already broken: nothing more to do
                self._side.close()
            self._side = None


def current(job_id: int) -> dict[str, int] | None:
    """The counts a running job last reported to the cache, or None when this process cannot see them (the
    page then shows the Job row's, which a job on PostgreSQL keeps up to date)."""
    counts = cache.get(key(job_id))
    if counts:
        counts = dict(counts)
        counts.pop("at", None)
    return counts


def forget(job_id: int) -> None:
    cache.delete(key(job_id))
