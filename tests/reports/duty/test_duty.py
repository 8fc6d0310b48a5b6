"""Duty reports (述职): the report data and the evaluation summary on a hand-built year whose answers are
worked out below by hand, not by the code under test.

Year 2025, rules cut down: 领导专班 区县(市)科协 1–2, 知名专家/高层次人才 ≥ 1, 下基层 ≥ 3;
部室专班 市级学会 ≥ 1, 基层一线科技工作者 ≥ 1, 下基层 ≥ 1.

张主席专班 (lead 张主席, member 李干事): 和平区科协, 沈河区科协, 赵院士, 钱教授, 孙研究员 in force; 周退休
ended on 30 June.
陈部长专班 (lead 陈部长, member 李干事): 市机械工程学会, 刘技师.

Records (r = what counts for 张主席):
  r1  1-28 张主席专班 greeting 春节, by 张主席: 赵院士, 钱教授, 周退休                         r (Jan, 看望慰问)
  r2  5-30 张主席专班 greeting 科技工作者日, by 李干事 with 张主席: 赵院士                      r (May, 看望慰问)
  r3  3-10 张主席专班 survey 下基层, by 张主席: 和平区科协; demands 待办 + 已办结              r (Mar, 调查了解, 下基层)
  r4  3-20 张主席专班 survey 下基层, by 李干事 alone: 沈河区科协
  r5  7-15 张主席专班 symposium, by 张主席: 赵院士, 钱教授, 孙研究员; highlighted            r (Jul, 开展座谈)
  r6  8-01 draft by 张主席; r7 8-05 deleted 下基层 by 张主席; r8 1-29 春节 greeting of 孙研究员, deleted
  r9  9-09 陈部长专班 event, by 陈部长 with 张主席: 刘技师; demand 办理中                      r (Sep, 参与活动)
  r10 4-02 陈部长专班 survey 下基层, by 陈部长: 市机械工程学会
  r11 2024-11-01 张主席's 2024 team, 下基层: last year, never counts

So 张主席: 5 records (看望慰问 2, 调查了解 1, 开展座谈 1, 参与活动 1), 1 grassroots visit of his own;
demands 3 (待办 1, 办理中 1, 已办结 1); one highlight (r5); his team: 下基层 2 of 3 → 未达标
("下基层 2 次，少 1 次"), every target contacted; greetings of 3 scientists in force: 春节 2 (赵, 钱; 孙's
was deleted; 周 ended), 科技工作者日 1 (赵).
李干事: 2 records (r2, r4), 1 grassroots, 1 open demand (on r4); member of both teams: 4 scientists, 春节 2, 科技工作者日 1.
陈部长: 2 records (r9, r10), 1 grassroots, 1 open demand; his team compliant (下基层 1 of 1).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from experts.models import Scientist
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
from reports.duty.services import Greeting, duty_report, summary_rows
from tests.factories import (
    DepartmentFactory,
    OrganizationFactory,
    ScientistFactory,
    StaffFactory,
    UserFactory,
)
from tests.liaison.plan.factories import make_team

pytestmark = pytest.mark.django_db

D = datetime.date
ZHANG_SENTENCE = (
    "全年参加联系记录 5 条，其中下基层 1 次；记录科技工作者诉求 3 件，已办结 1 件，未办结 2 件；"
    "举荐科技工作者 0 人次，获奖 0 人次；述职重点 1 条。"
)
HIGHLIGHT_SUMMARY = "召开院士专家座谈会，听取对科技创新的意见"


@dataclass
class DutyData:
    year: Year
    zhang: Staff
    chen: Staff
    li: Staff
    team_a: Team
    team_b: Team
    records: dict[str, ContactRecord]


def set_rules(year: Year) -> None:
    QuotaRule.objects.filter(year=year).delete()
    VisitQuota.objects.filter(year=year).delete()
    for kind, category, low, high in [
        (TeamKind.LEADER, "district", 1, 2),
        (TeamKind.LEADER, "expert", 1, None),
        (TeamKind.DEPARTMENT, "society", 1, None),
        (TeamKind.DEPARTMENT, "frontline", 1, None),
    ]:
        QuotaRule.objects.create(year=year, team_kind=kind, category=category, minimum=low, maximum=high)
    VisitQuota.objects.create(year=year, team_kind=TeamKind.LEADER, minimum=3)
    VisitQuota.objects.create(year=year, team_kind=TeamKind.DEPARTMENT, minimum=1)


def rec(
    team: Team,
    day: datetime.date,
    author: Staff,
    targets,
    *,
    method: str = "survey",
    channel: str = "visit",
    grassroots: bool = True,
    occasion: str = "",
    also=(),
    draft: bool = False,
    highlighted: bool = False,
    summary: str = "走访了解科研进展",
) -> ContactRecord:
    return contacts.record_save(
        record=ContactRecord(
            team=team,
            date=day,
            method=method,
            channel=channel,
            occasion=occasion,
            grassroots=grassroots,
            summary=summary,
            author=author,
            highlighted=highlighted,
        ),
        targets=list(targets),
        participants=[author, *also],
        draft=draft,
    )


def demand(record: ContactRecord, by: Staff, text: str, status: str = "pending") -> Demand:
    d = contacts.demand_create(demand=Demand(record=record, kind="difficulty", text=text), by=by.user)
    if status == "in_progress":
        contacts.demand_act(demand=d, kind=DemandActionKind.PROGRESS, by=by.user)
    elif status == "done":
        contacts.demand_act(demand=d, kind=DemandActionKind.REPLY, text="已办理", status="done", by=by.user)
    return d


def build_duty_data() -> DutyData:
    year = plans.year_create(year=2025)
    set_rules(year)
    office = DepartmentFactory(name="学会学术部")
    zhang = StaffFactory(
        user=UserFactory(username="zhangzhuxi"),
        name="张主席",
        department=None,
        position=Position.LEADERSHIP,
        title="副主席",
        order=1,
    )
    chen = StaffFactory(
        user=UserFactory(username="chenbuzhang"),
        name="陈部长",
        department=office,
        position=Position.DEPARTMENT_HEAD,
        title="部长",
        order=2,
    )
    li = StaffFactory(user=UserFactory(username="liganshi"), name="李干事", department=office, order=3)
    team_a = make_team(year, zhang, members=[li])
    team_b = make_team(year, chen, members=[li])

    heping = OrganizationFactory(kind=OrgKind.DISTRICT, name="和平区科协")
    shenhe = OrganizationFactory(kind=OrgKind.DISTRICT, name="沈河区科协")
    zhao, qian, sun, zhou = (ScientistFactory(name=n) for n in ("赵院士", "钱教授", "孙研究员", "周退休"))
    start = D(2025, 1, 1)
    for org in (heping, shenhe):
        plans.assignment_add(team=team_a, by=None, organization=org, start_date=start)
    for person in (zhao, qian, sun, zhou):
        plans.assignment_add(team=team_a, by=None, scientist=person, start_date=start)
    plans.assignment_end(
        assignment=team_a.assignments.get(scientist=zhou), by=None, reason="retired", end_date=D(2025, 6, 30)
    )
    society = OrganizationFactory(kind=OrgKind.SOCIETY, name="市机械工程学会")
    liu = ScientistFactory(name="刘技师", category="frontline")
    plans.assignment_add(team=team_b, by=None, organization=society, start_date=start)
    plans.assignment_add(team=team_b, by=None, scientist=liu, start_date=start)

    greeting = {"method": "greeting", "channel": "visit", "grassroots": False}
    r = {
        "r1": rec(team_a, D(2025, 1, 28), zhang, [zhao, qian, zhou], occasion="spring_festival", **greeting),
        "r2": rec(team_a, D(2025, 5, 30), li, [zhao], occasion="workers_day", also=[zhang], **greeting),
        "r3": rec(team_a, D(2025, 3, 10), zhang, [heping]),
        "r4": rec(team_a, D(2025, 3, 20), li, [shenhe]),
        "r5": rec(
            team_a,
            D(2025, 7, 15),
            zhang,
            [zhao, qian, sun],
            method="symposium",
            channel="meeting",
            grassroots=False,
            highlighted=True,
            summary=HIGHLIGHT_SUMMARY,
        ),
        "r6": rec(team_a, D(2025, 8, 1), zhang, [sun], draft=True),
        "r7": rec(team_a, D(2025, 8, 5), zhang, [heping]),
        "r8": rec(team_a, D(2025, 1, 29), li, [sun], occasion="spring_festival", **greeting),
        "r9": rec(
            team_b,
            D(2025, 9, 9),
            chen,
            [liu],
            method="event",
            channel="meeting",
            grassroots=False,
            also=[zhang],
        ),
        "r10": rec(team_b, D(2025, 4, 2), chen, [society]),
    }
    contacts.record_delete(record=r["r7"], reason="重复登记", by=zhang.user)
    contacts.record_delete(record=r["r8"], reason="误录", by=li.user)
    demand(r["r3"], zhang, "实验室用房紧张")
    demand(r["r3"], zhang, "希望参加学术年会", status="done")
    demand(r["r9"], chen, "申报项目需要指导", status="in_progress")
    demand(r["r4"], li, "李干事记录的诉求")  # on 李干事's record, not 张主席's

    last_year = Year.objects.get(year=2024) if Year.objects.filter(year=2024).exists() else None
    last_year = last_year or plans.year_create(year=2024)
    old_team = make_team(last_year, zhang)
    plans.assignment_add(team=old_team, by=None, organization=heping, start_date=D(2024, 1, 1))
    r["r11"] = rec(old_team, D(2024, 11, 1), zhang, [heping])
    return DutyData(year=year, zhang=zhang, chen=chen, li=li, team_a=team_a, team_b=team_b, records=r)


@pytest.fixture
def data() -> DutyData:
    return build_duty_data()


def grow(data: DutyData, n: int = 4) -> None:
    """More of everything: teams with 张主席 and 李干事 as members, records (some highlighted, with demands)
    and people. The report and the summary must not run more queries for it."""
    for i in range(n):
        lead = StaffFactory(
            user=UserFactory(username=f"extra{i}"),
            name=f"新领导{i}",
            department=None,
            position=Position.LEADERSHIP,
        )
        team = make_team(data.year, lead, members=[data.zhang, data.li])
        org = OrganizationFactory(kind=OrgKind.DISTRICT)
        person = ScientistFactory()
        plans.assignment_add(team=team, by=None, organization=org, start_date=D(2025, 1, 1))
        plans.assignment_add(team=team, by=None, scientist=person, start_date=D(2025, 1, 1))
        record = rec(team, D(2025, 2 + i, 3), data.zhang, [org, person], highlighted=True, also=[lead])
        demand(record, lead, f"诉求{i}")
        rec(
            team,
            D(2025, 2 + i, 4),
            lead,
            [person],
            occasion="spring_festival",
            method="greeting",
            channel="phone",
        )
        StaffFactory(name=f"新干部{i}", department=data.chen.department)


# --- one person's report --------------------------------------------------------------------------------


def test_report_counts_the_persons_completed_records_of_the_year(data):
    report = duty_report(data.zhang, data.year)
    assert report.records == 5
    by_method = {row.label: row.months for row in report.methods}
    assert by_method["看望慰问"] == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert by_method["调查了解"] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert by_method["开展座谈"] == [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert by_method["参与活动"] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert by_method["广泛交友"] == [0] * 12
    assert report.month_totals == [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0]
    assert report.grassroots == 1


def test_report_teams_come_from_the_review(data):
    report = duty_report(data.zhang, data.year)
    assert [(t.team.name, t.role) for t in report.teams] == [("张主席专班", "lead")]
    team = report.teams[0].review.data
    assert team["categories"] == {
        "district": {"assigned": 2, "contacted": 2, "min": 1, "max": 2, "interval_days": None},
        "expert": {"assigned": 3, "contacted": 3, "min": 1, "max": None, "interval_days": None},
    }
    assert team["grassroots_visits"] == {"count": 2, "min": 3}
    assert team["compliant"] is False
    assert team["shortfalls"] == ["下基层 2 次，少 1 次"]


def test_member_of_two_teams_sees_both(data):
    report = duty_report(data.li, data.year)
    assert [(t.team.name, t.role) for t in report.teams] == [
        ("张主席专班", "member"),
        ("陈部长专班", "member"),
    ]
    assert report.led == []
    assert report.records == 2
    assert report.grassroots == 1


def test_greeting_coverage_counts_completed_greetings_of_scientists_in_force(data):
    report = duty_report(data.zhang, data.year)
    greeting = report.teams[0].greeting
    assert (greeting.scientists, greeting.spring_festival, greeting.workers_day) == (3, 2, 1)
    assert greeting.spring_text == "2 / 3（67%）"
    assert greeting.workers_text == "1 / 3（33%）"
    li = duty_report(data.li, data.year).greeting
    assert (li.scientists, li.spring_festival, li.workers_day) == (4, 2, 1)


def test_demands_on_the_persons_records_by_status(data):
    demands = duty_report(data.zhang, data.year).demands
    assert demands.by_status == {"pending": 1, "in_progress": 1, "done": 1}
    assert (demands.raised, demands.done, demands.open) == (3, 1, 2)
    li = duty_report(data.li, data.year).demands
    assert (li.raised, li.done, li.open) == (1, 0, 1)  # on r4, his own record


def test_highlighted_records_are_the_persons_marked_ones(data):
    report = duty_report(data.zhang, data.year)
    assert [r.summary for r in report.highlighted] == [HIGHLIGHT_SUMMARY]
    assert [t.target_name for t in report.highlighted[0].targets.all()] == ["赵院士", "钱教授", "孙研究员"]
    assert report.summary_sentence == ZHANG_SENTENCE


def nominations_of_the_year(data: DutyData) -> None:
    """举荐 (issue 20 §2): 张主席 files 赵院士 and 钱教授 for a 2025 award (赵 awarded, 钱 only submitted) and
    孙研究员 for a 2024 award (another year: not counted); 李干事 files 刘技师 for 陈部长专班 (still 推荐)."""
    from awards import services as awarding
    from awards.models import Award

    today = timezone.localdate()
    award = awarding.award_save(
        Award(name="青年科技奖", body="市委组织部", year=2025, quota=5, deadline=today)
    )
    old = awarding.award_save(Award(name="青年科技奖", body="市委组织部", year=2024, quota=5, deadline=today))
    zhao, qian, sun, liu = (Scientist.objects.get(name=n) for n in ("赵院士", "钱教授", "孙研究员", "刘技师"))
    office = data.chen.user
    for person, steps in ((zhao, ["passed", "submitted", "awarded"]), (qian, ["passed", "submitted"])):
        n = awarding.nominate(
            award=award, scientist=person, team=data.team_a, by=data.zhang.user, reason="成果突出"
        )
        for state in steps:
            n = awarding.move(nomination=n, to_state=state, by=office)
    old_team = Team.objects.get(year__year=2024, lead=data.zhang)
    awarding.nominate(award=old, scientist=sun, team=old_team, by=data.zhang.user, reason="往年推荐")
    awarding.nominate(award=award, scientist=liu, team=data.team_b, by=data.li.user, reason="一线骨干")


def test_report_counts_the_nominations_the_person_filed_for_the_years_awards(data):
    nominations_of_the_year(data)
    zhang = duty_report(data.zhang, data.year)
    assert (zhang.nominations, zhang.nominations_awarded) == (2, 1)
    assert "举荐科技工作者 2 人次，获奖 1 人次" in zhang.summary_sentence
    li = duty_report(data.li, data.year)
    assert (li.nominations, li.nominations_awarded) == (1, 0)
    chen = duty_report(data.chen, data.year)
    assert (chen.nominations, chen.nominations_awarded) == (0, 0)
    last = duty_report(data.zhang, Year.objects.get(year=2024))
    assert (last.nominations, last.nominations_awarded) == (1, 0)
    rows = {row.staff.name: row for row in summary_rows(data.year)}
    assert (rows["张主席"].nominations, rows["张主席"].nominations_awarded) == (2, 1)
    assert (rows["李干事"].nominations, rows["陈部长"].nominations) == (1, 0)


def test_last_years_work_is_not_this_years(data):
    last = duty_report(data.zhang, Year.objects.get(year=2024))
    assert last.records == 1
    assert [t.team.year.year for t in last.teams] == [2024]


def test_a_person_without_teams_or_records_has_an_empty_report(data, dept_staff):
    report = duty_report(dept_staff, data.year)
    assert report.teams == []
    assert report.records == 0
    assert report.demands.raised == 0
    assert report.greeting.spring_text == "0 / 0（—）"


def test_report_runs_a_fixed_number_of_queries(data, django_assert_num_queries):
    with CaptureQueriesContext(connection) as few:
        duty_report(data.zhang, data.year)
    grow(data)
    with django_assert_num_queries(len(few.captured_queries)):
        report = duty_report(data.zhang, data.year)
    assert len(report.teams) == 5
    assert len(report.highlighted) == 5


# --- the evaluation summary -----------------------------------------------------------------------------


def test_summary_has_one_row_per_person_with_the_key_figures(data):
    rows = {row.staff.name: row for row in summary_rows(data.year)}
    assert set(rows) == {"张主席", "陈部长", "李干事"}
    zhang, chen, li = rows["张主席"], rows["陈部长"], rows["李干事"]
    assert (zhang.records, zhang.grassroots, zhang.highlighted) == (5, 1, 1)
    assert (zhang.demands_raised, zhang.demands_done, zhang.demands_open) == (3, 1, 2)
    assert zhang.led.team == data.team_a
    assert (zhang.visits_text, zhang.compliance_text) == ("2 / 3", "未达标")
    assert zhang.shortfalls == ["下基层 2 次，少 1 次"]
    assert zhang.greeting == Greeting(scientists=3, spring_festival=2, workers_day=1)
    assert (chen.records, chen.grassroots, chen.demands_open, chen.compliance_text) == (2, 1, 1, "达标")
    assert (li.records, li.grassroots, li.led, li.compliance_text) == (2, 1, None, "")
    assert (li.demands_raised, li.demands_open) == (1, 1)
    assert [t.name for t in li.member_of] == ["张主席专班", "陈部长专班"]
    assert li.greeting == Greeting(scientists=4, spring_festival=2, workers_day=1)


def test_summary_agrees_with_each_persons_report(data):
    for row in summary_rows(data.year):
        report = duty_report(row.staff, data.year)
        assert (row.records, row.grassroots, row.highlighted) == (
            report.records,
            report.grassroots,
            len(report.highlighted),
        )
        assert (row.demands_raised, row.demands_done, row.demands_open) == (
            report.demands.raised,
            report.demands.done,
            report.demands.open,
        )
        assert row.greeting == report.greeting


def test_summary_lists_leadership_first_then_departments(data):
    assert [row.staff.name for row in summary_rows(data.year)] == ["张主席", "陈部长", "李干事"]


def test_summary_keeps_a_person_who_left_but_had_a_team(data):
    Staff.objects.filter(pk=data.chen.pk).update(is_active=False)
    StaffFactory(name="早已离职", department=data.chen.department, is_active=False)
    names = [row.staff.name for row in summary_rows(data.year)]
    assert "陈部长" in names
    assert "早已离职" not in names


def test_summary_runs_a_fixed_number_of_queries(data, django_assert_num_queries):
    with CaptureQueriesContext(connection) as few:
        summary_rows(data.year)
    grow(data)
    with django_assert_num_queries(len(few.captured_queries)):
        rows = summary_rows(data.year)
    assert len(rows) == 3 + 4 + 4
