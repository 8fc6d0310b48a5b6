"""The leadership dashboard of a year: every figure computed in the database, a fixed number of queries.

Compliance, contacted and grassroots visits come from the year-end review (reports/review.py), which reads
reports/figures.py through the stored team figures (reports/team_figures.py) — so the dashboard, the review
page and `manage.py review` can never disagree. The year's totals add up the teams' figures.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from liaison.models import ContactMethod, Demand, DemandKind, Occasion, TeamKind, Year
from liaison.plans import coverage_gaps
from orgs.models import OrgKind
from reports.review import TeamReview, review_rows

MONTHS = list(range(1, 13))


@dataclass
class TeamRow:
    """One team's line of the dashboard: its review row and its greeting coverage."""

    review: TeamReview
    order: int  # the position in the review's order: leader teams first, by their leads

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
        return sum(c["assigned"] for c in self.review.data["categories"].values())

    @property
    def compliant(self) -> bool:
        return self.review.data["compliant"]

    @property
    def open_demands(self) -> int:
        return self.review.data["open_demands"]

    def greeted(self, occasion: str) -> tuple[int, int]:
        """(greeted, assigned scientists) for an occasion (reports.figures.greeting_coverage)."""
        stored = self.review.figures
        return stored.greeted.get(occasion, 0), stored.scientists

    @property
    def greeted_spring(self) -> tuple[int, int]:
        return self.greeted(Occasion.SPRING_FESTIVAL)

    @property
    def greeted_workers_day(self) -> tuple[int, int]:
        return self.greeted(Occasion.WORKERS_DAY)

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


# The per-team table's columns: GET ?sort=<key> (ascending) or -<key>; None sorts last either way.
SORT_KEYS: dict[str, tuple[str, Callable[[TeamRow], Any]]] = {
    "team": ("专班", lambda t: t.order),
    "kind": ("类型", lambda t: t.team.kind != TeamKind.LEADER),
    "compliant": ("达标", lambda t: t.compliant),
    "assigned": ("联系对象", lambda t: t.assigned),
    "uncontacted": ("未联系", lambda t: t.uncontacted),
    "visits": ("下基层", lambda t: t.visits["count"]),
    "spring": ("春节慰问", lambda t: t.spring_share),
    "workers_day": ("科技工作者日", lambda t: t.workers_day_share),
    "demands": ("未办结诉求", lambda t: t.open_demands),
}


@dataclass
class Dashboard:
    year: Year
    today: datetime.date
    teams: list[TeamRow]
    records_by_month: dict[str, list[int]]  # method → 12 monthly counts
    demand_counts: dict[str, dict[str, int]]  # kind → {"open", "overdue", "closed"}
    median_days_to_close: float | None
    gaps_by_kind: list[tuple[str, str, int]]  # (kind, label, n)
    extra: dict[str, Any] = field(default_factory=dict)

    def compliance(self, kind: str | None = None) -> tuple[int, int]:
        rows = [t for t in self.teams if kind is None or t.team.kind == kind]
        return sum(1 for t in rows if t.compliant), len(rows)

    @property
    def leader_compliance(self) -> tuple[int, int]:
        return self.compliance(TeamKind.LEADER)

    @property
    def department_compliance(self) -> tuple[int, int]:
        return self.compliance(TeamKind.DEPARTMENT)

    @property
    def uncontacted_total(self) -> int:
        return sum(t.uncontacted for t in self.teams)

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

    def sorted_teams(self, sort: str) -> tuple[str, list[TeamRow]]:
        """The teams in the order of a column (SORT_KEYS; "-key" descending) and the sort actually used;
        teams without a value (no scientist: no greeting share) come last either way."""
        key = sort.removeprefix("-")
        if key not in SORT_KEYS:
            return "", self.teams
        value = SORT_KEYS[key][1]
        known = [t for t in self.teams if value(t) is not None]
        unknown = [t for t in self.teams if value(t) is None]
        known.sort(key=lambda t: (value(t), t.order), reverse=sort.startswith("-"))
        return sort, known + unknown

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

    def chart_data(self, teams: list[TeamRow] | None = None) -> dict[str, Any]:
        """What the charts draw (passed with json_script; the tables beside them show the same numbers):
        the records of the year, and the visits of the given teams (the table's page) or of every team."""
        teams = self.teams if teams is None else teams
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


def _sum_records(rows: list[TeamRow]) -> dict[str, list[int]]:
    """Completed records of the year's teams per method and month (reports.figures.records_by_month)."""
    counts = {method: [0] * 12 for method in ContactMethod.values}
    for row in rows:
        for method, months in row.review.figures.records.items():
            total = counts.setdefault(method, [0] * 12)
            for i, n in enumerate(months):
                total[i] += n
    return counts


def demand_figures(
    year: Year, today: datetime.date, rows: list[TeamRow]
) -> tuple[dict[str, dict[str, int]], float | None]:
    """Open, overdue and closed demands by kind, and the median days from the contact to closing.

    Open and closed come from the teams' figures (reports.figures.demand_counts), the median from their
    histograms of days to close (exact); overdue depends on today, so it is counted now, in one query."""
    counts = {kind: {"open": 0, "overdue": 0, "closed": 0} for kind in DemandKind.values}
    histogram: Counter[int] = Counter()
    for row in rows:
        stored = row.review.figures
        for kind, (open_, closed) in stored.demands.items():
            counts[kind]["open"] += open_
            counts[kind]["closed"] += closed
        histogram.update({int(days): n for days, n in stored.days_to_close.items()})
    overdue = (
        Demand.objects.alive()
        .overdue(today)
        .filter(record__team__year=year)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in overdue:
        counts[row["kind"]]["overdue"] = row["n"]
    return counts, _median(histogram)


def _median(histogram: Counter[int]) -> float | None:
    """The median of the values a histogram {value: count} describes."""
    n = sum(histogram.values())
    if not n:
        return None
    wanted = {(n - 1) // 2, n // 2}  # the middle position(s), 0-based
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        found += [value for position in sorted(wanted) if seen <= position < seen + count]
        seen += count
    return sum(found) / len(found)


def build_dashboard(year: Year, today: datetime.date) -> Dashboard:
    rows = [TeamRow(review=row, order=i) for i, row in enumerate(review_rows(year, totals=True))]
    demand_counts, median = demand_figures(year, today, rows)
    gap_counts = dict(coverage_gaps(year).values_list("kind").annotate(n=Count("id")).order_by())
    gaps = [(kind, OrgKind(kind).label, gap_counts[kind]) for kind in OrgKind.values if gap_counts.get(kind)]
    return Dashboard(
        year=year,
        today=today,
        teams=rows,
        records_by_month=_sum_records(rows),
        demand_counts=demand_counts,
        median_days_to_close=median,
        gaps_by_kind=gaps,
    )
