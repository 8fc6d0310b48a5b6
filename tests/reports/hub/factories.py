"""A hand-built history around one scientist and one county, with the app's today fixed at 2026-12-06 (the
`today` fixture of conftest.py), so that "this year" is 2026 and "last year" 2025 whenever the tests run.

- 2026: 王主席专班 (lead 王主席, member 陈干部 — the `dept_staff` persona) and 李主席专班 (lead 李主席); 2025:
  李主席专班 (2025).
- 张院士 (born 1960-12-20, solar) is a target of 王主席专班 from 2026-01-01 (category 知名专家) and of 李主席专班
  (2025); the 2026 rules give a 90-day contact interval to 领导专班 × 知名专家.
- Records naming 张院士, newest first:
  2026-06-01 王主席专班 看望慰问 (全国科技工作者日) by 陈干部, "节日慰问";
  2026-04-20 李主席专班 调查了解, "李主席专班走访" (陈干部 is not on that team);
  2026-03-10 王主席专班 调查了解 by 王主席, "走访了解科研进展", with the demand "实验室用房紧张" (待办);
  2025-09-15 李主席专班 (2025) 开展座谈, "座谈交流", with a demand "人才引进政策咨询", closed (已办结).
  Not in any timeline: a draft of 王主席专班 naming him, and a record of 王主席专班 naming someone else.
- 梅山县科协 (district) has two townships: 城关镇科协, named by 王主席专班 on 2026-05-10 and 2026-07-01, and 东村镇科协,
  named by 李主席专班 on 2026-08-01.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from liaison.models import QuotaRule
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.factories import OrganizationFactory, ScientistFactory
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year

D = datetime.date
TODAY = D(2026, 12, 6)


def build_case(member) -> SimpleNamespace:
    this, last = make_year(2026), make_year(2025)
    wang, li = make_leader("王主席", "wangzhuxi"), make_leader("李主席", "lizhuxi")
    team_a = make_team(this, wang, members=[member])
    team_b = make_team(this, li)
    team_b_last = make_team(last, li)
    zhang = ScientistFactory(name="张院士", birth_date=D(1960, 12, 20))
    other = ScientistFactory(name="其他专家")
    assignment = plans.assignment_add(
        team=team_a, by=None, scientist=zhang, category="expert", start_date=D(2026, 1, 1)
    )
    plans.assignment_add(team=team_b_last, by=None, scientist=zhang, category="expert")
    QuotaRule.objects.filter(year=this, team_kind="leader", category="expert").update(
        contact_interval_days=90
    )

    r1 = log(team_a, wang, [zhang], day=D(2026, 3, 10))
    demand_open = raise_demand(r1, wang.user, raised_by_scientist=zhang, text="实验室用房紧张")
    r2 = log(
        team_a,
        member,
        [zhang],
        day=D(2026, 6, 1),
        method="greeting",
        occasion="workers_day",
        grassroots=False,
        summary="节日慰问",
    )
    r4 = log(team_b, li, [zhang], day=D(2026, 4, 20), summary="李主席专班走访")
    r3 = log(team_b_last, li, [zhang], day=D(2025, 9, 15), method="symposium", summary="座谈交流")
    demand_closed = raise_demand(r3, li.user, raised_by_scientist=zhang, text="人才引进政策咨询")
    demand_closed.status = "done"
    demand_closed.save()
    log(team_a, wang, [zhang], day=D(2026, 7, 1), draft=True, summary="草稿未完成")
    log(team_a, wang, [other], day=D(2026, 7, 2), summary="其他人的记录")

    county = OrganizationFactory(name="梅山县科协", kind=OrgKind.DISTRICT)
    town = OrganizationFactory(name="城关镇科协", kind=OrgKind.TOWNSHIP, parent=county)
    village_town = OrganizationFactory(name="东村镇科协", kind=OrgKind.TOWNSHIP, parent=county)
    log(team_a, wang, [town], day=D(2026, 5, 10), summary="城关镇座谈")
    log(team_a, wang, [town], day=D(2026, 7, 1), summary="城关镇回访")
    log(team_b, li, [village_town], day=D(2026, 8, 1), summary="东村镇调研")
    return SimpleNamespace(**locals())


def more_records(team, author, target, n: int) -> None:
    """n more completed records of the team naming the target, in January and February 2026."""
    for i in range(n):
        log(team, author, [target], day=D(2026, 1 + i % 2, 1 + i % 28), summary=f"补充记录{i}")
