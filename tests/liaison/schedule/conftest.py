"""A team with two targets and a member, in a past year (records can be completed on any of its days) and
in next year (any of its days can still be planned)."""

from __future__ import annotations

import datetime

import pytest

from liaison.models import PlannedContact
from liaison.plan import services as plans
from liaison.schedule import services as schedule
from tests.factories import ScientistFactory, today
from tests.liaison.plan.factories import make_leader, make_team, make_year, org


class World:
    def __init__(self, year: int, dept_staff) -> None:
        self.year = make_year(year)
        self.lead = make_leader("张领导", username=f"zhang{year}")
        self.member = dept_staff
        self.team = make_team(self.year, self.lead, members=[dept_staff])
        self.org = org(name=f"和平区科协{year}")
        self.expert = ScientistFactory(name=f"李院士{year}")
        for target in (self.org, self.expert):
            kind = "organization" if target is self.org else "scientist"
            plans.assignment_add(
                team=self.team, by=None, start_date=datetime.date(year, 1, 1), **{kind: target}
            )

    def plan(self, day: datetime.date, target=None, *, goers=None, method="survey") -> PlannedContact:
        return schedule.plan_save(
            item=PlannedContact(team=self.team, date=day, method=method),
            target=target or self.expert,
            goers=goers or [self.member],
            today=datetime.date(self.year.year, 1, 1),
        )


@pytest.fixture
def past(dept_staff) -> World:
    return World(today().year - 1, dept_staff)


@pytest.fixture
def future(dept_staff) -> World:
    return World(today().year + 1, dept_staff)
