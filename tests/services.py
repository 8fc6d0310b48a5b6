"""The outside things the tests share with any other test run on the machine — Redis databases, the RabbitMQ
broker, TCP ports, a screenshot folder — named here and nowhere else (tests/test_services.py checks).

`make test` runs the SQLite and the PostgreSQL passes at the same time (scripts/test.sh, docs/testing.md),
so nothing one pass flushes, consumes or listens on may be the other's:

- Redis: each backend's pass has databases of its own (REDIS_DATABASES), since some tests empty theirs
  (FLUSHDB: the shared cache's clear(), the two servers' test) and Celery's Redis transport keeps
  bookkeeping keys per database. An environment variable names another URL for one purpose (ENV_REDIS),
  e.g. for two checkouts testing at once.
- RabbitMQ (KEXIE_TEST_AMQP_URL, default the guest account on `/`): each test process sends its jobs to a
  queue of its own (JOB_QUEUE) and its workers consume only that one, so no worker takes another run's
  job ids, and a run deletes only its own queue.
- Ports: free_ports() asks the kernel for ports nothing listens on, never a fixed number.
- Screenshots some browser tests keep for people to look at: KEXIE_TEST_SHOTS, or /tmp/shots.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import uuid
from pathlib import Path

REDIS = "redis://127.0.0.1:6379"
# purpose → database number, per Django database vendor (connection.vendor) of the pass
REDIS_DATABASES = {
    "sqlite": {"two_servers": 12, "broker": 14, "cache": 15},
    "postgresql": {"two_servers": 9, "broker": 10, "cache": 11},
}
# purpose → the environment variable that overrides the URL
ENV_REDIS = {
    "two_servers": "KEXIE_TWO_SERVERS_REDIS_URL",  # emptied by tests/ops/test_two_servers.py
    "broker": "KEXIE_TEST_BROKER_REDIS_URL",  # Celery on Redis (tests/reports/jobs/)
    "cache": "KEXIE_TEST_REDIS_URL",  # the shared cache, emptied by tests/ops/test_shared_cache.py
}

AMQP_URL = os.environ.get("KEXIE_TEST_AMQP_URL") or "amqp://guest:guest@127.0.0.1:5672//"

# One queue per test process: Celery keeps the queues it first configured (app.amqp.queues), so the name
# stays the same across the tests of a process; the pid makes a stray queue on the broker traceable.
JOB_QUEUE = f"kexie-test-jobs-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def redis_url(purpose: str) -> str:
    """The Redis database this pass uses for `purpose` (a key of ENV_REDIS)."""
    from django.db import connection

    return os.environ.get(ENV_REDIS[purpose]) or f"{REDIS}/{REDIS_DATABASES[connection.vendor][purpose]}"


def free_ports(count: int) -> tuple[int, ...]:
    """`count` different TCP ports on 127.0.0.1 that nothing listens on now (the sockets are all bound at
    once, so the kernel cannot hand out one twice)."""
    with contextlib.ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return tuple(probe.getsockname()[1] for probe in probes)


def shots_dir() -> Path:
    """Where browser tests keep screenshots (the test creates it when it takes one)."""
    return Path(os.environ.get("KEXIE_TEST_SHOTS") or Path(tempfile.gettempdir()) / "shots")
