"""Contact intervals (联系间隔天数) count: a target that went longer than its category's interval without a
contact is overdue (超期), and an overdue target keeps its team from 达标 (docs/workbook.md, the review).

The stretches are worked out by hand below; 绛县's rule (领导专班: ≥ 2 知名专家/高层次人才, a contact every 60
days) is entered as data only.
"""

from __future__ import annotations

import datetime

import pytest

from liaison.compliance import team_figures
from liaison.compliance.figures import has_overdue_stretch, next_contact_due, overdue_assignments
from liaison.models import QuotaRule, Staff, TeamKind, VisitQuota
from liaison.plan import services as plans
from reports.review.services import build_review
from tests.factories import ScientistFactory, StaffFactory
from tests.liaison.plan.factories import make_leader, make_team
from tests.reports.review.factories import record

pytestmark = pytest.mark.django_db

D = datetime.date

# Every stretch exactly 60 days: 1 Jan → 2 Mar → 1 May → 30 Jun → 29 Aug → 28 Oct → 27 Dec → 31 Dec (4 days).
EVERY_60_DAYS = [
    D(2026, 3, 2),
    D(2026, 5, 1),
    D(2026, 6, 30),
    D(2026, 8, 29),
    D(2026, 10, 28),
    D(2026, 12, 27),
]


def test_stretches_of_exactly_the_interval_are_not_overdue():
    assert not has_overdue_stretch(D(2026, 1, 1), D(2026, 12, 31), EVERY_60_DAYS, 60)


def test_one_stretch_a_day_longer_is_overdue():
    late = [D(2026, 3, 3), *EVERY_60_DAYS[1:]]  # 1 Jan → 3 Mar is 61 days
    assert has_overdue_stretch(D(2026, 1, 1), D(2026, 12, 31), late, 60)


def test_the_last_stretch_runs_to_the_end_of_the_span():
    # contacted on 2 Mar, then nothing: 2 Mar → 1 May is 60 days (not yet), → 2 May is 61
    assert not has_overdue_stretch(D(2026, 1, 1), D(2026, 5, 1), [D(2026, 3, 2)], 60)
    assert has_overdue_stretch(D(2026, 1, 1), D(2026, 5, 2), [D(2026, 3, 2)], 60)


def test_never_contacted_is_overdue_once_the_span_exceeds_the_interval():
    assert not has_overdue_stretch(D(2026, 1, 1), D(2026, 2, 15), [], 60)  # 45 days
    assert has_overdue_stretch(D(2026, 1, 1), D(2026, 3, 5), [], 60)  # 63 days


def test_contacts_outside_the_span_do_not_count_and_an_empty_span_is_not_overdue():
    assert has_overdue_stretch(D(2026, 1, 1), D(2026, 12, 31), [D(2025, 12, 30), D(2027, 1, 2)], 60)
    assert not has_overdue_stretch(D(2027, 1, 1), D(2026, 12, 6), [], 60)  # a year not yet begun


@pytest.fixture
def jiangxian():
    """2025, 绛县's leader rule only: ≥ 2 experts, every 60 days; no visit minimum.

    甲 (A): 20 Feb, 15 Apr, 10 Jun, 5 Aug, 1 Oct, 25 Nov — stretches 50, 54, 56, 56, 57, 55, then 36 to
    31 Dec: never overdue. 乙 (B): 1 Mar only — 1 Mar → 31 Dec is 305 days: overdue. 丙 (C): never
    contacted: uncontacted and overdue. 丁 (D): added on 1 Dec, never contacted — 1 Dec → 31 Dec is 30 days:
    uncontacted but not overdue.
    """
    year = plans.year_create(year=2025)
    QuotaRule.objects.filter(year=year).delete()
    VisitQuota.objects.filter(year=year).delete()
    QuotaRule.objects.create(
        year=year, team_kind=TeamKind.LEADER, category="expert", minimum=2, contact_interval_days=60
    )
    author = StaffFactory(name="记录员")
    team = make_team(year, make_leader("王主席", "wangzhuxi"), members=[author])
    a = ScientistFactory(name="甲专家")
    b = ScientistFactory(name="乙专家")
    c = ScientistFactory(name="丙专家")
    d = ScientistFactory(name="丁专家")
    for person in (a, b, c):
        plans.assignment_add(team=team, by=None, scientist=person)
    plans.assignment_add(team=team, by=None, scientist=d, start_date=D(2025, 12, 1))
    for day in [
        D(2025, 2, 20),
        D(2025, 4, 15),
        D(2025, 6, 10),
        D(2025, 8, 5),
        D(2025, 10, 1),
        D(2025, 11, 25),
    ]:
        record(team, day, author, [a], grassroots=False)
    record(team, D(2025, 3, 1), author, [b], grassroots=False)
    return year, team


def test_overdue_assignments_name_the_targets_past_their_interval(jiangxian):
    year, team = jiangxian
    overdue = overdue_assignments(year, today=D(2026, 12, 6))
    names = sorted(team.assignments.get(pk=pk).scientist.name for pk in overdue[team.pk])
    assert names == ["丙专家", "乙专家"]


def test_the_review_counts_overdue_targets_as_a_shortfall(jiangxian):
    year, team = jiangxian
    (row,) = build_review(year)["teams"]
    assert row["categories"] == {
        "expert": {"assigned": 4, "contacted": 2, "min": 2, "max": None, "interval_days": 60},
    }
    assert row["uncontacted_targets"] == ["丙专家", "丁专家"]  # pinyin order: bing, ding
    assert row["overdue_targets"] == ["丙专家", "乙专家"]  # bing, yi
    assert row["compliant"] is False
    assert row["shortfalls"] == ["2 个联系对象全年未联系", "2 个联系对象超过联系间隔未联系"]


def test_a_contact_that_closes_the_gap_clears_the_overdue_shortfall(jiangxian):
    year, team = jiangxian
    author = Staff.objects.get(name="记录员")
    b, c, d = (team.assignments.get(scientist__name=n).scientist for n in ("乙专家", "丙专家", "丁专家"))
    # 乙: 1 Mar → 29 Apr (59) → 27 Jun (59) → 25 Aug (59) → 23 Oct (59) → 21 Dec (59) → 31 Dec (10)
    for day in [D(2025, 4, 29), D(2025, 6, 27), D(2025, 8, 25), D(2025, 10, 23), D(2025, 12, 21)]:
        record(team, day, author, [b], grassroots=False)
    # 丙 on the same days and on 28 Feb (1 Jan → 28 Feb is 58; 28 Feb → 29 Apr is 60)
    for day in [
        D(2025, 2, 28),
        D(2025, 4, 29),
        D(2025, 6, 27),
        D(2025, 8, 25),
        D(2025, 10, 23),
        D(2025, 12, 21),
    ]:
        record(team, day, author, [c], grassroots=False)
    record(team, D(2025, 12, 20), author, [d], grassroots=False)
    (row,) = build_review(year)["teams"]
    assert row["overdue_targets"] == []
    assert row["uncontacted_targets"] == []
    assert row["compliant"] is True
    assert team_figures.current(year)[team.pk].compliant is True


def test_figures_of_a_year_under_way_are_recomputed_the_next_day(jiangxian):
    """Overdue grows with the days, not only with writes: figures that depend on the day are stale once it
    has passed (the stored row says so), and are not recomputed again the same day."""
    from django.utils import timezone

    from liaison.models import TeamFigures

    year, team = jiangxian
    this_year = plans.year_create(year=timezone.localdate().year)
    QuotaRule.objects.filter(year=this_year, team_kind=TeamKind.LEADER, category="expert").update(
        contact_interval_days=60
    )
    current_team = make_team(this_year, make_leader("李主席", "lizhuxi"))
    plans.assignment_add(team=current_team, by=None, scientist=ScientistFactory())
    row = team_figures.current(this_year)[current_team.pk]
    assert row.dated is True
    version = row.computed_version
    # as if computed yesterday: the next read computes it again
    TeamFigures.objects.filter(pk=current_team.pk).update(
        computed_at=timezone.now() - datetime.timedelta(days=1)
    )
    again = team_figures.current(this_year)[current_team.pk]
    assert timezone.localdate(again.computed_at) == timezone.localdate()
    assert again.computed_version == version
    # a finished year's figures do not depend on the day
    assert team_figures.current(year)[team.pk].dated is False


def test_the_digest_the_dashboard_and_the_review_page_name_them(jiangxian, leader_client):
    from django.urls import reverse

    from reports.digest.services import team_digests

    year, team = jiangxian
    (digest,) = team_digests(year, D(2026, 12, 6))
    assert digest.past_interval == ["丙专家", "乙专家"]
    assert "  超过联系间隔未联系（2）：丙专家、乙专家" in digest.lines()
    board = leader_client.get(reverse("reports:dashboard"), {"year": 2025})
    (row,) = board.context["page"].object_list
    assert row.overdue == 2
    # the dashboard's figure opens the list behind it (issue 18 §2), which names the same two
    link = f"/liaison/years/2025/targets/overdue/?team={team.pk}"
    assert f'href="{link}" data-testid="overdue">2<' in board.content.decode()
    listed = leader_client.get(link).content.decode()
    assert "丙专家" in listed
    assert "乙专家" in listed
    review = leader_client.get(reverse("reports:review", args=[2025]), {"team": team.pk}).content.decode()
    assert (
        '<p class="mb-0 mt-1 overflow-wrap-anywhere" data-testid="review-overdue">丙专家、乙专家</p>'
        in review
    )
    assert "每 60 天至少一次" in review


# --- the next contact due (the hub, issue 18 §1) ---------------------------------------------------------


def test_next_contact_due_is_the_interval_after_the_latest_contact():
    # 60 days after 2026-03-02 is 2026-05-01
    assert next_contact_due(D(2026, 1, 1), D(2026, 3, 2), 60) == D(2026, 5, 1)


def test_next_contact_due_without_a_contact_counts_from_the_start():
    # 60 days after 1 January is 2 March
    assert next_contact_due(D(2026, 1, 1), None, 60) == D(2026, 3, 1) + datetime.timedelta(days=1)


def test_a_contact_before_the_start_does_not_move_the_due_date():
    assert next_contact_due(D(2026, 4, 1), D(2026, 2, 1), 30) == D(2026, 5, 1)


@pytest.mark.parametrize("days", [1, 30, 60, 90])
def test_a_contact_on_the_due_day_is_in_time_and_the_day_after_is_overdue(days):
    start, last = D(2026, 1, 1), D(2026, 1, 2)
    due = next_contact_due(start, last, days)
    assert not has_overdue_stretch(start, due, [last], days)
    assert has_overdue_stretch(start, due + datetime.timedelta(days=1), [last], days)
