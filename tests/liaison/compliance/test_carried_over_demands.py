"""Open demands carry over: a demand still open at the end of a year is open in the next year's figures of
the same lead's team (review, dashboard, the team's demand list, marked 结转); once closed it leaves them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.compliance import figures, team_figures
from liaison.models import DemandStatus
from liaison.plan import services as plans
from reports.review.services import build_review
from tests.factories import ScientistFactory
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def years(liaison_officer):
    """王主席's 2025 team logged a visit on 2025-11-01 that raised two demands: 实验室用房 (still open) and
    职称评审 (closed). His 2026 team raised one of its own on 2026-03-10. 李主席 led a team in 2025 only:
    his open demand has no team to carry over to."""
    wang, li = make_leader("王主席", "wangzhuxi"), make_leader("李主席", "lizhuxi")
    y2025, y2026 = plans.year_create(year=2025), plans.year_create(year=2026)
    t2025, t2026, li2025 = make_team(y2025, wang), make_team(y2026, wang), make_team(y2025, li)
    person = ScientistFactory(name="张工")
    old = log(t2025, wang, [person], day=datetime.date(2025, 11, 1))
    still_open = raise_demand(old, liaison_officer.user, text="实验室用房紧张")
    closed = raise_demand(old, liaison_officer.user, text="职称评审")
    closed.status = DemandStatus.DONE
    closed.closed_at = datetime.date(2025, 12, 1)
    closed.save()
    raise_demand(log(t2026, wang, [person]), liaison_officer.user, text="经费不足")
    raise_demand(
        log(li2025, li, [person], day=datetime.date(2025, 11, 2)), liaison_officer.user, text="无后继"
    )
    return y2025, y2026, t2025, t2026, still_open


def test_an_open_demand_counts_in_the_next_year_of_the_same_lead(years):
    y2025, y2026, t2025, t2026, still_open = years
    assert figures.open_demands(y2026) == {t2026.pk: 2}  # its own and the one carried over
    assert figures.open_demands(y2025)[t2025.pk] == 1  # still open in its own year too
    teams = {t["team"]: t for t in build_review(y2026)["teams"]}
    assert teams["王主席专班"]["open_demands"] == 2
    # closed, it leaves the next year's figures (the stored ones are bumped)
    team_figures.current(y2026)
    still_open.status = DemandStatus.DONE
    still_open.closed_at = datetime.date(2026, 2, 1)
    still_open.save()
    assert team_figures.current(y2026)[t2026.pk].open_demands == 1


def test_the_team_s_demand_list_shows_it_marked_carried_over(years, leader_client):
    _y2025, _y2026, _t2025, t2026, _still_open = years
    response = leader_client.get(reverse("liaison:demand_list"), {"team": t2026.pk, "state": "open"})
    texts = sorted(d.text for d in response.context["page"].object_list)
    assert texts == ["实验室用房紧张", "经费不足"]
    assert response.content.decode().count('data-testid="carried-over">2025 年结转<') == 1
    board = leader_client.get(reverse("reports:dashboard"), {"year": 2026}).context["board"]
    assert sum(c["open"] for c in board.demand_counts.values()) == 2
