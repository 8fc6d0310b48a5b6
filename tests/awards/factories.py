"""Builders for the awards tests: an award, a team of its year with a lead and members, nominations."""

from __future__ import annotations

import datetime

from awards import services as awarding
from awards.models import Award, Nomination
from tests.factories import ScientistFactory, today


def make_award(
    *,
    name: str = "青年科技奖",
    year: int = 2026,
    quota: int = 5,
    deadline: datetime.date | None = None,
    active: bool = True,
) -> Award:
    """An award open until `deadline` (today by default: the deadline day still takes nominations)."""
    return awarding.award_save(
        Award(
            name=name,
            body="市委组织部",
            year=year,
            quota=quota,
            deadline=deadline or today(),
            is_active=active,
        )
    )


def nominated(
    award: Award, *, team=None, organization=None, by, scientist=None, steps=(), office=None
) -> Nomination:
    """A nomination of a new scientist (or the one given), moved through `steps` by `office`."""
    nomination = awarding.nominate(
        award=award,
        scientist=scientist or ScientistFactory(),
        team=team,
        organization=organization,
        by=by,
        reason="成果突出，贡献显著",
    )
    for state in steps:
        nomination = awarding.move(nomination=nomination, to_state=state, by=office)
    return nomination
