"""Two people stepping one filing at once (PostgreSQL, real transactions held at the filing's row lock): one
step is made, the other gets a message (liaison/filing/services.py locks the filing)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from liaison.filing import services as filings
from liaison.models import Filing, FilingAction
from tests.liaison.filing.factories import client_for, make_account
from tests.liaison.plan.factories import make_year, org
from tests.test_no_lost_update import _client, _waiting_on_locks

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


def _race(posts, hold, expect_waiting: int) -> list[int]:
    """Run the posts in threads while another connection holds the filing's row lock; release it once
    `expect_waiting` requests wait on it (polled: a busy machine may take seconds to get them there)."""
    results = [0] * len(posts)
    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    hold(blocker.cursor())

    def run(i: int) -> None:
        try:
            results[i] = posts[i]()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while _waiting_on_locks() < expect_waiting and time.monotonic() < deadline:
        time.sleep(0.1)
    waiting = _waiting_on_locks()
    blocker.commit()
    blocker.close()
    for thread in threads:
        thread.join(30)
    assert waiting >= expect_waiting, "the requests were not waiting on the lock: the race was not exercised"
    return results


def _hold(filing):
    table = Filing._meta.db_table
    return lambda cur: cur.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [filing.pk])


@pytest.fixture
def draft():
    from tests.factories import OfficerFactory, ScientistFactory

    year = make_year(2026)
    society = org(name="辽川市机械工程学会")
    chair = OfficerFactory(organization=society, name="孙主席")
    filing = filings.filing_for(society, year, None)
    filings.add_to_draft(filing, filings.Line(chair, ScientistFactory(name="李明")))
    return filing


def test_the_organisation_and_the_office_filing_at_once_file_once(draft, liaison_officer):
    clients = [client_for(make_account(draft.organization, "jixie")), _client(liaison_officer.user)]
    url = f"/filing/{draft.pk}/file/"
    posts = [lambda c=c: c.post(url, {"revision": 1}).status_code for c in clients]
    assert _race(posts, _hold(draft), expect_waiting=2) == [302, 302]
    steps = draft.steps.filter(action__in=[FilingAction.FILE, FilingAction.FILE_ON_BEHALF])
    assert steps.count() == 1
    assert draft.revisions.count() == 1


def test_two_revisions_at_once_open_one_draft(draft, liaison_officer):
    filings.file_revision(draft.revisions.get(), None)
    clients = [_client(liaison_officer.user), client_for(make_account(draft.organization, "jixie"))]
    url = f"/filing/{draft.pk}/revise/"
    posts = [lambda c=c: c.post(url, {"revision": 1}).status_code for c in clients]
    assert _race(posts, _hold(draft), expect_waiting=2) == [302, 302]
    assert draft.revisions.count() == 2
    assert draft.steps.filter(action=FilingAction.REVISE).count() == 1
