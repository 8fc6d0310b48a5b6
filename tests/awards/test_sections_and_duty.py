"""举荐与表彰 on the scientist's page, and the nominations in the duty report's page, PDF and workbooks.

The duty figures are those of tests/reports/duty/test_duty.py's hand-built 2025 with its nominations
(`nominations_of_the_year`): 张主席 filed 2 for the 2025 award (赵院士 获奖, 钱教授 报送) and 1 for 2024;
李干事 filed 1 (刘技师, 推荐)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.duty.pdf import duty_pdf_bytes
from reports.duty.services import duty_report, summary_rows
from reports.duty.xlsx import duty_workbook_bytes, summary_workbook_bytes
from tests.awards.factories import make_award, nominated
from tests.conftest import _client_for
from tests.factories import ScientistFactory, StaffFactory, UserFactory
from tests.liaison.plan.factories import make_team, make_year
from tests.reports.duty.test_duty import build_duty_data, nominations_of_the_year
from tests.reports.duty.test_duty_files import pdf_text, sheet_rows

pytestmark = pytest.mark.django_db


# --- the scientist's page ---------------------------------------------------------------------------------


@pytest.fixture
def zhao(leader, dept_staff, liaison_officer):
    """赵院士: nominated by 王领导专班 (陈干部 a member) to 青年科技奖 2026, 获奖; and by 张主任专班 to
    优秀科技工作者 2026, still 推荐."""
    year = make_year(2026)
    person = ScientistFactory(name="赵院士")
    team_a = make_team(year, leader, members=[dept_staff])
    team_b = make_team(
        year,
        StaffFactory(user=UserFactory(username="zz"), name="张主任", department=None, position="leadership"),
    )
    office = liaison_officer.user
    nominated(
        make_award(name="青年科技奖"),
        team=team_a,
        by=leader.user,
        scientist=person,
        steps=["passed", "submitted", "awarded"],
        office=office,
    )
    nominated(make_award(name="优秀科技工作者"), team=team_b, by=team_b.lead.user, scientist=person)
    return person


def section(client, person) -> str:
    response = client.get(reverse("experts:detail", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('data-testid="scientist-awards"')
    return html[start : html.index("</section>", start)]


def test_the_office_sees_every_nomination_of_the_scientist(zhao, liaison_client):
    text = section(liaison_client, zhao)
    assert "举荐与表彰" in text
    assert "2026 年度青年科技奖" in text
    assert "获奖" in text
    assert "2026 年度优秀科技工作者" in text
    assert "张主任专班" in text


def test_staff_see_their_teams_nominations_and_every_award_won(zhao, staff_client, other_department):
    text = section(staff_client, zhao)
    assert "2026 年度青年科技奖" in text
    assert "优秀科技工作者" not in text  # another team's, in progress
    loner = StaffFactory(user=UserFactory(username="wu"), name="吴干事", department=other_department)
    text = section(_client_for(loner.user), zhao)
    assert "2026 年度青年科技奖" in text  # an award won is a public honour
    assert 'href="/awards/nominations/' not in text  # but its nomination's page is not theirs
    assert "优秀科技工作者" not in text


def test_a_scientist_never_nominated_has_an_empty_section(liaison_client):
    assert "没有推荐或获奖记录" in section(liaison_client, ScientistFactory())


# --- the duty report --------------------------------------------------------------------------------------


@pytest.fixture
def duty():
    data = build_duty_data()
    nominations_of_the_year(data)
    return data


def test_duty_page_shows_the_persons_nominations(duty):
    client = _client_for(duty.zhang.user)
    response = client.get(reverse("reports:duty_report", args=[2025, duty.zhang.pk]))
    html = response.content.decode()
    assert "本年度奖项中推荐科技工作者 <strong>2</strong> 人次，其中获奖 <strong>1</strong> 人次" in html
    assert "举荐科技工作者 2 人次，获奖 1 人次" in html


def test_duty_pdf_and_workbooks_carry_the_nominations(duty):
    report = duty_report(duty.zhang, duty.year)
    assert "举荐科技工作者2人次，获奖1人次" in pdf_text(duty_pdf_bytes(report))
    overview = dict(sheet_rows(duty_workbook_bytes(report), "述职概况")[1:])
    assert (overview["举荐科技工作者（人次）"], overview["举荐获奖（人次）"]) == (2, 1)
    rows = sheet_rows(summary_workbook_bytes(summary_rows(duty.year), duty.year), "2025年度述职汇总")
    by_name = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert (by_name["张主席"]["举荐（人次）"], by_name["张主席"]["举荐获奖（人次）"]) == (2, 1)
    assert (by_name["李干事"]["举荐（人次）"], by_name["李干事"]["举荐获奖（人次）"]) == (1, 0)
    assert by_name["陈部长"]["举荐（人次）"] == 0
    assert load_workbook(io.BytesIO(summary_workbook_bytes(summary_rows(duty.year), duty.year)))
