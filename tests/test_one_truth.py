"""One meaning of 达标 (docs/workbook.md: every page and file that says a team is 达标 means the review's
`compliant`): a year with a team that fails for each reason, and every place that says 达标 agrees with the
answers worked out by hand below.

Year 2025. Rules: 领导专班 区县(市)科协 1–2, 知名专家/高层次人才 ≥ 1, 下基层 ≥ 2; 部室专班 市级学会 ≥ 1,
基层一线科技工作者 ≥ 1 with a contact every 90 days, 下基层 ≥ 1.

- 甲专班 (leader): one district and one expert, both contacted on two grassroots visits → 达标
- 乙专班 (leader): one district, no expert → 知名专家/高层次人才 少 1 名
- 丙专班 (leader): three districts and an expert → 区县(市)科协 超出上限 1 个
- 丁专班 (leader): a district contacted, an expert never → 1 个联系对象全年未联系
- 戊专班 (leader): both contacted, but one of the two records is not a grassroots visit → 下基层 1 次，少 1 次
- 己部长专班 (department): a society and a frontline scientist, both contacted once on 1 February only:
  1 February → 31 December is 333 days → 1 个联系对象超过联系间隔未联系
"""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from liaison.models import Position, QuotaRule, Staff, TeamKind, VisitQuota
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.factories import DepartmentFactory, OrganizationFactory, ScientistFactory, StaffFactory
from tests.liaison.plan.factories import make_leader, make_team
from tests.reports.duty.test_duty_files import pdf_text, sheet_rows
from tests.reports.review.factories import record

pytestmark = pytest.mark.django_db

D = datetime.date
EXPECTED = {
    "甲专班": [],
    "乙专班": ["知名专家/高层次人才 少 1 名"],
    "丙专班": ["区县(市)科协 超出上限 1 个"],
    "丁专班": ["1 个联系对象全年未联系"],
    "戊专班": ["下基层 1 次，少 1 次"],
    "己部长专班": ["1 个联系对象超过联系间隔未联系"],
}
COMPLIANT = {name: not shortfalls for name, shortfalls in EXPECTED.items()}


@pytest.fixture
def year():
    year = plans.year_create(year=2025)
    QuotaRule.objects.filter(year=year).delete()
    VisitQuota.objects.filter(year=year).delete()
    for kind, category, low, high, interval in [
        (TeamKind.LEADER, "district", 1, 2, None),
        (TeamKind.LEADER, "expert", 1, None, None),
        (TeamKind.DEPARTMENT, "society", 1, None, None),
        (TeamKind.DEPARTMENT, "frontline", 1, None, 90),
    ]:
        QuotaRule.objects.create(
            year=year,
            team_kind=kind,
            category=category,
            minimum=low,
            maximum=high,
            contact_interval_days=interval,
        )
    VisitQuota.objects.create(year=year, team_kind=TeamKind.LEADER, minimum=2)
    VisitQuota.objects.create(year=year, team_kind=TeamKind.DEPARTMENT, minimum=1)

    def team(lead, districts=0, experts=0):
        t = make_team(year, lead)
        targets = [OrganizationFactory(kind=OrgKind.DISTRICT) for _ in range(districts)]
        targets += [ScientistFactory() for _ in range(experts)]
        for target in targets:
            field = "scientist" if target._meta.model_name == "scientist" else "organization"
            plans.assignment_add(team=t, by=None, **{field: target})
        return t, targets

    jia, (d, e) = team(make_leader("甲", "jia"), 1, 1)
    record(jia, D(2025, 3, 1), jia.lead, [d, e])
    record(jia, D(2025, 6, 1), jia.lead, [e])
    yi, (d,) = team(make_leader("乙", "yi"), 1, 0)
    plans.team_save(
        team=yi, members=[StaffFactory(name="庚干事")]
    )  # a member's duty report names the team too
    record(yi, D(2025, 3, 1), yi.lead, [d])
    record(yi, D(2025, 6, 1), yi.lead, [d])
    bing, targets = team(make_leader("丙", "bing"), 3, 1)
    record(bing, D(2025, 3, 1), bing.lead, targets)
    record(bing, D(2025, 6, 1), bing.lead, targets[-1:])
    ding, (d, e) = team(make_leader("丁", "ding"), 1, 1)
    record(ding, D(2025, 3, 1), ding.lead, [d])
    record(ding, D(2025, 6, 1), ding.lead, [d])
    wu, (d, e) = team(make_leader("戊", "wu"), 1, 1)
    record(wu, D(2025, 3, 1), wu.lead, [d, e])
    record(wu, D(2025, 6, 1), wu.lead, [e], grassroots=False)
    head = StaffFactory(
        name="己部长", department=DepartmentFactory(name="学会部"), position=Position.DEPARTMENT_HEAD
    )
    head.user.username = "jibuzhang"
    head.user.save()
    ji = make_team(year, head)
    society = OrganizationFactory(kind=OrgKind.SOCIETY)
    worker = ScientistFactory(category="frontline")
    plans.assignment_add(team=ji, by=None, organization=society)
    plans.assignment_add(team=ji, by=None, scientist=worker)
    record(ji, D(2025, 2, 1), head, [society, worker])
    return year


def test_the_review_json_says_it_first(year):
    out = io.StringIO()
    call_command("review", "2025", "--json", stdout=out)
    teams = {t["team"]: t for t in json.loads(out.getvalue())["teams"]}
    assert {name: t["shortfalls"] for name, t in teams.items()} == EXPECTED
    assert {name: t["compliant"] for name, t in teams.items()} == COMPLIANT


def test_every_page_says_the_same(year, leader_client):
    # dashboard cards: 领导专班 1 / 5, 部室专班 0 / 1
    board = leader_client.get(reverse("reports:dashboard"), {"year": 2025}).context["board"]
    assert (board.leader_compliance, board.department_compliance) == ((1, 5), (0, 1))
    # the team list, its badges and its filter
    url = reverse("liaison:year_detail", args=[2025])
    rows = leader_client.get(url).context["rows"]
    assert {team.name: figures.compliant for team, figures, _ in rows} == COMPLIANT
    assert {team.name: list(figures.shortfalls) for team, figures, _ in rows} == EXPECTED
    ok = [team.name for team, _, _ in leader_client.get(url, {"status": "ok"}).context["rows"]]
    short = [team.name for team, _, _ in leader_client.get(url, {"status": "short"}).context["rows"]]
    assert ok == ["甲专班"]
    assert sorted(short) == sorted(name for name, good in COMPLIANT.items() if not good)
    page = leader_client.get(url).content.decode()
    assert "达标 1 / 6 个专班" in page
    # each team's page
    for team, _, _ in rows:
        response = leader_client.get(team.get_absolute_url())
        assert response.context["figures"].compliant is COMPLIANT[team.name], team.name
        text = response.content.decode()
        for sentence in EXPECTED[team.name]:
            assert sentence in text, team.name
    # the review page
    review = leader_client.get(reverse("reports:review", args=[2025])).context["page"].object_list
    assert {r.team.name: r.data["compliant"] for r in review} == COMPLIANT


def test_every_figure_opens_the_list_of_what_it_counts(year, leader_client):
    """Issue 18: each figure of the dashboard (and of the teams list and a team's page) opens a list whose rows
    are exactly what the figure counts: 丁专班's expert never contacted, 己部长专班's frontline scientist
    past its 90 days, and the teams behind the 达标 / 未达标 cards."""
    response = leader_client.get(reverse("reports:dashboard"), {"year": 2025})
    board = response.context["board"]
    html = response.content.decode()
    # 达标 / 未达标 cards → the teams list filtered by the stored verdict
    url = reverse("liaison:year_detail", args=[2025])
    for kind, (compliant, teams) in (("leader", (1, 5)), ("department", (0, 1))):
        assert board.compliance(kind) == (compliant, teams)
        assert f'href="{url}?kind={kind}&amp;status=ok" data-testid="stat-{kind}"' in html
        ok = leader_client.get(url, {"kind": kind, "status": "ok"}).context["page"].paginator.count
        short = leader_client.get(url, {"kind": kind, "status": "short"}).context["page"].paginator.count
        assert (ok, short) == (compliant, teams - compliant) == (compliant, board.short(kind))
    ok_names = [team.name for team, _, _ in leader_client.get(url, {"status": "ok"}).context["rows"]]
    assert ok_names == [name for name, good in COMPLIANT.items() if good]
    # 已分配未联系 and 超过联系间隔: the dashboard, each team's page and the lists agree
    lists = {
        which: leader_client.get(reverse("liaison:outstanding_targets", args=[2025, which])).context["page"]
        for which in ("uncontacted", "overdue")
    }
    assert (board.uncontacted_total, board.overdue_total) == (1, 1)
    assert [a.team.name for a in lists["uncontacted"].object_list] == ["丁专班"]
    assert [a.team.name for a in lists["overdue"].object_list] == ["己部长专班"]
    assert lists["uncontacted"].object_list[0].scientist_id is not None  # 丁's expert
    assert lists["overdue"].object_list[0].category == "frontline"
    from liaison.models import Team

    for team in Team.objects.filter(year=year):
        page = leader_client.get(team.get_absolute_url())
        figures = page.context["figures"]
        for which, n in (("uncontacted", figures.uncontacted), ("overdue", figures.overdue)):
            listed = leader_client.get(
                reverse("liaison:outstanding_targets", args=[2025, which]), {"team": team.pk}
            )
            assert listed.context["page"].paginator.count == n, (team.name, which)


def test_every_duty_report_and_the_summary_workbook_say_the_same(year, leader_client):
    from liaison.models import Team

    for team in Team.objects.filter(year=year).select_related("lead"):
        name, lead = team.name, team.lead
        page = leader_client.get(reverse("reports:duty_report", args=[2025, lead.pk]))
        (part,) = page.context["report"].teams
        assert part.review.data["compliant"] is COMPLIANT[name]
        verdict = "达标" if COMPLIANT[name] else "未达标"
        pdf = leader_client.get(reverse("reports:duty_pdf", args=[2025, lead.pk]))
        text = pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
        assert f"{name}：{verdict}" in text
        for sentence in EXPECTED[name]:
            assert sentence.replace(" ", "") in text
        xlsx = leader_client.get(reverse("reports:duty_xlsx", args=[2025, lead.pk]))
        teams = sheet_rows(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content, "所在专班")
        header = list(teams[0])
        (row,) = [r for r in teams[1:] if r[0] == name]
        assert row[header.index("是否达标")] == verdict
        assert (row[header.index("未达标事项")] or "") == "；".join(EXPECTED[name])
    # a member (not the lead) of a team that is short reads 未达标 in their own workbook
    member = Staff.objects.get(name="庚干事")
    xlsx = leader_client.get(reverse("reports:duty_xlsx", args=[2025, member.pk]))
    teams = sheet_rows(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content, "所在专班")
    header = list(teams[0])
    (row,) = teams[1:]
    assert (row[0], row[header.index("是否达标")]) == ("乙专班", "未达标")
    summary = leader_client.get(reverse("reports:duty_summary_xlsx", args=[2025]))
    book = load_workbook(
        io.BytesIO(b"".join(summary.streaming_content) if summary.streaming else summary.content)
    )
    sheet = book.worksheets[0]
    header_row = next(i for i, r in enumerate(sheet.iter_rows(values_only=True), 1) if "专班是否达标" in r)
    header = [c.value for c in sheet[header_row]]
    verdicts = {}
    for r in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if r[header.index("专班是否达标")]:
            verdicts[r[header.index("姓名")]] = r[header.index("专班是否达标")]
    leads = {
        "甲": "甲专班",
        "乙": "乙专班",
        "丙": "丙专班",
        "丁": "丁专班",
        "戊": "戊专班",
        "己部长": "己部长专班",
    }
    assert verdicts == {person: "达标" if COMPLIANT[team] else "未达标" for person, team in leads.items()}
