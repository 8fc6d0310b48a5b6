"""Two test runs at once never share what one of them empties, consumes or listens on (tests/services.py;
scripts/test.sh runs the SQLite and PostgreSQL passes side by side, docs/testing.md)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from tests.services import ENV_REDIS, REDIS_DATABASES, free_ports, redis_url

TESTS = Path(__file__).resolve().parent
# a Redis or RabbitMQ address, or a fixed folder under /tmp, written into a test instead of taken from
# tests/services.py (the discard port 9, where nothing listens, is a deliberate dead broker)
OWN_SERVICE = re.compile(r"127\.0\.0\.1:(6379|5672)|amqp://|[\"']/tmp\b")


def test_each_backends_pass_has_redis_databases_of_its_own():
    sqlite, postgresql = (set(REDIS_DATABASES[v].values()) for v in ("sqlite", "postgresql"))
    assert len(sqlite) == len(postgresql) == len(ENV_REDIS) == 3  # one database per purpose
    assert not sqlite & postgresql
    assert sqlite | postgresql <= set(range(16))  # Redis's 16 databases by default


def test_this_run_uses_a_different_redis_database_for_each_purpose():
    urls = {purpose: redis_url(purpose) for purpose in ENV_REDIS}
    assert len(set(urls.values())) == 3, urls


def test_an_environment_variable_names_another_redis_for_one_purpose(monkeypatch):
    monkeypatch.setenv("KEXIE_TEST_REDIS_URL", "redis://10.0.0.5:6379/3")
    assert redis_url("cache") == "redis://10.0.0.5:6379/3"
    assert redis_url("broker") != "redis://10.0.0.5:6379/3"


def test_free_ports_are_different_and_nothing_listens_on_them():
    ports = free_ports(2)
    assert len(set(ports)) == 2
    for port in ports:
        with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
            probe.connect(("127.0.0.1", port))


def test_no_test_names_a_broker_a_redis_or_a_tmp_folder_of_its_own():
    assert OWN_SERVICE.search((TESTS / "services.py").read_text())  # the pattern finds what it looks for
    found = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in ("services.py", "test_services.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OWN_SERVICE.search(line)
    ]
    assert not found, "take it from tests/services.py:\n" + "\n".join(found)
