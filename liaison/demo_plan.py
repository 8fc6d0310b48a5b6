"""Demo plan of the current year: a team for every leader and department head, assigned targets that meet
the seed's quotas for most teams, a few realistic shortfalls, a couple of ended assignments, coverage gaps.

Deterministic (fixed seeds, sorted inputs) and idempotent: teams are keyed by (year, lead); a team that
already has assignments is left as it is, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from experts.models import Scientist
from liaison import plans
from liaison.models import Assignment, EndReason, Position, Staff, Team, TeamKind, Year, YearStatus
from orgs.models import Organization, OrgKind

# How many targets of each kind a demo team takes: the seed's minimum plus a little (seed 000 §五.1–2).
LEADER_NEEDS = {
    "district": 2,
    "vice_chair_unit": 2,
    "society": 4,
    "enterprise": 3,
    "university": 2,
    "expert": 11,
}
DEPARTMENT_NEEDS = {"district": 2, "society": 2, "enterprise": 2, "university": 2, "frontline": 6}
# Realistic shortfalls: (team kind, position in the team list) → {category: how many fewer}.
SHORTFALLS = {
    (TeamKind.LEADER, 3): {"expert": 3},
    (TeamKind.LEADER, 6): {"university": 1},
    (TeamKind.DEPARTMENT, 4): {"frontline": 3},
    (TeamKind.DEPARTMENT, 9): {"enterprise": 1},
}
# Left out on purpose so that the coverage-gaps page has something to show.
HELD_BACK = {"district": 1, "society": 5, "enterprise": 4, "university": 2}
ORG_KINDS = {
    "district": OrgKind.DISTRICT,
    "vice_chair_unit": OrgKind.VICE_CHAIR_UNIT,
    "society": OrgKind.SOCIETY,
    "enterprise": OrgKind.ENTERPRISE,
    "university": OrgKind.UNIVERSITY,
}
EXPERT_TALENTS = sorted(str(t) for t in plans.EXPERT_TALENTS)


def _dealer(items: list[Any], held_back: int) -> Iterator[Any]:
    """Deal targets round the teams; when the pool runs out, start again (targets shared between teams)."""
    pool = items[: max(len(items) - held_back, 1)] if items else []
    while pool:
        yield from pool


def seed_demo_plan(*, year: int, liaison_username: str) -> dict[str, int]:
    """Create the year's demo teams and assignments. Must run inside the caller's transaction."""
    the_year = Year.objects.filter(year=year).first()
    created = {"years": 0, "teams": 0, "assignments": 0}
    if the_year is None:
        the_year = plans.year_create(year=year)
        Year.objects.filter(pk=the_year.pk).update(status=YearStatus.APPROVED)
        the_year.refresh_from_db()
        created["years"] = 1
    by = get_user_model().objects.filter(username=liaison_username).first()
    start = datetime.date(year, 1, 1)

    leaders = list(Staff.objects.filter(position=Position.LEADERSHIP, is_active=True).order_by("order", "id"))
    heads = list(
        Staff.objects.filter(position=Position.DEPARTMENT_HEAD, is_active=True)
        .select_related("department")
        .order_by("department__order", "department_id", "id")
    )
    staff_by_department: dict[int, list[Staff]] = defaultdict(list)
    for person in Staff.objects.filter(position=Position.STAFF, is_active=True).order_by("order", "id"):
        staff_by_department[person.department_id].append(person)

    rng = random.Random(f"demo-plan-{year}")
    orgs_by_kind = {
        key: sorted(
            Organization.objects.filter(kind=kind, is_active=True), key=lambda o: (o.name_pinyin, o.name)
        )
        for key, kind in ORG_KINDS.items()
    }
    for items in orgs_by_kind.values():
        rng.shuffle(items)
    experts = list(
        Scientist.objects.filter(category__in=EXPERT_TALENTS, is_active=True).order_by("name_pinyin", "id")
    )
    frontline = list(
        Scientist.objects.exclude(category__in=EXPERT_TALENTS)
        .filter(is_active=True)
        .order_by("name_pinyin", "id")
    )
    rng.shuffle(experts)
    rng.shuffle(frontline)
    dealers = {key: _dealer(items, HELD_BACK.get(key, 0)) for key, items in orgs_by_kind.items()}
    dealers["expert"] = _dealer(experts, 0)
    dealers["frontline"] = _dealer(frontline, 0)

    for kind, leads, needs in (
        (TeamKind.LEADER, leaders, LEADER_NEEDS),
        (TeamKind.DEPARTMENT, heads, DEPARTMENT_NEEDS),
    ):
        for index, lead in enumerate(leads):
            team = Team.objects.filter(year=the_year, lead=lead).first()
            if team is None:
                if kind == TeamKind.LEADER:
                    head = heads[index % len(heads)] if heads else None
                    helpers = staff_by_department.get(head.department_id, [])[:1] if head else []
                    members = [m for m in [head, *helpers] if m is not None]
                else:
                    members = staff_by_department.get(lead.department_id, [])[:3]
                team = plans.team_save(team=Team(year=the_year, lead=lead), members=members)
                created["teams"] += 1
            if team.assignments.exists():
                continue
            missing = SHORTFALLS.get((kind, index), {})
            taken: set[Any] = set()
            for category, count in needs.items():
                for _ in range(count - missing.get(category, 0)):
                    target = _next_free(dealers[category], taken)
                    if target is None:
                        break
                    field = "scientist" if category in ("expert", "frontline") else "organization"
                    Assignment.objects.create(
                        team=team, category=category, start_date=start, created_by=by, **{field: target}
                    )
                    taken.add(target)
                    created["assignments"] += 1
            if index in (1, 5):  # someone retired mid-year: the row stays, ended with its reason
                last = team.assignments.filter(scientist__isnull=False).order_by("-id").first()
                if last is not None:
                    last.end_date = datetime.date(year, 6, 30)
                    last.end_reason = EndReason.RETIRED
                    last.end_note = "年中退休，联系工作移交单位"
                    last.ended_by = by
                    last.ended_at = datetime.datetime(
                        year, 6, 30, 10, 0, tzinfo=timezone.get_current_timezone()
                    )
                    last.save()
    return created


def _next_free(dealer: Iterator[Any], taken: set[Any]) -> Any | None:
    """The next target of the pool that the team does not have yet (gives up after one long lap)."""
    for _ in range(500):
        target = next(dealer, None)
        if target is None:
            return None
        if target not in taken:
            return target
    return None
