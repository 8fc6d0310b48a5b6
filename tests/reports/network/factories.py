"""A hand-built network for 2025 (a past year) whose answers are worked out by hand in the tests.

Scientists (pinyin order: 陈六 chen, 李四 li, 王五 wang, 张三 zhang, 周七 zhou):
- 张三: leader team 王主席专班 (点), department team 科普部长专班 (线), and 孙主席 (主席) of 机械工程学会 through a
  filing filed and confirmed (面): three links, 点线面.
- 李四: named only in 物理学会's draft, never filed: unlinked.
- 王五: 化工学会 filed revision 1 (赵秘书, 秘书长 → 王五), then filed revision 2 adding 钱副主席 → 王五, which
  was sent back: revision 1 is in force, so one link, 面 (赵秘书 only).
- 陈六: assigned to the leader team, the assignment ended on 30 June 2025: not in force at the year's end,
  unlinked.
- 周七: inactive; assigned to the department team and filed by 城关镇科协: absent from everything.

Organisations of the filing kinds and their 2025 states: 机械工程学会 已确认, 城关镇科协 已报备, 物理学会 草稿,
化工学会 退回待改 (revision 1 in force), 梅山县科协 and 东村科协 未报备. Reminded (nothing in force): 梅山县科协
(contact email), 物理学会 (a grassroots account's email), 东村科协 (no address).
Blank spots under 梅山县: township 城关镇 (filed, not contacted), village 东村 (not filed, contacted by the
leader team on 2025-05-10).
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from liaison.contacts import services as contacts
from liaison.filing import services as filings
from liaison.models import ContactRecord, GrassrootsAccount, Position
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.factories import (
    DepartmentFactory,
    OfficerFactory,
    OrganizationFactory,
    ScientistFactory,
    StaffFactory,
    UserFactory,
)
from tests.liaison.plan.factories import make_leader, make_team, make_year


def build_case(office_user=None) -> SimpleNamespace:
    year = make_year(2025)
    leader_team = make_team(year, make_leader("王主席", "wangzhuxi"))
    head = StaffFactory(
        user=UserFactory(username="kepu"),
        name="科普部长",
        department=DepartmentFactory(name="科普部"),
        position=Position.DEPARTMENT_HEAD,
    )
    dept_team = make_team(year, head)

    zhang = ScientistFactory(name="张三", employer="辽川大学")
    li = ScientistFactory(name="李四", employer="辽川医院")
    wang = ScientistFactory(name="王五", employer="辽川化工厂")
    chen = ScientistFactory(name="陈六", employer="辽川农科院")
    zhou = ScientistFactory(name="周七", employer="城关镇中学", is_active=False)

    start = datetime.date(2025, 1, 1)
    plans.assignment_add(team=leader_team, by=None, scientist=zhang, start_date=start)
    plans.assignment_add(team=dept_team, by=None, scientist=zhang, start_date=start)
    ended = plans.assignment_add(team=leader_team, by=None, scientist=chen, start_date=start)
    plans.assignment_end(assignment=ended, by=None, reason="adjusted", end_date=datetime.date(2025, 6, 30))
    plans.assignment_add(team=dept_team, by=None, scientist=zhou, start_date=start)

    county = OrganizationFactory(
        name="梅山县科协", kind=OrgKind.DISTRICT, contact_email="meishan@example.org"
    )
    township = OrganizationFactory(name="城关镇科协", kind=OrgKind.TOWNSHIP, parent=county)
    village = OrganizationFactory(
        name="东村科协", kind=OrgKind.VILLAGE, parent=township, contact_person="东主任"
    )
    mechanical = OrganizationFactory(name="机械工程学会", kind=OrgKind.SOCIETY)
    physics = OrganizationFactory(name="物理学会", kind=OrgKind.SOCIETY, contact_phone="13812345678")
    chemical = OrganizationFactory(name="化工学会", kind=OrgKind.SOCIETY)
    GrassrootsAccount.objects.create(
        user=UserFactory(username="wuli", email="wuli@example.org"), organization=physics
    )

    sun = OfficerFactory(organization=mechanical, name="孙主席", post="chair")
    filed = filings.file_lines(mechanical, year, [filings.Line(sun, zhang)], office_user)
    filings.confirm_revision(filed, office_user)

    town_chair = OfficerFactory(organization=township, name="镇主席", post="chair")
    filings.file_lines(township, year, [filings.Line(town_chair, zhou)], office_user)

    physics_chair = OfficerFactory(organization=physics, name="物主席", post="chair")
    draft = filings.open_draft(filings.filing_for(physics, year, None), None)
    filings.add_line(draft, filings.Line(physics_chair, li))

    zhao = OfficerFactory(organization=chemical, name="赵秘书", post="secretary_general")
    qian = OfficerFactory(organization=chemical, name="钱副主席", post="parttime_vice_chair")
    filings.file_lines(chemical, year, [filings.Line(zhao, wang)], office_user)
    second = filings.file_lines(chemical, year, [filings.Line(qian, wang)], office_user)
    filings.send_back(second, office_user, "钱副主席已卸任")

    contacts.record_save(
        record=ContactRecord(
            team=leader_team,
            date=datetime.date(2025, 5, 10),
            method="survey",
            channel="visit",
            summary="走访东村科协",
            author=leader_team.lead,
            grassroots=True,
        ),
        targets=[village],
        participants=[leader_team.lead],
    )
    return SimpleNamespace(
        year=year,
        leader_team=leader_team,
        dept_team=dept_team,
        zhang=zhang,
        li=li,
        wang=wang,
        chen=chen,
        zhou=zhou,
        county=county,
        township=township,
        village=village,
        mechanical=mechanical,
        physics=physics,
        chemical=chemical,
    )
