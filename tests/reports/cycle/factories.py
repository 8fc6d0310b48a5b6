"""A plan of this year to adjust into next year, shared by the adjustment, approval and workbook tests.

This year (THIS): 王主席专班 (leader) with members 陈干部 and 离职干部 (no longer in post), targets 和平区科协
(district), 辽川市医学会 (society), 张院士 (expert), 停用学会 (a society deactivated in the registry since), and
赵退休 (expert) who retired mid-year; 李部长专班 (department) with 铁西区科协.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from experts.models import Scientist
from liaison.models import Position, Staff, Team, Year
from liaison.plan import services as plans
from orgs.models import Organization, OrgKind
from tests.factories import OrganizationFactory, ScientistFactory, StaffFactory, UserFactory
from tests.liaison.plan.factories import make_team

THIS = timezone.localdate().year
NEXT = THIS + 1


@dataclass
class Cycle:
    year: Year
    wang: Team
    li: Team
    heping: Organization
    medical: Organization
    zhang: Scientist
    closed_society: Organization
    tiexi: Organization


def make_head(name: str, department, username: str) -> Staff:
    return StaffFactory(
        user=UserFactory(username=username),
        name=name,
        department=department,
        position=Position.DEPARTMENT_HEAD,
    )


def make_cycle(*, lead: Staff, member: Staff, head: Staff | None = None) -> Cycle:
    year = plans.year_create(year=THIS)
    gone = StaffFactory(name="离职干部", department=member.department)
    wang = make_team(year, lead, members=[member, gone])
    gone.is_active = False
    gone.save()
    start = datetime.date(THIS, 1, 1)
    heping = OrganizationFactory(kind=OrgKind.DISTRICT, name="和平区科协")
    medical = OrganizationFactory(kind=OrgKind.SOCIETY, name="辽川市医学会")
    closed_society = OrganizationFactory(kind=OrgKind.SOCIETY, name="停用学会")
    zhang = ScientistFactory(name="张院士", category="academician")
    zhao = ScientistFactory(name="赵退休", category="renowned")
    for target in (heping, medical, closed_society):
        plans.assignment_add(team=wang, by=None, organization=target, start_date=start)
    for target in (zhang, zhao):
        plans.assignment_add(team=wang, by=None, scientist=target, start_date=start)
    plans.assignment_end(
        assignment=wang.assignments.get(scientist=zhao),
        by=None,
        reason="retired",
        end_date=datetime.date(THIS, 6, 30),
    )
    closed_society.is_active = False
    closed_society.save()
    head = head or make_head("李部长", member.department, "libuzhang")
    li = make_team(year, head)
    tiexi = OrganizationFactory(kind=OrgKind.DISTRICT, name="铁西区科协")
    plans.assignment_add(team=li, by=None, organization=tiexi, start_date=start)
    return Cycle(
        year=year,
        wang=wang,
        li=li,
        heping=heping,
        medical=medical,
        zhang=zhang,
        closed_society=closed_society,
        tiexi=tiexi,
    )
