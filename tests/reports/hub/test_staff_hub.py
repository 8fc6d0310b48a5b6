"""The hub on a staff member's page (issue 18 §1): their teams of this year and last, the records they took
part in (of those the viewer may open) and their duty report's figures, for those who may see the report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import count_queries
from tests.factories import StaffFactory
from tests.liaison.contacts.factories import log
from tests.liaison.filing.factories import client_for, make_account
from tests.reports.hub.factories import D, more_records

pytestmark = pytest.mark.django_db


def url(staff) -> str:
    return reverse("liaison:staff_detail", args=[staff.pk])


def section(html: str, testid: str) -> str:
    part = html[html.index(f'data-testid="{testid}"') :]
    return part[: part.index("</section>")]


def test_a_staff_members_teams_records_and_duty_report(liaison_client, case, dept_staff):
    html = liaison_client.get(url(dept_staff)).content.decode()
    teams = section(html, "hub")
    assert "王主席专班" in teams
    assert "成员" in teams
    # 陈干部 took part in one record (the 2026-06-01 greeting), no grassroots visit, no demand
    assert "全年参加联系记录 1 条，其中下基层 0 次" in teams
    assert f'href="{reverse("reports:duty_report", args=[2026, dept_staff.pk])}"' in teams
    timeline = section(html, "timeline")
    assert "节日慰问" in timeline
    assert "张院士" in timeline
    assert "走访了解科研进展" not in timeline  # 王主席's, without 陈干部


def test_a_leads_page_shows_the_team_they_lead_and_all_their_records(liaison_client, case):
    html = liaison_client.get(url(case.li)).content.decode()
    teams = section(html, "hub")
    assert "李主席专班" in teams
    assert "负责人" in teams
    timeline = section(html, "timeline")
    assert timeline.index("东村镇调研") < timeline.index("李主席专班走访") < timeline.index("座谈交流")
    assert "参加的联系记录（3 条）" in timeline


def test_staff_see_only_the_records_they_may_open_on_someone_elses_page(staff_client, case):
    log(case.team_a, case.li, [case.zhang], day=D(2026, 2, 2), summary="李主席参加王主席专班走访")
    html = staff_client.get(url(case.li)).content.decode()
    timeline = section(html, "timeline")
    assert "李主席参加王主席专班走访" in timeline
    assert "东村镇调研" not in timeline
    assert "李主席专班走访" not in timeline


def test_someone_elses_duty_report_is_not_shown_to_staff(staff_client, case):
    html = staff_client.get(url(case.wang)).content.decode()
    assert 'data-testid="duty-summary"' not in html
    assert reverse("reports:duty_report", args=[2026, case.wang.pk]) not in html
    assert staff_client.get(reverse("reports:duty_report", args=[2026, case.wang.pk])).status_code == 404


def test_ones_own_page_shows_ones_duty_report(staff_client, case, dept_staff):
    html = staff_client.get(url(dept_staff)).content.decode()
    assert "全年参加联系记录 1 条" in html


def test_the_staff_timeline_filters_by_method(liaison_client, case):
    html = liaison_client.get(url(case.li), {"method": "symposium"}).content.decode()
    timeline = section(html, "timeline")
    assert "座谈交流" in timeline
    assert "东村镇调研" not in timeline


def test_someone_without_teams(liaison_client, case):
    nobody = StaffFactory(name="新同志")
    html = liaison_client.get(url(nobody)).content.decode()
    assert "这两个年度没有参加专班。" in html
    assert "还没有您可查看的联系记录。" in html


def test_anonymous_is_sent_to_login(client, case, dept_staff):
    assert client.get(url(dept_staff)).status_code == 302


def test_an_account_without_a_role_sees_no_records(outsider_client, case):
    response = outsider_client.get(url(case.li))
    assert response.status_code == 200  # the staff registry is read by everyone logged in
    html = response.content.decode()
    assert "还没有您可查看的联系记录。" in html
    assert "东村镇调研" not in html
    assert 'data-testid="duty-summary"' not in html


@pytest.mark.parametrize("persona", ["liaison_client", "staff_client"])
def test_query_count_does_not_grow_with_the_history(request, case, persona):
    client = request.getfixturevalue(persona)
    more_records(case.team_a, case.wang, case.zhang, 3)
    small = count_queries(client, url(case.wang))
    more_records(case.team_a, case.wang, case.zhang, 27)
    more_records(case.team_a, case.wang, case.town, 5)
    assert count_queries(client, url(case.wang)) == small


def test_query_count_of_ones_own_page_with_the_duty_report(staff_client, case, dept_staff):
    # the duty report reads the stored team figures, recomputed on the first read after a write
    # (liaison/compliance/team_figures.py): each count is taken on the read after that one
    more_records(case.team_a, dept_staff, case.zhang, 3)
    staff_client.get(url(dept_staff))
    small = count_queries(staff_client, url(dept_staff))
    more_records(case.team_a, dept_staff, case.zhang, 27)
    more_records(case.team_a, dept_staff, case.town, 5)
    html = staff_client.get(url(dept_staff)).content.decode()
    assert "全年参加联系记录 36 条" in html  # 1 + 3 + 27 + 5, all in 2026
    assert count_queries(staff_client, url(dept_staff)) == small


def test_a_grassroots_account_is_refused(case, dept_staff):
    account = make_account(case.town, "jiceng")
    assert client_for(account).get(url(dept_staff)).status_code == 403
