"""Two officers at once (PostgreSQL, real transactions held at a row lock): the same step on one nomination
happens once, and two submissions for an award's last place make one (awards/services.py). The same rules
without threads, on every database: tests/awards/test_services.py (stale copies)."""

from __future__ import annotations

import pytest
from django.db import connection

from awards.models import Award, Nomination, NominationStep
from tests.awards.factories import make_award, nominated
from tests.liaison.filing.test_concurrency import _race
from tests.liaison.plan.factories import make_team, make_year
from tests.test_no_lost_update import _client

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


def _hold(model, pk: int):
    table = model._meta.db_table
    return lambda cur: cur.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])


@pytest.fixture
def team():
    return make_team(make_year(2026))


def test_passing_and_rejecting_at_once_make_one_step(team, liaison_officer, admin_user):
    n = nominated(make_award(), team=team, by=team.lead.user)
    clients = [_client(liaison_officer.user), _client(admin_user)]
    url = f"/awards/nominations/{n.pk}/move/"
    posts = [
        lambda c=clients[0]: c.post(url, {"to_state": "passed"}).status_code,
        lambda c=clients[1]: c.post(url, {"to_state": "rejected"}).status_code,
    ]
    assert _race(posts, _hold(Nomination, n.pk), expect_waiting=2) == [302, 302]
    assert Nomination.objects.get(pk=n.pk).state in ("passed", "rejected")
    assert NominationStep.objects.filter(nomination=n).exclude(from_state="").count() == 1


def test_two_submissions_for_the_last_place_make_one(team, liaison_officer, admin_user):
    office = liaison_officer.user
    award = make_award(quota=1)
    first = nominated(award, team=team, by=team.lead.user, steps=["passed"], office=office)
    second = nominated(award, team=team, by=team.lead.user, steps=["passed"], office=office)
    clients = [_client(office), _client(admin_user)]
    posts = [
        lambda c=clients[0]: (
            c.post(f"/awards/nominations/{first.pk}/move/", {"to_state": "submitted"}).status_code
        ),
        lambda c=clients[1]: (
            c.post(f"/awards/nominations/{second.pk}/move/", {"to_state": "submitted"}).status_code
        ),
    ]
    assert _race(posts, _hold(Award, award.pk), expect_waiting=2) == [302, 302]
    states = sorted(Nomination.objects.filter(award=award).values_list("state", flat=True))
    assert states == ["passed", "submitted"]
