"""The one definition of a complete home and of the flags (homes/status.py), on the hand-built case of
tests/homes/factories.py, every figure worked out by hand."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homes import status
from homes.models import HomeDesignation
from orgs.models import Organization
from tests.homes.factories import build_world, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def states(year: int) -> dict[str, tuple[int, str, bool, bool]]:
    rows = status.with_home_state(status.home_organizations(), year)
    return {o.name: (o.points_done, o.home_state, o.contact_point, o.demo_point) for o in rows}


def test_each_association_in_2026(world):
    assert states(2026) == {
        "甲区科协": (0, "none", False, False),  # complete in 2025 only: a year's checklist is that year's
        "乙县科协": (0, "none", False, False),
        "一街道科协": (5, "complete", True, False),
        "二镇科协": (0, "none", False, False),  # 联系点 withdrawn from 2026
        "一社区科协": (5, "complete", False, True),
        "二社区科协": (4, "partial", False, False),  # a point not done does not count
        "甲区电子企业科协": (5, "complete", False, False),
        "化工学会": (5, "complete", False, False),  # named 联系点 only from 2027
    }  # 三社区科协 (inactive) and 甲区副主席单位 (no home kind) are not associations with a home


def test_each_association_in_2025(world):
    found = states(2025)
    assert found["甲区科协"] == (5, "complete", False, False)
    assert found["二镇科协"] == (0, "none", True, False)  # 2023 – 2025
    assert found["一街道科协"] == (0, "none", True, False)  # since 2024
    assert found["一社区科协"] == (0, "none", False, False)  # 示范点 from 2026


def test_summary_is_one_query(world):
    with CaptureQueriesContext(connection) as queries:
        tally = status.summary(2026)
    assert len(queries) == 1
    assert (tally.total, tally.complete, tally.contact_points, tally.demo_points) == (8, 4, 1, 1)
    assert tally.share == 50
    t = status.summary(2025)
    assert (t.total, t.complete, t.contact_points, t.demo_points) == (8, 1, 2, 0)


def test_state_counts(world):
    rows = status.with_home_state(status.home_organizations(), 2026)
    assert status.state_counts(rows) == {"complete": 4, "partial": 1, "none": 3}


def test_rollup_county_township_village(world):
    with CaptureQueriesContext(connection) as queries:
        rows, total = status.rollup(2026)
    assert len(queries) == 3  # one grouped query, the counties, the townships' names
    assert [(r.county.name if r.county else None) for r in rows] == ["甲区科协", "乙县科协", None]
    a, b, none = rows

    def t(tally):
        return (tally.total, tally.complete, tally.contact_points, tally.demo_points)

    # 甲区: itself, T1, T2, V1, V2, E1 (not U, not the inactive V3)
    assert t(a.tally) == (6, 3, 1, 1)
    assert [(r.township.name, t(r.tally)) for r in a.townships] == [
        ("二镇科协", (1, 0, 0, 0)),  # pinyin: er < yi
        ("一街道科协", (3, 2, 1, 1)),  # T1 and its villages V1, V2
    ]
    assert t(a.others) == (2, 1, 0, 0)  # 甲区科协 itself and E1
    assert t(b.tally) == (1, 0, 0, 0)
    assert b.townships == []
    assert t(none.tally) == (1, 1, 0, 0)  # 化工学会
    assert t(total) == (8, 4, 1, 1)
    assert t(total) == t(status.summary(2026))  # the roll-up and the dashboard count alike


def test_rollup_query_count_does_not_grow(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            status.rollup(2026)
        return len(queries)

    before = count()
    for i in range(6):
        county = place(f"新{i}县科协", "district")
        town = place(f"新{i}镇科协", "township", county)
        place(f"新{i}村科协", "village", town)
    assert count() == before


def test_a_standing_designation_is_unique_per_kind(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        HomeDesignation.objects.create(organization=world["T1"], kind="contact_point", year_named=2025)


def test_can_have_home(world):
    assert status.can_have_home(world["V1"])
    assert not status.can_have_home(world["U"])
    assert not status.can_have_home(world["V3"])
    assert not status.can_have_home(Organization(kind="other", is_active=True))
