"""A second, real, empty database for restores, on whichever backend the suite runs (SQLite or PostgreSQL).

`manage.py restore` writes into the configured (default) database, as an operator runs it with DATABASE_URL
pointing at a new database. The tests do the same in-process: `default_database(settings)` points Django's
default connection at another real database for a block, and puts the test database back afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from psycopg import sql


@contextmanager
def default_database(settings_dict: dict) -> Iterator[None]:
    """Every query in the block (ORM, migrate, the test client's requests) goes to this database."""
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=DEFAULT_DB_ALIAS)
    original = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections[DEFAULT_DB_ALIAS] = original


def _admin_connection(params: dict) -> psycopg.Connection:
    return psycopg.connect(
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def empty_database(tmp_path) -> Iterator[dict]:
    """The settings of a new database with no tables: a new SQLite file, or a PostgreSQL database created
    for the test (CREATE DATABASE) and dropped after it."""
    params = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    if params["ENGINE"] == "django.db.backends.sqlite3":
        yield {**params, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{params['NAME']}_restore_{os.getpid()}"[:63]
    with _admin_connection(params) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {**params, "NAME": name}
    finally:
        with _admin_connection(params) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
