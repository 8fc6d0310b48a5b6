"""Builders for the year's plan, shared by the plan tests."""

from __future__ import annotations

from liaison.models import Position, Team, Year
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory, UserFactory


def make_year(year: int = 2026) -> Year:
    return plans.year_create(year=year)


def make_leader(name: str = "王主席", username: str | None = None):
    return StaffFactory(
        user=UserFactory(username=username or f"lead{name}"),
        name=name,
        department=None,
        position=Position.LEADERSHIP,
        title="副主席",
    )


def make_team(year: Year, lead=None, members=()) -> Team:
    lead = lead or make_leader()
    return plans.team_save(team=Team(year=year, lead=lead), members=list(members))


def org(kind: str = OrgKind.SOCIETY, name: str | None = None):
    return OrganizationFactory(kind=kind, **({"name": name} if name else {}))


def fill_leader_minimum(team: Team, by=None) -> None:
    """Exactly the seed's minimum for a leader team: 2 districts, 2 vice-chair units, 3 societies, 3 enterprises,
    2 universities, 10 experts."""
    for kind, n in [
        ("district", 2),
        ("vice_chair_unit", 2),
        ("society", 3),
        ("enterprise", 3),
        ("university", 2),
    ]:
        for _ in range(n):
            plans.assignment_add(team=team, by=by, organization=org(kind))
    for _ in range(10):
        plans.assignment_add(team=team, by=by, scientist=ScientistFactory(category="renowned"))


def make_compliant(team: Team) -> None:
    """A leader team that is 达标 as the review means it: exactly the seed's minimum of targets, every one
    named on the team's ten grassroots visits of the year (the policy's visit minimum), by its lead."""
    from liaison.contacts import services as contacts
    from liaison.models import ContactRecord

    fill_leader_minimum(team)
    targets = [
        a.target for a in team.assignments.in_force_at_year_end().select_related("organization", "scientist")
    ]
    for month in range(1, 11):
        contacts.record_save(
            record=ContactRecord(
                team=team,
                date=team.year.first_day.replace(month=month),
                method="survey",
                channel="visit",
                summary="走访",
                author=team.lead,
                grassroots=True,
            ),
            targets=targets,
            participants=[team.lead],
        )
