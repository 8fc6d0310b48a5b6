"""`GET /healthz`: is this app server able to serve? For load balancers and monitoring (docs/deployment.md,
"Monitoring").

200 {"status": "ok", "database": "ok", "migrations": "ok"} after a `SELECT 1` and a check that every migration
the code has is applied; 503 {"status": "error", ...} when the database cannot be reached or migrations are
pending (new code started before `migrate`). No login (a probe has none), no session, no transaction (with
ATOMIC_REQUESTS the transaction would be opened before the view, and an unreachable database would be a 500),
and nothing else: no versions, no names, no error text (the error goes to the log).
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


def pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@login_not_required
@never_cache
@require_safe
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        pending = pending_migrations()
    except DatabaseError:
        log.error("health check: the database is unreachable", exc_info=True)
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    if pending:
        log.error("health check: %d migrations not applied", pending)
        return JsonResponse({"status": "error", "database": "ok", "migrations": "pending"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "ok"})
