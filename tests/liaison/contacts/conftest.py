"""Fixtures the contact pages' tests share."""

from __future__ import annotations

import pytest

from tests.factories import today
from tests.liaison.plan.factories import make_leader, make_team, make_year


@pytest.fixture
def team(dept_staff):
    """This year's team led by 王主席 with 陈干部 (dept_staff) as a member; modules that need another team
    define their own."""
    return make_team(make_year(today().year), make_leader("王主席"), members=[dept_staff])
