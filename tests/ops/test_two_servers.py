"""Several app servers (issue 19 §4; docs/deployment.md, "Several app servers"): two gunicorn instances on
two free ports against the test database (PostgreSQL) and one Redis, driven over HTTP by
bench/two_servers.py's checks — a session started on one is valid on the other, a record logged on one shows in
the stored figures on the other, records written at once through both leave the stored figures right, and
a logout on one ends the session on both.

Redis must answer (scripts/redis.sh; `make test` starts it) on a database of this pass's own
(tests/services.py: KEXIE_TWO_SERVERS_REDIS_URL, default database 9 on PostgreSQL), which the test empties:
otherwise the test fails, never skips. PostgreSQL only: SQLite's test database is in the test process's memory, which no server can open (and several servers on one SQLite file is not a
set-up this project offers).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from liaison.compliance import team_figures
from liaison.models import ContactRecord, Team, TeamFigures
from tests.services import free_ports, redis_url

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several servers share one PostgreSQL"),
]

CONCURRENT = 8


def two_servers():
    """bench/two_servers.py, loaded from its file (bench/ is scripts, not a package)."""
    path = Path(django_settings.BASE_DIR) / "bench" / "two_servers.py"
    spec = importlib.util.spec_from_file_location("two_servers", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("two_servers", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def redis_db():
    import redis

    url = redis_url("two_servers")
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
    except redis.RedisError as error:  # scripts/test.sh starts Redis: without it this fails, never skips
        pytest.fail(f"Redis does not answer at {url}: {error}")
    client.flushdb()  # the servers' cache keys do not depend on the database: start empty
    yield url
    client.flushdb()


def test_two_servers_share_sessions_and_keep_the_stored_figures_right(redis_db, tmp_path):
    module = two_servers()
    setup = module.prepare(targets=CONCURRENT + 3)
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

    with module.servers(url, redis_db, free_ports(2), logs=tmp_path) as (a, b):
        report = module.check_servers(a, b, setup, concurrent=CONCURRENT)
    failed = [f"{name} ({detail})" for name, ok, detail in report.checks if not ok]
    assert not failed, failed
    # worked out by hand: 11 targets never contacted, one record on A, then 8 at once, one new target each
    assert report.figures["uncontacted_before"] == 11
    assert report.figures["uncontacted_after_one"] == 10
    assert report.figures["uncontacted_on_a"] == report.figures["uncontacted_on_b"] == 2
    for log in tmp_path.glob("gunicorn-*.log"):
        assert "Traceback" not in log.read_text(), log.read_text()[-3000:]

    # the database agrees: nine records, and the stored row is what computing the figures afresh gives
    team = Team.objects.select_related("year").get(pk=setup.team)
    assert ContactRecord.objects.filter(team=team).count() == 1 + CONCURRENT
    stored = TeamFigures.objects.get(team=team)
    assert stored.is_current
    assert stored.uncontacted == 2
    kept = (stored.assigned, stored.uncontacted, stored.visits, stored.open_demands)
    team_figures.recompute(team.year)
    again = TeamFigures.objects.get(team=team)
    assert (again.assigned, again.uncontacted, again.visits, again.open_demands) == kept == (11, 2, 0, 0)
