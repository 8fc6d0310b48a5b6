"""The leadership dashboard on a small hand-built year where every number is known in advance."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from liaison.contacts import services as contacts
from liaison.models import Position, QuotaRule, TeamFigures, VisitQuota, YearFigures
from liaison.plan import services as plans
from orgs.models import OrgKind
from reports.dashboard.services import build_dashboard
from tests.conftest import count_queries
from tests.factories import DepartmentFactory, ScientistFactory, StaffFactory
from tests.liaison.contacts.factories import log, raise_demand
from tests.liaison.plan.factories import make_leader, make_team, make_year, org

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
D = datetime.date


@pytest.fixture
def year_2026(dept_staff):
    """Team A (leader): societies X and Y and scientist S assigned; two grassroots visits to X, an event with Y,
    a Spring Festival greeting to S. Team B (department): society Z assigned, never contacted.
    Rules: leader society 1–2, leader expert ≥ 1, department society ≥ 1; visits leader ≥ 2, department ≥ 1.
    Demands on A: D1 closed after 20 days, D3 closed after 2 days, D2 open and overdue."""
    year = make_year(2026)
    QuotaRule.objects.filter(year=year).delete()
    QuotaRule.objects.create(year=year, team_kind="leader", category="society", minimum=1, maximum=2)
    QuotaRule.objects.create(year=year, team_kind="leader", category="expert", minimum=1)
    QuotaRule.objects.create(year=year, team_kind="department", category="society", minimum=1)
    VisitQuota.objects.filter(year=year, team_kind="leader").update(minimum=2)
    VisitQuota.objects.filter(year=year, team_kind="department").update(minimum=1)

    a = make_team(year, make_leader("王主席"), members=[dept_staff])
    head = StaffFactory(
        name="李部长", department=DepartmentFactory(name="学会部"), position=Position.DEPARTMENT_HEAD
    )
    b = make_team(year, head)
    x, y, z = org(OrgKind.SOCIETY, "学会X"), org(OrgKind.SOCIETY, "学会Y"), org(OrgKind.SOCIETY, "学会Z")
    org(OrgKind.DISTRICT, "无人联系区科协")
    s = ScientistFactory(name="专家S", category="renowned")
    start = D(2026, 1, 1)
    for target in (x, y):
        plans.assignment_add(team=a, by=None, organization=target, start_date=start)
    plans.assignment_add(team=a, by=None, scientist=s, start_date=start)
    plans.assignment_add(team=b, by=None, organization=z, start_date=start)

    v1 = log(a, dept_staff, [x], day=D(2026, 3, 5), method="survey", channel="visit", grassroots=True)
    log(a, dept_staff, [x], day=D(2026, 3, 20), method="survey", channel="visit", grassroots=True)
    e1 = log(a, dept_staff, [y], day=D(2026, 4, 2), method="event", channel="meeting", grassroots=False)
    contacts.greetings_create(
        team=a,
        occasion="spring_festival",
        channel="message",
        date=D(2026, 2, 16),
        scientists=[s],
        author=dept_staff,
    )
    d1 = raise_demand(v1, dept_staff.user, kind="difficulty", due_date=D(2026, 4, 1))
    contacts.demand_act(
        demand=d1, kind="reply", by=dept_staff.user, text="已解决", status="done", date=D(2026, 3, 25)
    )
    raise_demand(v1, dept_staff.user, kind="suggestion", due_date=D(2026, 5, 1))
    d3 = raise_demand(e1, dept_staff.user, kind="suggestion")
    contacts.demand_act(
        demand=d3, kind="reply", by=dept_staff.user, text="已采纳", status="done", date=D(2026, 4, 4)
    )
    return {"year": year, "a": a, "b": b}


def test_every_figure(year_2026):
    board = build_dashboard(year_2026["year"], TODAY)
    assert board.leader_compliance == (1, 1)
    assert board.department_compliance == (0, 1)
    assert board.records_total == 4
    assert board.records_by_month["greeting"][1] == 1  # February
    assert board.records_by_month["survey"][2] == 2  # March
    assert board.records_by_month["event"][3] == 1  # April
    assert board.uncontacted_total == 1
    sort, page = board.team_page("", None)
    a, b = page.object_list
    assert (a.team.name, a.visits, a.uncontacted, a.assigned) == ("王主席专班", {"count": 2, "min": 2}, 0, 3)
    assert (b.team.name, b.visits, b.uncontacted, b.assigned) == ("李部长专班", {"count": 0, "min": 1}, 1, 1)
    assert (a.greeted_spring, a.spring_share, a.workers_day_share) == ((1, 1), 100, 0)
    assert b.spring_share is None  # no scientist assigned: no share
    assert board.demand_totals == {"open": 1, "overdue": 1, "closed": 2}
    assert board.demand_counts["suggestion"] == {"open": 1, "overdue": 1, "closed": 1}
    assert board.median_days_to_close == 11  # (20 + 2) / 2
    assert board.gaps_by_kind == [("district", "区县(市)科协", 1)]
    chart = board.chart_data(page.object_list)
    assert chart["teams"] == ["王主席专班", "李部长专班"]
    assert chart["visits"] == [2, 0]
    assert chart["visit_minimums"] == [2, 1]


def test_page_shows_figures_that_link_to_their_lists(liaison_client, year_2026):
    response = liaison_client.get(reverse("reports:dashboard"), {"year": 2026})
    text = response.content.decode()
    assert "2026 年度联系工作概况" in text
    assert 'href="/liaison/years/2026/?kind=leader&amp;status=ok" data-testid="stat-leader"' in text
    assert (
        'href="/liaison/years/2026/?kind=department&amp;status=short" data-testid="stat-department-short"'
        in text
    )
    assert 'href="/liaison/records/?year=2026" data-testid="stat-records"' in text
    assert 'href="/liaison/demands/?year=2026&amp;state=overdue" data-testid="stat-overdue"' in text
    assert 'href="/liaison/years/2026/targets/uncontacted/" data-testid="stat-uncontacted"' in text
    assert 'href="/liaison/years/2026/gaps/" data-testid="stat-gaps"' in text
    assert "办结用时中位数：11 天" in text
    b = year_2026["b"]
    assert f'href="/liaison/records/?team={b.pk}&amp;grassroots=1"' in text
    assert 'id="dashboard-data"' in text  # chart data for the canvases, via json_script
    assert '<canvas id="chart-records"' in text
    # the linked list holds what the figure counts
    listed = liaison_client.get("/liaison/records/", {"year": 2026}).context["page"].paginator.count
    assert listed == 4


def test_leadership_and_admin_see_it_others_do_not(
    leader_client, admin_client_, staff_client, outsider_client, year_2026
):
    url = reverse("reports:dashboard")
    assert leader_client.get(url, {"year": 2026}).status_code == 200
    assert admin_client_.get(url, {"year": 2026}).status_code == 200
    assert staff_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 403
    assert leader_client.get(url, {"year": 1999}).status_code == 404


def test_query_count_does_not_grow(liaison_client, year_2026, dept_staff):
    """The same number of queries at any size: with every team's figures to recompute (cold), with one team
    changed by a write, and with nothing changed (warm); and the first read of a year, which builds its totals."""
    url = reverse("reports:dashboard")
    year = year_2026["year"]
    params = {"year": 2026}

    def counts() -> tuple[int, int, int]:
        TeamFigures.objects.update(version=F("version") + 1)
        cold = count_queries(liaison_client, url, params)
        TeamFigures.objects.filter(team=year_2026["a"]).update(version=F("version") + 1)
        one = count_queries(liaison_client, url, params)
        return cold, one, count_queries(liaison_client, url, params)

    first = count_queries(liaison_client, url, params)
    before = counts()
    for i in range(8):
        team = make_team(year, make_leader(f"领导{i}"), members=[dept_staff])
        target = org(OrgKind.SOCIETY, f"学会{i}")
        plans.assignment_add(team=team, by=None, organization=target, start_date=D(2026, 1, 1))
        record = log(team, dept_staff, [target], day=D(2026, 6, 1))
        raise_demand(record, dept_staff.user, due_date=D(2026, 7, 1))
    assert counts() == before
    YearFigures.objects.all().delete()
    TeamFigures.objects.update(version=F("version") + 1)
    assert count_queries(liaison_client, url, params) == first
    cold, one, warm = before
    assert warm < one <= cold <= first


def test_team_table_sorted_and_paged_by_the_database(liaison_client, year_2026):
    """Sorting by a column orders every team, not just a page; teams without a share come last either way."""
    year = year_2026["year"]
    url = reverse("reports:dashboard")
    a, b = year_2026["a"], year_2026["b"]
    board = build_dashboard(year, TODAY)
    sort, page = board.team_page("-uncontacted", None)
    assert sort == "-uncontacted"
    assert [t.team for t in page.object_list] == [b, a]
    assert [t.team for t in board.team_page("uncontacted", None)[1].object_list] == [a, b]
    # 李部长专班 has no scientist: no Spring Festival share, last in both directions
    assert [t.team for t in board.team_page("spring", None)[1].object_list] == [a, b]
    assert [t.team for t in board.team_page("-spring", None)[1].object_list] == [a, b]
    assert board.team_page("nonsense", None)[0] == ""
    for i in range(55):
        make_team(year, make_leader(f"领导{i:02d}"))
    first = liaison_client.get(url, {"year": 2026, "sort": "-visits"})
    assert first.context["page"].paginator.count == 57
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].object_list[0].team == a  # the only team with visits
    assert len(first.context["charts"]["teams"]) == 50  # the chart follows the table's page
    html = first.content.decode()
    assert 'aria-sort="descending"' in html
    assert "sort=visits" in html
    second = liaison_client.get(url, {"year": 2026, "sort": "-visits", "page": 2})
    assert len(second.context["page"].object_list) == 7
    assert "领导专班达标" in html
    assert first.context["board"].leader_compliance == (1, 56)


def test_a_demand_falling_due_counts_overdue_from_the_next_day_without_a_write(year_2026, dept_staff):
    """Overdue demands are kept with the team figures (liaison/compliance/figures.py demand_counts): a team
    with an open demand still to fall due has dated figures, recomputed on the first read of a new day."""
    from django.utils import timezone

    from liaison.compliance import team_figures
    from liaison.models import ContactRecord, Demand

    year, a = year_2026["year"], year_2026["a"]
    today = timezone.localdate()
    record = ContactRecord.objects.filter(team=a).order_by("date").first()
    later = raise_demand(
        record, dept_staff.user, kind="difficulty", due_date=today + datetime.timedelta(days=3)
    )
    board = build_dashboard(year, TODAY)
    assert board.demand_counts["difficulty"] == {"open": 1, "overdue": 0, "closed": 1}
    assert team_figures.current(year)[a.pk].dated is True
    # three days pass: its due date is behind us, though nobody touched it (.update sends no signal) ...
    Demand.objects.filter(pk=later.pk).update(due_date=today - datetime.timedelta(days=1))
    assert build_dashboard(year, TODAY).demand_counts["difficulty"]["overdue"] == 0  # ... figures of today
    # ... and on the first read of the next day the figures are computed again
    TeamFigures.objects.filter(team=a).update(computed_at=timezone.now() - datetime.timedelta(days=1))
    board = build_dashboard(year, TODAY)
    assert board.demand_counts["difficulty"] == {"open": 1, "overdue": 1, "closed": 1}
    assert board.demand_totals == {"open": 2, "overdue": 2, "closed": 2}
