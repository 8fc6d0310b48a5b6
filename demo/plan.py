"""Demo plan of the current year: a team for every leader and department head, assigned targets that meet
the seed's quotas for most teams, a few realistic shortfalls, a couple of ended assignments, coverage gaps.

Deterministic (fixed seeds, sorted inputs) and idempotent: teams are keyed by (year, lead); a team that
already has assignments is left as it is, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from common import occasions
from experts.models import Scientist
from liaison.compliance import categories
from liaison.contacts import services as contacts
from liaison.models import (
    Assignment,
    ContactRecord,
    Demand,
    DemandStatus,
    EndReason,
    Position,
    Staff,
    Team,
    TeamKind,
    Year,
    YearStatus,
)
from liaison.plan import services as plans
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
EXPERT_TALENTS = sorted(str(t) for t in categories.EXPERT_TALENTS)


def _dealer(items: list[Any], held_back: int) -> Iterator[Any]:
    """Deal targets round the teams; when the pool runs out, start again (targets shared between teams)."""
    pool = items[: max(len(items) - held_back, 1)] if items else []
    while pool:
        yield from pool


def seed_demo_plan(*, year: int, liaison_username: str) -> dict[str, int]:
    """Create the year's demo teams and assignments. Must run inside the caller's transaction."""
    the_year = Year.objects.filter(year=year).first()
    created = {"years": 0, "teams": 0, "assignments": 0, "records": 0, "demands": 0}
    if the_year is None:
        the_year = plans.year_create(year=year)
        Year.objects.filter(pk=the_year.pk).update(status=YearStatus.APPROVED)
        the_year.refresh_from_db()
        created["years"] = 1
    by = get_user_model().objects.filter(username=liaison_username).first()
    # The weekly digest goes to team leads and the liaison office: give them (reserved-domain) addresses.
    for person in Staff.objects.filter(
        Q(position__in=[Position.LEADERSHIP, Position.DEPARTMENT_HEAD])
        | Q(department__is_liaison_office=True),
        user__email="",
    ).select_related("user"):
        person.user.email = f"{person.user.username}@example.org"
        person.user.save(update_fields=["email"])
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
    created.update(seed_demo_records(year=year, today=timezone.localdate()))
    created["records"] += seed_demo_village_visits(year=year, today=timezone.localdate())
    return created


def seed_demo_village_visits(*, year: int, today: datetime.date) -> int:
    """Visits to townships and villages logged on phones (issue 21): most with the device's location, as the
    list by county/township (liaison/contacts/locations.py) and the record page show. Skipped if present."""
    the_year = Year.objects.filter(year=year).first()
    if (
        the_year is None
        or ContactRecord.objects.filter(team__year=the_year, client_key__isnull=False).exists()
    ):
        return 0
    places = list(
        Organization.objects.filter(kind__in=[OrgKind.VILLAGE, OrgKind.TOWNSHIP]).order_by("kind", "id")[:10]
    )
    teams = [
        t
        for t in Team.objects.filter(year=the_year).prefetch_related("members").order_by("id")
        if t.members.exists()
    ]
    if not places or not teams:
        return 0
    rng = random.Random(f"demo-village-visits-{year}")
    zone = timezone.get_current_timezone()
    made = 0
    for n, place in enumerate(places):
        team = teams[n % min(3, len(teams))]
        author = next(iter(team.members.all()))
        day = min(today, datetime.date(year, 12, 31)) - datetime.timedelta(days=3 + 7 * n)
        if day.year != year:
            continue
        record = ContactRecord(
            team=team,
            date=day,
            method="survey",
            channel="visit",
            grassroots=True,
            place=place.name.removesuffix("科协"),
            summary=f"到{place.name}了解科技助农需求，现场查看大棚种植技术应用情况。",
            topics=["difficulties", "policy"],
            author=author,
            client_key=uuid.UUID(int=rng.getrandbits(128), version=4),
        )
        if n % 4 != 3:  # one in four without a location: the user did not tick 记录当前位置
            record.latitude = Decimal(f"{41.60 + rng.random() * 0.5:.6f}")
            record.longitude = Decimal(f"{122.90 + rng.random() * 0.9:.6f}")
            record.accuracy = rng.choice([8, 12, 20, 35])
            record.located_at = datetime.datetime.combine(day, datetime.time(10, 20 + n), tzinfo=zone)
        contacts.record_save(record=record, targets=[place], participants=[author])
        made += 1
    return made


def _next_free(dealer: Iterator[Any], taken: set[Any]) -> Any | None:
    """The next target of the pool that the team does not have yet (gives up after one long lap)."""
    for _ in range(500):
        target = next(dealer, None)
        if target is None:
            return None
        if target not in taken:
            return target
    return None


# --- a year of contact work -----------------------------------------------------------------------------

SUMMARIES = {
    "survey": [
        "深入{t}了解科研项目进展和人才队伍建设情况，听取对科协工作的意见。",
        "到{t}调研，了解实验室建设和成果转化中遇到的困难。",
        "走访{t}，座谈了解青年科技人才培养情况。",
    ],
    "symposium": ["召开科技工作者座谈会，{t}等参加，围绕产业发展建言献策。"],
    "event": ["邀请{t}参加市科协学术年会并作报告。", "邀请{t}参加科普日主场活动。"],
    "friendship": ["与{t}谈心交流，了解工作生活情况。", "线上与{t}交流近期科研合作意向。"],
}
DEMAND_TEXTS = [
    ("difficulty", "实验用房紧张，希望协调解决"),
    ("suggestion", "建议加强科技成果转化平台建设"),
    ("cooperation", "希望对接本地企业开展技术合作"),
    ("commendation", "推荐本单位青年骨干参评青年科技奖"),
    ("difficulty", "子女入学问题希望帮助协调"),
]
# Teams (by position in the lead order) that do too little this year: realistic gaps for the review.
SLOW_TEAMS = {2, 7, 13}


def seed_demo_records(*, year: int, today: datetime.date) -> dict[str, int]:
    """Contact records from January up to today for every team of the year, greetings at the Spring
    Festival and on 30 May, and demands in every state (some overdue). Skipped if the year has records."""
    created = {"records": 0, "demands": 0}
    the_year = Year.objects.filter(year=year).first()
    if the_year is None or ContactRecord.objects.filter(team__year=the_year).exists():
        return created
    rng = random.Random(f"demo-records-{year}")
    teams = list(
        Team.objects.filter(year=the_year)
        .select_related("lead", "year")
        .prefetch_related("members")
        .order_by("kind", "lead__order", "lead_id")
    )
    last_day = min(today, datetime.date(year, 12, 31))
    handler_pool = list(
        Staff.objects.filter(is_active=True, position=Position.STAFF).order_by("order", "id")[:10]
    )
    for index, team in enumerate(teams):
        people = [team.lead, *team.members.all()]
        assignments = list(
            team.assignments.filter(end_date__isnull=True)
            .select_related("organization", "scientist")
            .order_by("id")
        )
        if not assignments:
            continue
        slow = index in SLOW_TEAMS
        # Every target of a working team is visited in turn; a slow team leaves some silent all year and a
        # few others leave one (the review and the dashboard show them).
        quiet = 0 if index % 4 else 1
        silent = set(rng.sample(range(len(assignments)), k=len(assignments) // 4 if slow else quiet))
        pool = [a for i, a in enumerate(assignments) if i not in silent]
        rng.shuffle(pool)
        turn = 0
        month_count = last_day.month
        visits_per_month = 1 if slow else 2
        for month in range(1, month_count + 1):
            for n in range(visits_per_month + rng.randint(0, 1)):
                day = datetime.date(year, month, min(28, 3 + 9 * n + rng.randint(0, 6)))
                if day > last_day:
                    continue
                method = rng.choice(["survey", "survey", "symposium", "event", "friendship"])
                size = min(len(pool), 4 if method == "symposium" else 1)
                picked = [pool[(turn + k) % len(pool)] for k in range(size)]
                turn += size
                names = "、".join(a.target_name for a in picked)
                channel = {
                    "survey": "visit",
                    "symposium": "meeting",
                    "event": "meeting",
                    "friendship": "online",
                }[method]
                grassroots = method in ("survey", "symposium") and not (slow and month % 3)
                author = rng.choice(people)
                record = ContactRecord(
                    team=team,
                    date=day,
                    method=method,
                    channel=channel,
                    grassroots=grassroots,
                    place=picked[0].target_name if method == "survey" else "市科协会议室",
                    summary=rng.choice(SUMMARIES[method]).format(t=names),
                    topics=sorted(
                        rng.sample(["policy", "difficulties", "advice", "cooperation", "commendation"], k=2)
                    ),
                    author=author,
                )
                contacts.record_save(
                    record=record,
                    targets=[a.target for a in picked],
                    participants=rng.sample(people, k=min(2, len(people))),
                )
                created["records"] += 1
                if rng.random() < 0.12:
                    kind, text = rng.choice(DEMAND_TEXTS)
                    handler = rng.choice(handler_pool) if handler_pool else None
                    due = day + datetime.timedelta(days=30)
                    demand = contacts.demand_create(
                        demand=Demand(
                            record=record,
                            kind=kind,
                            text=text,
                            raised_by_scientist=next((a.scientist for a in picked if a.scientist_id), None),
                            raised_by_organization=None
                            if any(a.scientist_id for a in picked)
                            else picked[0].organization,
                            handler=handler,
                            due_date=due,
                        ),
                        by=author.user,
                        date=day,
                    )
                    created["demands"] += 1
                    closing_day = min(due - datetime.timedelta(days=5), last_day)
                    if (
                        due < last_day - datetime.timedelta(days=20)
                        and rng.random() < 0.7
                        and closing_day >= day
                    ):
                        contacts.demand_act(
                            demand=demand,
                            kind="progress",
                            by=author.user,
                            text="已与有关部门沟通",
                            date=closing_day,
                        )
                        contacts.demand_act(
                            demand=demand,
                            kind="reply",
                            by=author.user,
                            text="已协调解决，向提出人作了反馈",
                            status=DemandStatus.DONE,
                            date=closing_day,
                        )
                        if rng.random() < 0.6:
                            contacts.demand_act(
                                demand=demand,
                                kind="revisit",
                                by=author.user,
                                satisfied=True,
                                text="表示满意",
                                date=closing_day,
                            )
        # Greetings: Spring Festival and 30 May, most of the team's scientists.
        scientists = [a.scientist for a in assignments if a.scientist_id]
        for occasion, when in (
            ("spring_festival", occasions.spring_festival(year)),
            ("workers_day", occasions.workers_day(year)),
        ):
            if when > last_day or not scientists:
                continue
            share = 0.5 if slow else 0.85
            chosen = [s for s in scientists if rng.random() < share]
            if chosen:
                contacts.greetings_create(
                    team=team,
                    occasion=occasion,
                    channel=rng.choice(["message", "phone", "visit"]),
                    date=when - datetime.timedelta(days=1),
                    scientists=chosen,
                    author=rng.choice(people),
                )
                created["records"] += len(chosen)
    return created
