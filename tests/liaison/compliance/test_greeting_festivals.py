"""Greetings count for the festival they were made for (issue: a December greeting for next February's
Spring Festival raised the ending year's coverage). Dates worked out from the lunar calendar: Spring
Festival 2026-02-17 (正月十五 2026-03-03), 2027-02-06."""

from __future__ import annotations

import datetime

import pytest

from common.occasions import festival_for
from liaison.compliance import figures, team_figures
from liaison.contacts import services as contacts
from liaison.plan import services as plans
from tests.factories import ScientistFactory
from tests.liaison.plan.factories import make_leader, make_team

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("occasion", "day", "festival"),
    [
        ("spring_festival", D(2026, 1, 20), D(2026, 2, 17)),  # before it: the one it precedes
        ("spring_festival", D(2026, 2, 17), D(2026, 2, 17)),
        ("spring_festival", D(2026, 3, 3), D(2026, 2, 17)),  # 正月十五: still that festival's season
        ("spring_festival", D(2026, 3, 4), D(2027, 2, 6)),
        ("spring_festival", D(2026, 12, 20), D(2027, 2, 6)),
        ("workers_day", D(2026, 5, 28), D(2026, 5, 30)),
        ("workers_day", D(2026, 12, 1), D(2026, 5, 30)),  # the 30 May of its year
        ("birthday", D(2026, 5, 30), None),
    ],
)
def test_the_festival_a_greeting_is_for(occasion, day, festival):
    assert festival_for(occasion, day) == festival


def test_a_december_greeting_counts_for_next_year_s_spring_festival_and_team():
    """王主席 leads a team in 2025 and again in 2026, each with 甲 and 乙 (Spring Festival 2025-01-29, 2026-02-17).
    The 2025 team greets 乙 on 2025-01-20 (for 2025-01-29) and 甲 on 2025-12-20 (for 2026-02-17); the 2026 team
    greets 乙 on 2026-01-30. Coverage of 2025's Spring Festival: 乙 only (1 of 2). Of 2026's: 甲 (greeted by the
    2025 team) and 乙 (by the 2026 team): 2 of 2."""
    lead = make_leader("王主席", "wangzhuxi")
    jia, yi = ScientistFactory(name="甲"), ScientistFactory(name="乙")
    y2025, y2026 = plans.year_create(year=2025), plans.year_create(year=2026)
    t2025, t2026 = make_team(y2025, lead), make_team(y2026, lead)
    for team in (t2025, t2026):
        for person in (jia, yi):
            plans.assignment_add(team=team, by=None, scientist=person, start_date=team.year.first_day)
    team_figures.current(y2026)  # stored before the December greeting: it must be bumped by it

    def greet(team, day, person):
        contacts.greetings_create(
            team=team, occasion="spring_festival", channel="phone", date=day, scientists=[person], author=lead
        )

    greet(t2025, D(2025, 1, 20), yi)
    greet(t2025, D(2025, 12, 20), jia)
    assert figures.greeting_coverage(y2025, "spring_festival") == {t2025.pk: (1, 2)}
    assert team_figures.current(y2026)[t2026.pk].spring_greeted == 1  # 甲, through the 2025 team
    greet(t2026, D(2026, 1, 30), yi)
    assert figures.greeting_coverage(y2026, "spring_festival") == {t2026.pk: (2, 2)}
    assert team_figures.current(y2025)[t2025.pk].spring_greeted == 1
    assert team_figures.current(y2026)[t2026.pk].spring_greeted == 2
    # the bulk-greetings page of the 2025 team in late December: both already greeted for the coming festival
    assert contacts.greeted_scientists(team=t2025, occasion="spring_festival", day=D(2025, 12, 28)) == {
        jia.pk,
        yi.pk,
    }
