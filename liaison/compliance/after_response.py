"""The stored figures of the teams a request changed are recomputed right after its response has gone out.

A write only bumps its teams' figures version (signals.py); the figures are recomputed by the next page that
reads them (team_figures.refresh), so the dashboard or the teams list of whoever looked next paid for every
record saved since (a dozen grouped queries). Under the load test's mix — six records saved a second — the
leaders' pages carried that on nearly every view, and their p95 was twice the other pages'. Now the request
that wrote recomputes its own teams once the response is sent (Django's request_finished, which the server
sends after the last byte): the user who saved does not wait for it, and the next reader usually finds the
figures current. Correctness does not depend on it: a page still refreshes whatever is stale when it reads
(a failure here is only logged; a job or a command, outside any request, leaves the work to the next
reader as before).
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.core.signals import request_finished, request_started
from django.db import DatabaseError, transaction
from django.dispatch import receiver

from liaison.compliance import team_figures
from liaison.models import Team, Year

log = logging.getLogger(__name__)

_state = threading.local()  # per request thread: gunicorn's gthread workers reuse threads, each its own


def note(team_ids: Iterable[int]) -> None:
    """Recompute these teams' figures after this request's response, once the writer's transaction commits
    (nothing when it rolls back, or outside a request)."""
    pending = getattr(_state, "pending", None)
    if pending is None:
        return
    ids = set(team_ids)
    transaction.on_commit(lambda: pending.update(ids))


@receiver(request_started)
def _request_started(**kwargs) -> None:
    _state.pending = set()


@receiver(request_finished)
def _request_finished(**kwargs) -> None:
    pending, _state.pending = getattr(_state, "pending", None), None
    if not pending:
        return
    try:
        by_year: dict[int, list[int]] = defaultdict(list)
        for pk, year_id in Team.objects.filter(pk__in=pending).values_list("pk", "year_id"):
            by_year[year_id].append(pk)
        for year in Year.objects.filter(pk__in=by_year):
            team_figures.refresh(year, by_year[year.pk])
    except DatabaseError:
        log.warning("figures of teams %s not refreshed after the response", sorted(pending), exc_info=True)
