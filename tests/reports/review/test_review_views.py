"""The year-end review page and its JSON: what the liaison office and leadership see, fixed queries, refusals."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from liaison.plan import services as plans
from tests.conftest import count_queries
from tests.factories import OrganizationFactory, ScientistFactory
from tests.liaison.plan.factories import make_leader, make_team
from tests.reports.review.factories import EXPECTED_REVIEW, build_review_data, record

pytestmark = pytest.mark.django_db

URL = reverse("reports:review", args=[2025])


@pytest.fixture
def data(other_department):
    return build_review_data(department=other_department)


@pytest.mark.parametrize("client_name", ["liaison_client", "leader_client", "admin_client_"])
def test_liaison_office_leadership_and_admin_read_the_review(request, client_name, data):
    response = request.getfixturevalue(client_name).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "达标 1 / 3 个专班 · 全年未联系的对象 3 个 · 下基层不足 1 个专班 · 待办诉求 2 件" in text
    assert "沈河区科协、李专家、张院士" in text
    assert "区县(市)科协 超出上限 1 个" in text
    assert "下基层 1 次，少 1 次" in text


@pytest.mark.parametrize("client_name", ["staff_client", "outsider_client"])
def test_everyone_else_is_refused(request, client_name, data):
    client = request.getfixturevalue(client_name)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("reports:review_json", args=[2025])).status_code == 403


def test_unknown_year_is_404_and_post_is_405(liaison_client, data):
    assert liaison_client.get(reverse("reports:review", args=[1999])).status_code == 404
    assert liaison_client.post(URL).status_code == 405


def test_filters_show_short_teams_or_one_kind(leader_client, data):
    short = leader_client.get(URL, {"show": "short"})
    assert [r.data["team"] for r in short.context["page"].object_list] == ["王主席专班", "李副主席专班"]
    departments = leader_client.get(URL, {"show": "department"})
    assert [r.data["team"] for r in departments.context["page"].object_list] == ["陈部长专班"]


def test_the_json_download_is_the_spec_json(liaison_client, data):
    response = liaison_client.get(reverse("reports:review_json", args=[2025]))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content) == EXPECTED_REVIEW


def test_the_page_runs_a_fixed_number_of_queries(liaison_client, data):
    """Cold: figures of changed teams are recomputed (liaison/compliance/team_figures.py) in the same number of queries
    however many teams changed; warm: only stored figures are read."""
    cold = count_queries(liaison_client, URL)
    warm = count_queries(liaison_client, URL)
    for i in range(8):
        team = make_team(data.year, make_leader(f"新领导{i}"), members=[data.author])
        target = OrganizationFactory(kind="district")
        plans.assignment_add(team=team, by=None, organization=target)
        plans.assignment_add(team=team, by=None, scientist=ScientistFactory())
        record(team, data.year.first_day.replace(month=3), data.author, [target])
    assert count_queries(liaison_client, URL) == cold
    assert count_queries(liaison_client, URL) == warm
    assert warm < cold <= 36
    assert warm <= 18  # the stored figures, the page's teams and leads, leads without a team


def test_the_year_page_links_to_the_review_for_those_who_may_see_it(liaison_client, staff_client, data):
    year_url = reverse("liaison:year_detail", args=[2025])
    assert URL in liaison_client.get(year_url).content.decode()
    assert URL not in staff_client.get(year_url).content.decode()


def test_pages_of_twenty_a_year_wide_summary_and_one_team(liaison_client, data):
    """A province's review is paged; the summary still counts every team; the dashboard links to one team."""
    for i in range(20):
        make_team(data.year, make_leader(f"新领导{i}"))  # no target, no visit: short of the minimums
    first = liaison_client.get(URL)
    rows = first.context["page"].object_list
    assert len(rows) == 20
    assert first.context["page"].paginator.count == 23
    assert "达标 1 / 23 个专班" in first.content.decode()  # 陈部长专班, as before the new teams
    second = liaison_client.get(URL, {"page": 2})
    names = [r.data["team"] for r in rows] + [r.data["team"] for r in second.context["page"].object_list]
    assert len(set(names)) == 23  # every team once, leader teams first in the order of their leads
    assert names[0] == "王主席专班"
    expected = {t["team"]: t["uncontacted_targets"] for t in EXPECTED_REVIEW["teams"]}
    assert rows[0].data["uncontacted_targets"] == expected["王主席专班"]  # names loaded for the page
    li = liaison_client.get(URL, {"team": data.li.pk})
    assert [r.data["team"] for r in li.context["page"].object_list] == ["李副主席专班"]
    assert "查看全部专班" in li.content.decode()
    short = liaison_client.get(URL, {"show": "short", "page": 2})
    assert all(not r.data["compliant"] for r in short.context["page"].object_list)
