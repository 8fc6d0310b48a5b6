"""A small hand-built year with known review answers, shared by the review tests.

Year 2025, rules cut down so every number is easy to follow:
- 领导专班: 区县(市)科协 1–2, 知名专家/高层次人才 ≥ 1, 下基层 ≥ 2
- 部室专班: 市级学会 ≥ 1, 基层一线科技工作者 ≥ 1, 下基层 ≥ 1

王主席专班 (leader, "wangzhuxi"): 和平区科协 contacted; 沈河区科协 named only on a deleted record; 张院士
named only on a draft; 李专家 contacted only by another team; 赵退休 ended mid-year (contacted, not counted).
Two grassroots visits that count (plus a deleted one, a draft one and one not at the grassroots).
Demands: one pending, one in progress, one done, one on a deleted record → 2 open.

李副主席专班 (leader, "lifuzhuxi"): three districts, all contacted on one grassroots visit; no expert.

陈部长专班 (department, "chenbuzhang"): one society and one frontline scientist contacted on one grassroots
visit; one uncounted organisation contacted too. A record of the same lead's 2024 team names the same
society and must not count for 2025.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from liaison.contacts import services as contacts
from liaison.models import (
    ContactRecord,
    Demand,
    DemandActionKind,
    Position,
    QuotaRule,
    Staff,
    Team,
    TeamKind,
    VisitQuota,
    Year,
)
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory, UserFactory
from tests.liaison.plan.factories import make_team


@dataclass
class ReviewData:
    year: Year
    wang: Team
    li: Team
    chen: Team
    author: Staff


def set_small_rules(year: Year) -> None:
    QuotaRule.objects.filter(year=year).delete()
    VisitQuota.objects.filter(year=year).delete()
    for kind, category, low, high in [
        (TeamKind.LEADER, "district", 1, 2),
        (TeamKind.LEADER, "expert", 1, None),
        (TeamKind.DEPARTMENT, "society", 1, None),
        (TeamKind.DEPARTMENT, "frontline", 1, None),
    ]:
        QuotaRule.objects.create(year=year, team_kind=kind, category=category, minimum=low, maximum=high)
    VisitQuota.objects.create(year=year, team_kind=TeamKind.LEADER, minimum=2)
    VisitQuota.objects.create(year=year, team_kind=TeamKind.DEPARTMENT, minimum=1)


def record(team: Team, day: datetime.date, author: Staff, targets, *, grassroots=True, draft=False):
    return contacts.record_save(
        record=ContactRecord(
            team=team,
            date=day,
            method="survey",
            channel="visit",
            summary="走访了解情况",
            author=author,
            grassroots=grassroots,
        ),
        targets=targets,
        participants=[author],
        draft=draft,
    )


def build_review_data(department=None) -> ReviewData:
    year = plans.year_create(year=2025)
    set_small_rules(year)
    author = StaffFactory(name="记录员", department=department)
    wang_lead = StaffFactory(
        user=UserFactory(username="wangzhuxi"), name="王主席", department=None, position=Position.LEADERSHIP
    )
    li_lead = StaffFactory(
        user=UserFactory(username="lifuzhuxi"), name="李副主席", department=None, position=Position.LEADERSHIP
    )
    chen_lead = StaffFactory(
        user=UserFactory(username="chenbuzhang"),
        name="陈部长",
        department=department or author.department,
        position=Position.DEPARTMENT_HEAD,
    )
    wang = make_team(year, wang_lead, members=[author])
    li = make_team(year, li_lead, members=[author])
    chen = make_team(year, chen_lead, members=[author])

    heping = OrganizationFactory(kind=OrgKind.DISTRICT, name="和平区科协")
    shenhe = OrganizationFactory(kind=OrgKind.DISTRICT, name="沈河区科协")
    zhang = ScientistFactory(name="张院士", category="academician")
    li_expert = ScientistFactory(name="李专家", category="renowned")
    zhao = ScientistFactory(name="赵退休", category="renowned")
    for target in (heping, shenhe):
        plans.assignment_add(team=wang, by=None, organization=target, start_date=datetime.date(2025, 1, 1))
    for target in (zhang, li_expert, zhao):
        plans.assignment_add(team=wang, by=None, scientist=target, start_date=datetime.date(2025, 1, 1))
    retired = wang.assignments.get(scientist=zhao)
    plans.assignment_end(assignment=retired, by=None, reason="retired", end_date=datetime.date(2025, 6, 30))

    visit1 = record(wang, datetime.date(2025, 3, 5), author, [heping, zhao])
    record(wang, datetime.date(2025, 4, 9), author, [heping])
    deleted = record(wang, datetime.date(2025, 5, 12), author, [shenhe])
    contacts.record_delete(record=deleted, reason="重复登记", by=author.user)
    record(wang, datetime.date(2025, 6, 2), author, [zhang], draft=True)
    record(wang, datetime.date(2025, 7, 8), author, [heping], grassroots=False)
    record(li, datetime.date(2025, 8, 1), author, [li_expert], grassroots=False)  # another team's contact

    def demand(on: ContactRecord, text: str) -> Demand:
        return contacts.demand_create(demand=Demand(record=on, kind="difficulty", text=text), by=author.user)

    demand(visit1, "实验室用房紧张")
    contacts.demand_act(
        demand=demand(visit1, "申报项目需要指导"), kind=DemandActionKind.PROGRESS, by=author.user
    )
    contacts.demand_act(
        demand=demand(visit1, "希望参加学术年会"),
        kind=DemandActionKind.REPLY,
        text="已发邀请函",
        status="done",
        by=author.user,
    )
    on_deleted = record(wang, datetime.date(2025, 9, 3), author, [heping])
    demand(on_deleted, "重复的诉求")
    contacts.record_delete(record=on_deleted, reason="误录", by=author.user)

    districts = [
        OrganizationFactory(kind=OrgKind.DISTRICT, name=n) for n in ("铁西区科协", "皇姑区科协", "大东区科协")
    ]
    for target in districts:
        plans.assignment_add(team=li, by=None, organization=target, start_date=datetime.date(2025, 1, 1))
    record(li, datetime.date(2025, 5, 20), author, districts)

    society = OrganizationFactory(kind=OrgKind.SOCIETY, name="市机械工程学会")
    worker = ScientistFactory(name="刘技师", category="frontline")
    farm = OrganizationFactory(kind=OrgKind.AGRI_TECH, name="新民农技协")  # counts toward no category
    for target in (society, farm):
        plans.assignment_add(team=chen, by=None, organization=target, start_date=datetime.date(2025, 1, 1))
    plans.assignment_add(team=chen, by=None, scientist=worker, start_date=datetime.date(2025, 1, 1))
    record(chen, datetime.date(2025, 10, 15), author, [society, worker, farm])

    last_year = plans.year_create(year=2024)
    old_team = make_team(last_year, chen_lead)
    plans.assignment_add(team=old_team, by=None, organization=society, start_date=datetime.date(2024, 1, 1))
    record(old_team, datetime.date(2024, 11, 1), author, [society])
    return ReviewData(year=year, wang=wang, li=li, chen=chen, author=author)


EXPECTED_REVIEW = {
    "year": 2025,
    "teams": [
        {
            "team": "王主席专班",
            "leader": "wangzhuxi",
            "kind": "leader",
            "categories": {
                "district": {"assigned": 2, "contacted": 1, "min": 1, "max": 2, "interval_days": None},
                "expert": {"assigned": 2, "contacted": 0, "min": 1, "max": None, "interval_days": None},
            },
            "grassroots_visits": {"count": 2, "min": 2},
            "uncontacted_targets": ["沈河区科协", "李专家", "张院士"],
            "overdue_targets": [],
            "open_demands": 2,
            "compliant": False,
            "shortfalls": ["3 个联系对象全年未联系"],
        },
        {
            "team": "李副主席专班",
            "leader": "lifuzhuxi",
            "kind": "leader",
            "categories": {
                "district": {"assigned": 3, "contacted": 3, "min": 1, "max": 2, "interval_days": None},
                "expert": {"assigned": 0, "contacted": 0, "min": 1, "max": None, "interval_days": None},
            },
            "grassroots_visits": {"count": 1, "min": 2},
            "uncontacted_targets": [],
            "overdue_targets": [],
            "open_demands": 0,
            "compliant": False,
            "shortfalls": [
                "区县(市)科协 超出上限 1 个",
                "知名专家/高层次人才 少 1 名",
                "下基层 1 次，少 1 次",
            ],
        },
        {
            "team": "陈部长专班",
            "leader": "chenbuzhang",
            "kind": "department",
            "categories": {
                "society": {"assigned": 1, "contacted": 1, "min": 1, "max": None, "interval_days": None},
                "frontline": {"assigned": 1, "contacted": 1, "min": 1, "max": None, "interval_days": None},
            },
            "grassroots_visits": {"count": 1, "min": 1},
            "uncontacted_targets": [],
            "overdue_targets": [],
            "open_demands": 0,
            "compliant": True,
            "shortfalls": [],
        },
    ],
}
