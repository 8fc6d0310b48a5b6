"""A small world for the personal-data rule: a team of this year and one of last year, their targets."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils import timezone

from experts.models import Scientist
from liaison.models import Assignment, EndReason, Position, Staff, Team, Year
from orgs.models import Officer, Organization, OrgKind
from tests.factories import (
    DepartmentFactory,
    OfficerFactory,
    OrganizationFactory,
    ScientistFactory,
    StaffFactory,
    UserFactory,
)


@dataclass
class World:
    head: Staff  # leads this year's team
    member: Staff  # member of this year's team
    last_year_member: Staff  # member of last year's team only
    ours: Scientist  # target of this year's team
    last_years: Scientist  # target of last year's team only
    ended: Scientist  # target of this year's team, assignment ended today
    stranger: Scientist  # nobody's target
    our_org: Organization  # target of this year's team
    our_officer: Officer
    other_org: Organization
    other_officer: Officer


def assign(team: Team, *, scientist=None, organization=None, end_date=None) -> Assignment:
    return Assignment.objects.create(
        team=team,
        scientist=scientist,
        organization=organization,
        start_date=team.year.first_day,
        end_date=end_date,
        end_reason=EndReason.ADJUSTED if end_date else "",
    )


def make_world() -> World:
    today = timezone.localdate()
    this_year = Year.objects.get_or_create(year=today.year)[0]
    last_year = Year.objects.get_or_create(year=today.year - 1)[0]
    department = DepartmentFactory(name="学会部")
    head = StaffFactory(
        user=UserFactory(username="buzhang"),
        name="孙部长",
        department=department,
        position=Position.DEPARTMENT_HEAD,
    )
    member = StaffFactory(user=UserFactory(username="chengyuan"), name="周成员", department=department)
    last_year_member = StaffFactory(user=UserFactory(username="qunian"), name="吴去年", department=department)
    team = Team.objects.create(year=this_year, lead=head)
    team.members.set([member])
    old_team = Team.objects.create(year=last_year, lead=head)
    old_team.members.set([last_year_member])

    def scientist(name: str, mobile: str, email: str) -> Scientist:
        return ScientistFactory(name=name, mobile=mobile, email=email)

    world = World(
        head=head,
        member=member,
        last_year_member=last_year_member,
        ours=scientist("钱学者", "13811112222", "qian@example.org"),
        last_years=scientist("郑去年", "13833334444", "zheng@example.org"),
        ended=scientist("冯终止", "13855556666", "feng@example.org"),
        stranger=scientist("褚陌生", "13877778888", "chu@example.org"),
        our_org=OrganizationFactory(
            name="辽川物理学会", contact_person="何联系", contact_phone="024-23456789"
        ),
        our_officer=None,
        other_org=OrganizationFactory(name="辽川化学会", kind=OrgKind.SOCIETY, contact_phone="024-87654321"),
        other_officer=None,
    )
    world.our_officer = OfficerFactory(organization=world.our_org, name="施会长", phone="13911112222")
    world.other_officer = OfficerFactory(organization=world.other_org, name="孔会长", phone="13933334444")
    assign(team, scientist=world.ours)
    assign(team, scientist=world.ended, end_date=today)
    assign(team, organization=world.our_org)
    assign(old_team, scientist=world.last_years)
    return world


def admin_account(username: str, group: str):
    """An account without a Staff record in one of the three administrator groups (migration liaison 0015)."""
    user = UserFactory(username=username)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user
