"""已分配未联系 and 超过联系间隔未联系: each list holds exactly the targets its figure counts.

Year 2025 (over, so "overdue" runs to 31 December whatever today is). Rules: 领导专班 市级学会 1–3,
知名专家/高层次人才 ≥ 1 with a contact every 120 days; 部室专班 市级学会 ≥ 1.

- 王主席专班 (leader; member: the staff fixture): 学会X contacted on 1 March; 学会Y and 学会Z never contacted
  in 2025 — 学会Y was contacted by 王主席's 2024 team on 15 June 2024; 专家S contacted on 1 February and
  1 May: 1 May → 31 December is 244 days > 120 → overdue.
- 李部长专班 (department): 学会W, never contacted.

By hand: 已分配未联系 = 学会Y, 学会Z (王主席专班), 学会W (李部长专班) → 3; 超过联系间隔 = 专家S → 1.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liaison.models import Position, QuotaRule, VisitQuota
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.conftest import count_queries
from tests.factories import DepartmentFactory, ScientistFactory, StaffFactory
from tests.liaison.contacts.factories import log
from tests.liaison.plan.factories import make_leader, make_team, make_year, org

pytestmark = pytest.mark.django_db

D = datetime.date


def url(which: str, year: int = 2025) -> str:
    return reverse("liaison:outstanding_targets", args=[year, which])


def names(response) -> list[str]:
    return [a.target_name for a in response.context["page"].object_list]


@pytest.fixture
def data(dept_staff):
    year = make_year(2025)
    QuotaRule.objects.filter(year=year).delete()
    QuotaRule.objects.create(year=year, team_kind="leader", category="society", minimum=1, maximum=3)
    QuotaRule.objects.create(
        year=year, team_kind="leader", category="expert", minimum=1, contact_interval_days=120
    )
    QuotaRule.objects.create(year=year, team_kind="department", category="society", minimum=1)
    VisitQuota.objects.filter(year=year).update(minimum=0)
    wang = make_leader("王主席", "wangzhuxi")
    a = make_team(year, wang, members=[dept_staff])
    head = StaffFactory(
        name="李部长", department=DepartmentFactory(name="学会部"), position=Position.DEPARTMENT_HEAD
    )
    b = make_team(year, head)
    x, y, z, w = (org(OrgKind.SOCIETY, f"学会{n}") for n in "XYZW")
    s = ScientistFactory(name="专家S", category="renowned")
    for target in (x, y, z):
        plans.assignment_add(team=a, by=None, organization=target, start_date=D(2025, 1, 1))
    plans.assignment_add(team=a, by=None, scientist=s, start_date=D(2025, 1, 1))
    plans.assignment_add(team=b, by=None, organization=w, start_date=D(2025, 1, 1))
    log(a, dept_staff, [x], day=D(2025, 3, 1))
    log(a, dept_staff, [s], day=D(2025, 2, 1))
    log(a, dept_staff, [s], day=D(2025, 5, 1))
    earlier = make_team(make_year(2024), wang, members=[dept_staff])
    log(earlier, dept_staff, [y], day=D(2024, 6, 15))
    return {"year": year, "a": a, "b": b, "x": x, "y": y, "z": z, "w": w, "s": s}


def test_each_dashboard_figure_equals_the_rows_of_its_list(leader_client, data):
    board = leader_client.get(reverse("reports:dashboard"), {"year": 2025}).context["board"]
    assert (board.uncontacted_total, board.overdue_total) == (3, 1)
    uncontacted = leader_client.get(url("uncontacted"))
    assert uncontacted.context["page"].paginator.count == board.uncontacted_total
    # in the year's order of teams (leader teams first), then the policy's order of categories, then pinyin
    assert names(uncontacted) == ["学会Y", "学会Z", "学会W"]
    overdue = leader_client.get(url("overdue"))
    assert overdue.context["page"].paginator.count == board.overdue_total
    assert names(overdue) == ["专家S"]
    # the per-team figures open the team's rows
    html = leader_client.get(reverse("reports:dashboard"), {"year": 2025}).content.decode()
    a, b = data["a"], data["b"]
    assert (
        f'href="/liaison/years/2025/targets/uncontacted/?team={a.pk}" data-testid="uncontacted">2</a>' in html
    )
    assert f'href="/liaison/years/2025/targets/overdue/?team={a.pk}" data-testid="overdue">1</a>' in html
    assert names(leader_client.get(url("uncontacted"), {"team": a.pk})) == ["学会Y", "学会Z"]
    assert names(leader_client.get(url("uncontacted"), {"team": b.pk})) == ["学会W"]
    assert names(leader_client.get(url("overdue"), {"team": b.pk})) == []


def test_a_row_names_the_target_its_team_who_to_call_and_the_last_contact(leader_client, data, dept_staff):
    text = leader_client.get(url("uncontacted")).content.decode()
    a, y = data["a"], data["y"]
    assert f'href="{y.get_absolute_url()}">学会Y</a>' in text
    assert f'href="{a.get_absolute_url()}">王主席专班</a>' in text
    assert "负责人 王主席（副主席）" in text
    assert f"成员 {dept_staff.name}" in text
    assert "市级学会" in text  # the category
    assert "2024-06-15" in text  # 学会Y: the 2024 team of the same lead
    assert text.count("从未联系</span>") == 2  # 学会Z and 学会W
    assert "共 <strong>3</strong> 个对象" in text
    overdue = leader_client.get(url("overdue")).content.decode()
    assert "2025-05-01" in overdue  # 专家S's last contact
    assert "知名专家/高层次人才" in overdue


def test_filters_by_team_and_category(leader_client, data):
    assert names(leader_client.get(url("uncontacted"), {"category": "society"})) == [
        "学会Y",
        "学会Z",
        "学会W",
    ]
    assert names(leader_client.get(url("uncontacted"), {"category": "expert"})) == []
    assert names(leader_client.get(url("overdue"), {"category": "expert"})) == ["专家S"]
    both = leader_client.get(url("uncontacted"), {"team": data["b"].pk, "category": "society"})
    assert names(both) == ["学会W"]
    # the team filter offers the teams with rows, each with its stored figure
    options = leader_client.get(url("uncontacted")).context["by_team"]
    assert [(row["name"], row["n"]) for row in options] == [("王主席专班", 2), ("李部长专班", 1)]


def test_bad_input_is_said_in_chinese_and_never_a_500(leader_client, data):
    response = leader_client.get(url("uncontacted"), {"team": "abc", "category": "nonsense"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "专班参数无效，已显示全部专班。" in text
    assert "联系类别无效，已显示全部类别。" in text
    assert response.context["page"].paginator.count == 3
    assert leader_client.get(url("nonsense")).status_code == 404
    assert leader_client.get(url("uncontacted", 1999)).status_code == 404
    assert leader_client.get(url("uncontacted"), {"team": 999999}).status_code == 404
    other_year = make_team(make_year(2023), make_leader("别的领导"))
    assert leader_client.get(url("uncontacted"), {"team": other_year.pk}).status_code == 404


def test_a_staff_member_sees_only_their_teams(staff_client, data):
    response = staff_client.get(url("uncontacted"))
    assert names(response) == ["学会Y", "学会Z"]  # 王主席专班's, not 李部长专班's 学会W
    assert "只列出您所在专班的对象" in response.content.decode()
    assert [row["name"] for row in response.context["by_team"]] == ["王主席专班"]
    assert names(staff_client.get(url("overdue"))) == ["专家S"]
    # another team's rows are refused, not shown empty
    assert staff_client.get(url("uncontacted"), {"team": data["b"].pk}).status_code == 403
    assert staff_client.get(url("overdue"), {"team": data["b"].pk}).status_code == 403


def test_accounts_without_a_staff_record_are_refused(outsider_client, client, data):
    assert outsider_client.get(url("uncontacted")).status_code == 403
    assert outsider_client.get(url("overdue")).status_code == 403
    anonymous = client.get(url("uncontacted"))
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_the_team_page_opens_its_lists_for_those_who_may_see_them(leader_client, staff_client, data):
    a, b = data["a"], data["b"]
    text = leader_client.get(a.get_absolute_url()).content.decode()
    assert f'href="/liaison/years/2025/targets/uncontacted/?team={a.pk}">已分配未联系 2</a>' in text
    assert f'href="/liaison/years/2025/targets/overdue/?team={a.pk}">超过联系间隔 1</a>' in text
    # a staff member reads another team's page with its figures, but no link to rows they may not open
    other = staff_client.get(b.get_absolute_url()).content.decode()
    assert "已分配未联系 1 · 超过联系间隔 0" in other
    assert "/targets/uncontacted/" not in other.split('data-testid="team-figures"')[1].split("</p>")[0]


def test_query_count_is_the_same_for_3_and_30_rows(liaison_client, data, dept_staff):
    year = data["year"]
    liaison_client.get(
        url("uncontacted")
    )  # the figures stored after the writes (their cost: tests/test_scale.py)
    measured = {
        (which, str(params)): count_queries(liaison_client, url(which), params)
        for which in ("uncontacted", "overdue")
        for params in ({}, {"team": data["a"].pk, "category": "society"})
    }
    for i in range(9):  # 27 more targets never contacted, on 9 more teams with members
        team = make_team(year, make_leader(f"领导{i}"), members=[StaffFactory()])
        for j in range(3):
            plans.assignment_add(team=team, by=None, organization=org(OrgKind.SOCIETY, f"学会{i}-{j}"))
        s = ScientistFactory(category="renowned")
        plans.assignment_add(team=team, by=None, scientist=s, start_date=D(2025, 1, 1))
        log(team, dept_staff, [s], day=D(2025, 1, 5))  # contacted once, in January: overdue too
    assert liaison_client.get(url("uncontacted")).context["page"].paginator.count == 30  # refreshes them
    assert liaison_client.get(url("overdue")).context["page"].paginator.count == 10
    again = {
        (which, str(params)): count_queries(liaison_client, url(which), params)
        for which in ("uncontacted", "overdue")
        for params in ({}, {"team": data["a"].pk, "category": "society"})
    }
    assert again == measured


def test_the_teams_list_opens_the_rows_of_each_team(leader_client, staff_client, data):
    a, b = data["a"], data["b"]
    year_url = reverse("liaison:year_detail", args=[2025])
    text = leader_client.get(year_url).content.decode()
    assert f'href="/liaison/years/2025/targets/uncontacted/?team={a.pk}">看未联系的 2 个</a>' in text
    assert f'href="/liaison/years/2025/targets/overdue/?team={a.pk}">看超过间隔的 1 个</a>' in text
    assert f'href="/liaison/years/2025/targets/uncontacted/?team={b.pk}">看未联系的 1 个</a>' in text
    # a staff member (member of 王主席专班) gets the links of their own team only
    mine = staff_client.get(year_url).content.decode()
    assert f'?team={a.pk}">看未联系的 2 个</a>' in mine
    assert f'?team={b.pk}">看未联系的' not in mine
