"""`GET /healthz` for load balancers and monitoring: 200 when the database answers and every migration is
applied, 503 otherwise; no login, no session, nothing personal."""

from __future__ import annotations

import logging
import socket

import pytest
from django.db import connection, connections

from tests.ops.conftest import default_database

pytestmark = pytest.mark.django_db


def test_healthy_answers_200_without_login_and_sets_nothing(client, django_assert_max_num_queries):
    client.get("/healthz")  # warm: the first answer loads the migration modules
    with django_assert_max_num_queries(3):  # SELECT 1, the tables, the applied migrations
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


def test_only_reads_are_answered(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free now, and nothing listens on it


def test_an_unreachable_database_answers_503_and_logs_why(client, tmp_path, caplog):
    params = dict(connections["default"].settings_dict)
    if connection.vendor == "sqlite":
        broken = {**params, "NAME": str(tmp_path / "no-such-folder" / "db.sqlite3")}
    else:
        broken = {**params, "HOST": "127.0.0.1", "PORT": _closed_port()}
    with caplog.at_level(logging.ERROR, logger="ops.health.views"), default_database(broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
    assert "the database is unreachable" in caplog.text
    # the database is fine again: so is the answer
    assert client.get("/healthz").status_code == 200


def test_pending_migrations_answer_503(client):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'liaison' AND name = %s",
            [max(n for a, n in _applied() if a == "liaison")],
        )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "migrations": "pending"}


def _applied() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return cursor.fetchall()
