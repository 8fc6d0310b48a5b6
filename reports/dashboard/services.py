"""The leadership dashboard of a year: every figure computed in the database, a fixed number of queries.

Compliance, contacted and grassroots visits are the year-end review's (reports/review/services.py), stored per team by
liaison/compliance/team_figures.py from liaison/compliance/figures.py — so the dashboard, the review page and `manage.py review` can
never disagree. The year's figures are counted over the stored rows by the database; the per-team table reads
only the page it shows, sorted by the database.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When

from liaison.compliance import figures, team_figures
from liaison.models import ContactMethod, Demand, DemandKind, TeamKind, Topic, Year
from liaison.plan.services import coverage_gaps
from orgs.models import OrgKind
from reports.review.services import TeamReview, review_rows

MONTHS = list(range(1, 13))
TEAMS_PER_PAGE = 50  # a city's teams (20–60) fit on one page; a province's 2,000 are paged


@dataclass
class TeamRow:
    """One team's line of the dashboard: its review row, with its greeting coverage."""

    review: TeamReview

    @property
    def team(self):
        return self.review.team

    @property
    def visits(self) -> dict:
        return self.review.data["grassroots_visits"]

    @property
    def uncontacted(self) -> int:
        return self.review.uncontacted

    @property
    def assigned(self) -> int:
        return self.review.figures.assigned

    @property
    def overdue(self) -> int:
        """Targets that went longer than their category's interval without a contact (figures.has_overdue_stretch)."""
        return self.review.figures.overdue

    @property
    def compliant(self) -> bool:
        return self.review.data["compliant"]

    @property
    def open_demands(self) -> int:
        return self.review.data["open_demands"]

    @property
    def greeted_spring(self) -> tuple[int, int]:
        """(greeted at this year's Spring Festival, scientists in force at year end): figures.greeting_coverage."""
        return self.review.figures.spring_greeted, self.review.figures.scientists

    @property
    def greeted_workers_day(self) -> tuple[int, int]:
        return self.review.figures.workers_day_greeted, self.review.figures.scientists

    @staticmethod
    def share(pair: tuple[int, int]) -> int | None:
        greeted, assigned = pair
        return round(100 * greeted / assigned) if assigned else None

    @property
    def spring_share(self) -> int | None:
        return self.share(self.greeted_spring)

    @property
    def workers_day_share(self) -> int | None:
        return self.share(self.greeted_workers_day)


def _share(column: str) -> Callable[[bool], Case]:
    """A greeting share; teams without scientists (no share) sort last in either direction."""

    def expression(descending: bool) -> Case:
        return Case(
            When(scientists=0, then=Value(-1.0 if descending else 2.0)),
            default=F(column) * 1.0 / F("scientists"),
            output_field=FloatField(),
        )

    return expression


# The per-team table's columns: GET ?sort=<key> (ascending) or -<key>; teams without a value (no scientist:
# no greeting share) come last either way; ties in the review's order (leader teams first, by their leads).
SORT_KEYS: dict[str, tuple[str, Any]] = {
    "team": ("专班", None),
    "kind": ("类型", Case(When(team__kind=TeamKind.LEADER, then=0), default=1)),
    "compliant": ("达标", F("compliant")),
    "assigned": ("联系对象", F("assigned")),
    "uncontacted": ("未联系", F("uncontacted")),
    "overdue": ("超过联系间隔", F("overdue")),
    "visits": ("下基层", F("visits")),
    "spring": ("春节慰问", _share("spring_greeted")),
    "workers_day": ("科技工作者日", _share("workers_day_greeted")),
    "demands": ("未办结诉求", F("open_demands")),
}


def _ordering(sort: str) -> tuple[str, list]:
    """The sort actually used and its ORDER BY."""
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        return "", team_figures.IN_YEAR_ORDER
    descending = sort.startswith("-")
    if key == "team":
        if not descending:
            return sort, team_figures.IN_YEAR_ORDER
        first, *rest = team_figures.IN_YEAR_ORDER
        return sort, [first.desc(), *(F(f).desc() for f in rest)]
    expression = SORT_KEYS[key][1]
    if callable(expression):
        expression = expression(descending)
    primary = expression.desc() if descending else expression.asc()
    return sort, [primary, *team_figures.IN_YEAR_ORDER]


@dataclass
class Dashboard:
    year: Year
    today: datetime.date
    compliance_by_kind: dict[str, tuple[int, int]]  # kind → (compliant, teams)
    uncontacted_total: int
    overdue_total: int  # targets past their contact interval (TeamFigures.overdue summed)
    records_by_month: dict[str, list[int]]  # method → 12 monthly counts
    demand_counts: dict[str, dict[str, int]]  # kind → {"open", "overdue", "closed"}
    median_days_to_close: float | None
    gaps_by_kind: list[tuple[str, str, int]]  # (kind, label, n)
    raised: dict[str, int]  # 诉求热点's counts of the year (YearFigures.raised)

    def short(self, kind: str) -> int:
        """Teams of the kind that are not 达标 (the stored verdict): the teams list's ?status=short."""
        compliant, teams = self.compliance(kind)
        return teams - compliant

    @property
    def leader_short(self) -> int:
        return self.short(TeamKind.LEADER)

    @property
    def department_short(self) -> int:
        return self.short(TeamKind.DEPARTMENT)

    def compliance(self, kind: str | None = None) -> tuple[int, int]:
        pairs = [pair for k, pair in self.compliance_by_kind.items() if kind is None or k == kind]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    @property
    def leader_compliance(self) -> tuple[int, int]:
        return self.compliance(TeamKind.LEADER)

    @property
    def department_compliance(self) -> tuple[int, int]:
        return self.compliance(TeamKind.DEPARTMENT)

    @property
    def records_total(self) -> int:
        return sum(sum(counts) for counts in self.records_by_month.values())

    @property
    def demand_totals(self) -> dict[str, int]:
        totals = {"open": 0, "overdue": 0, "closed": 0}
        for counts in self.demand_counts.values():
            for key in totals:
                totals[key] += counts[key]
        return totals

    @property
    def gaps_total(self) -> int:
        return sum(n for _, _, n in self.gaps_by_kind)

    def team_page(self, sort: str, page_number: str | int | None) -> tuple[str, Page]:
        """One page of the per-team table, sorted by the database over the figures this dashboard was built
        from (current: build_dashboard refreshed them): (the sort used, a page of TeamRow)."""
        sort, ordering = _ordering(sort)
        ids = team_figures.of_year(self.year).order_by(*ordering).values_list("team_id", flat=True)
        paginator = Paginator(ids, TEAMS_PER_PAGE)
        paginator.count = self.compliance()[1]  # every stored team figure, counted by build_dashboard
        page = paginator.get_page(page_number)
        reviews = {row.team.pk: row for row in review_rows(self.year, list(page.object_list))}
        page.object_list = [TeamRow(reviews[pk]) for pk in page.object_list]
        return sort, page

    def records_table(self) -> list[dict[str, Any]]:
        """Rows of the records table: per method, per month the count and the date range it links to."""
        ranges = []
        for month in MONTHS:
            first = datetime.date(self.year.year, month, 1)
            last = datetime.date(self.year.year, month, calendar.monthrange(self.year.year, month)[1])
            ranges.append((first, last))
        return [
            {
                "method": method,
                "label": ContactMethod(method).label,
                "cells": [(n, first, last) for n, (first, last) in zip(counts, ranges, strict=True)],
            }
            for method, counts in self.records_by_month.items()
        ]

    def chart_data(self, teams: list[TeamRow]) -> dict[str, Any]:
        """What the charts draw (passed with json_script; the tables beside them show the same numbers):
        the records of the year, and the visits of the given teams (the table's page)."""
        return {
            "months": [f"{m}月" for m in MONTHS],
            "methods": [
                {"label": ContactMethod(method).label, "data": counts}
                for method, counts in self.records_by_month.items()
            ],
            "teams": [t.team.name for t in teams],
            "visits": [t.visits["count"] for t in teams],
            "visit_minimums": [t.visits["min"] for t in teams],
        }


def _median(histogram: Counter[int]) -> float | None:
    """The median of the values a histogram {value: count} describes."""
    n = sum(histogram.values())
    if not n:
        return None
    wanted = sorted({(n - 1) // 2, n // 2})  # the middle position(s), 0-based
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        found += [value for position in wanted if seen <= position < seen + count]
        seen += count
    return sum(found) / len(found)


def build_dashboard(year: Year, today: datetime.date) -> Dashboard:
    """The year's figures: compliance and never-contacted targets counted over the stored team figures,
    records and demands (open, closed, overdue today) from the year's totals (liaison/compliance/team_figures.py)."""
    team_figures.refresh(year)
    by_kind = (
        team_figures.of_year(year)
        .values("team__kind")
        .annotate(
            n=Count("team"),
            compliant=Count("team", filter=Q(compliant=True)),
            uncontacted=Sum("uncontacted"),
            overdue=Sum("overdue"),
            **team_figures.INCLUDED,
        )
        .order_by()
    )
    compliance = {kind: (0, 0) for kind in TeamKind.values}
    uncontacted = overdue = included = versions = 0
    for row in by_kind:
        compliance[row["team__kind"]] = (row["compliant"], row["n"])
        uncontacted += row["uncontacted"] or 0
        overdue += row["overdue"] or 0
        included += row["included_rows"]
        versions += row["included_versions"] or 0
    # the check of the year's totals and the table's page count come from the same grouped query
    totals = team_figures.year_totals(year, included=(included, versions))
    # open, closed and overdue (open past its due date today) as the team figures keep them: the figures
    # of a team with an open demand still to fall due are recomputed each day (team_figures.py)
    demand_counts = {}
    for kind in DemandKind.values:
        counts = [*totals.demands.get(kind, []), 0, 0, 0]
        demand_counts[kind] = {"open": counts[0], "overdue": counts[2], "closed": counts[1]}
    gap_counts = dict(coverage_gaps(year).values_list("kind").annotate(n=Count("id")).order_by())
    gaps = [(kind, OrgKind(kind).label, gap_counts[kind]) for kind in OrgKind.values if gap_counts.get(kind)]
    return Dashboard(
        year=year,
        today=today,
        compliance_by_kind=compliance,
        uncontacted_total=uncontacted,
        overdue_total=overdue,
        records_by_month={method: totals.records.get(method, [0] * 12) for method in ContactMethod.values},
        demand_counts=demand_counts,
        median_days_to_close=_median(Counter({int(d): n for d, n in totals.days_to_close.items()})),
        gaps_by_kind=gaps,
        raised=totals.raised,
    )


LATEST_DEMANDS = 8


def latest_demands(year: Year, n: int = LATEST_DEMANDS) -> list[Demand]:
    """最新诉求: the last n demands raised in the year (figures.raised_in): the latest contact first, then the
    latest registered."""
    # Only what the card shows: the list's seven-table join with every column took longer to plan (~6 ms at
    # N = 100,000) than to run.
    rows = (
        figures.raised_in(year)
        .select_related("record__team", "raised_by_scientist", "raised_by_organization")
        .only(
            "kind",
            "text",
            "status",
            "due_date",
            "raised_by_text",
            "record__date",
            "record__team__name",
            "raised_by_scientist__name",
            "raised_by_organization__name",
        )
        .order_by("-record__date", "-created_at", "-id")
    )
    return list(rows[:n])


@dataclass
class HotRow:
    """One line of 诉求热点: a kind or a topic, its count this year and last year, and the list's filter."""

    key: str
    label: str
    this_year: int
    last_year: int
    param: str  # the demand list's filter: kind or topic

    @property
    def change(self) -> int:
        return self.this_year - self.last_year


@dataclass
class HotTopics:
    year: Year
    last_year: Year | None
    kinds: list[HotRow]
    topics: list[HotRow]

    @property
    def tables(self) -> list[tuple[str, list[HotRow]]]:
        return [("诉求类别", self.kinds), ("联系内容", self.topics)]


def _raised_counts(year: Year | None) -> dict[str, int]:
    """Demands raised in the year (figures.raised_in, the list's 提出年度) by kind ("kind:…") and by the topics
    of their record ("topic:…", figures.on_topic, the list's 联系内容): the sum of the teams' stored figures
    (figures.raised_counts), recomputed with a team's other figures after any write to its records or
    demands. Counting them on each view joined the year's demands to a million records (155 ms at
    N = 100,000), and under load every view followed some record's save."""
    if year is None:
        return {}
    team_figures.refresh(year)
    return team_figures.year_totals(year).raised


def hot_topics(year: Year, raised: dict[str, int] | None = None) -> HotTopics:
    """诉求热点: what people raise most, by kind and by topic, this year against last. `raised`: the year's
    counts when the caller has read them already (Dashboard.raised)."""
    last_year = Year.objects.filter(year=year.year - 1).first()
    this = _raised_counts(year) if raised is None else raised
    last = _raised_counts(last_year)

    def rows(choices, prefix: str) -> list[HotRow]:
        found = [
            HotRow(value, label, this.get(f"{prefix}:{value}", 0), last.get(f"{prefix}:{value}", 0), prefix)
            for value, label in choices
        ]
        return sorted(found, key=lambda row: (-row.this_year, -row.last_year))  # stable: the choices' order

    return HotTopics(year, last_year, rows(DemandKind.choices, "kind"), rows(Topic.choices, "topic"))
