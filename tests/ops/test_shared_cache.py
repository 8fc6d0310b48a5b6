"""A cache shared by every app server (DJANGO_REDIS_URL, kexie/settings/base.py, docs/deployment.md): sessions
are read from Redis (cached_db) and written to both, so logging out on one server ends the session on every
server. Run against the Redis that scripts/test.sh starts, on a database of this pass's own
(tests/services.py), which the cache's clear() empties."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.services import redis_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings):
    import redis

    url = redis_url("cache")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (
        redis.RedisError
    ) as error:  # scripts/test.sh starts Redis; without it this is a failure, not a skip
        pytest.fail(f"Redis does not answer at {url}: {error}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"kexie-test-{uuid.uuid4().hex}",  # parallel runs never share keys
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
    cache.clear()


def _log_in(user) -> Client:
    client = Client()
    answer = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def test_a_session_is_read_from_the_shared_cache_and_ends_everywhere_at_logout(shared_cache, dept_staff):
    first_server = _log_in(dept_staff.user)
    key = first_server.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()  # written to the database too

    # a second app server (another client with the same cookie) reads the session from Redis: even with the
    # database row gone, the person is still logged in there
    second_server = Client()
    second_server.cookies["sessionid"] = key
    Session.objects.filter(session_key=key).delete()
    assert second_server.get(reverse("liaison:my_work")).status_code == 200

    first_server.post(reverse("logout"))
    answer = second_server.get(reverse("liaison:my_work"))
    assert answer.status_code == 302
    assert answer["Location"].startswith("/login/")


def test_the_shared_cache_spares_each_request_the_session_query(shared_cache, dept_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _log_in(dept_staff.user)
    client.get(reverse("liaison:my_work"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("liaison:my_work")).status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
