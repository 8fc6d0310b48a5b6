"""Personas (after healthchecks' alice/bob/charlie) and logged-in clients.

- liaison_officer: staff of 组织联络部, manages the registries
- leader: a 领导班子成员, sees everything, edits no registry
- dept_staff: a 工作人员 of another department, reads registries, no contact details
- outsider: a logged-in account with no Staff record
- admin_user: a superuser
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client

from demo.seed import seed_demo
from liaison.models import Position
from tests.factories import PASSWORD, DepartmentFactory, StaffFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def _no_stray_connections_at_teardown(django_db_setup, django_db_blocker):
    """The live server's threads can leave a PostgreSQL session open on the test database, which then cannot
    be dropped ("is being accessed by other users"). End those sessions before pytest-django drops it."""
    yield
    if connection.vendor != "postgresql" or not connection.settings_dict["NAME"].startswith("test_"):
        return  # (no test of the session used the database: none was made, and others' sessions are theirs)
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test's database is rolled back, and so must be what was cached from it (counts kept under a stamp
    of a table, which a rolled-back row can repeat)."""
    yield
    cache.clear()


@pytest.fixture
def liaison_office(db):
    return DepartmentFactory(name="组织联络部", is_liaison_office=True)


@pytest.fixture
def other_department(db):
    return DepartmentFactory(name="科普部")


@pytest.fixture
def liaison_officer(liaison_office):
    return StaffFactory(
        user=UserFactory(username="lianluo"),
        name="刘联络",
        department=liaison_office,
        title="部长",
        position=Position.DEPARTMENT_HEAD,
    )


@pytest.fixture
def leader(db):
    return StaffFactory(
        user=UserFactory(username="lingdao"),
        name="王领导",
        department=None,
        title="副主席",
        position=Position.LEADERSHIP,
    )


@pytest.fixture
def dept_staff(other_department):
    return StaffFactory(user=UserFactory(username="ganbu"), name="陈干部", department=other_department)


@pytest.fixture
def outsider(db):
    return UserFactory(username="waibu")


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="guanli")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


def _client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def liaison_client(liaison_officer) -> Client:
    return _client_for(liaison_officer.user)


@pytest.fixture
def leader_client(leader) -> Client:
    return _client_for(leader.user)


@pytest.fixture
def staff_client(dept_staff) -> Client:
    return _client_for(dept_staff.user)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return _client_for(outsider)


@pytest.fixture
def admin_client_(admin_user) -> Client:
    return _client_for(admin_user)


def count_queries(client: Client, url: str, params: dict | None = None) -> int:
    """How many SQL queries one GET of a page runs (the page must answer 200), with nothing cached: the
    navigation kept for a minute (includes/_nav.html) would otherwise save its permission queries on every
    request after the first, and two counts of the same page would differ by what was cached between them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def listed(response, attr: str = "name") -> set[str]:
    """The names of the rows a list page shows (its page object list, not the filter dropdowns)."""
    return {getattr(obj, attr) for obj in response.context["page"].object_list}


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The demo data, seeded once for the module that asks (a few seconds), inside a transaction rolled back
    at the end; each test runs in a savepoint of it, so what one test changes never leaks into the next.
    Yields what seed_demo returns."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = seed_demo()
        yield result
        transaction.set_rollback(True)
