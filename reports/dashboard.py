"""The leadership dashboard of a year: every figure computed in the database, a fixed number of queries.

Compliance, contacted and grassroots visits come from the year-end review (reports/review.py), which reads
reports/figures.py — so the dashboard, the review page and `manage.py review` can never disagree.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractMonth

from liaison.models import (
    ContactMethod,
    ContactRecord,
    Demand,
    DemandKind,
    DemandStatus,
    Occasion,
    TeamKind,
    Year,
)
from liaison.plans import coverage_gaps
from orgs.models import OrgKind
from reports import figures
from reports.review import TeamReview, review_rows

MONTHS = list(range(1, 13))


@dataclass
class TeamFigures:
    review: TeamReview
    greeted_spring: tuple[int, int] = (0, 0)
    greeted_workers_day: tuple[int, int] = (0, 0)

    @property
    def team(self):
        return self.review.team

    @property
    def visits(self) -> dict:
        return self.review.data["grassroots_visits"]

    @property
    def uncontacted(self) -> int:
        return len(self.review.data["uncontacted_targets"])

    @property
    def assigned(self) -> int:
        return sum(c["assigned"] for c in self.review.data["categories"].values())

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


@dataclass
class Dashboard:
    year: Year
    today: datetime.date
    teams: list[TeamFigures]
    records_by_month: dict[str, list[int]]  # method → 12 monthly counts
    demand_counts: dict[str, dict[str, int]]  # kind → {"open", "overdue", "closed"}
    median_days_to_close: float | None
    gaps_by_kind: list[tuple[str, str, int]]  # (kind, label, n)
    extra: dict[str, Any] = field(default_factory=dict)

    def compliance(self, kind: str | None = None) -> tuple[int, int]:
        rows = [t for t in self.teams if kind is None or t.team.kind == kind]
        return sum(1 for t in rows if t.review.data["compliant"]), len(rows)

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

    def chart_data(self) -> dict[str, Any]:
        """What the charts draw (passed with json_script; the tables beside them show the same numbers)."""
        return {
            "months": [f"{m}月" for m in MONTHS],
            "methods": [
                {"label": ContactMethod(method).label, "data": counts}
                for method, counts in self.records_by_month.items()
            ],
            "teams": [t.team.name for t in self.teams],
            "visits": [t.visits["count"] for t in self.teams],
            "visit_minimums": [t.visits["min"] for t in self.teams],
        }


def records_by_month(year: Year) -> dict[str, list[int]]:
    """Completed records of the year's teams, per method and month: one grouped query."""
    counts = {method: [0] * 12 for method in ContactMethod.values}
    rows = (
        ContactRecord.objects.completed()
        .filter(team__year=year, date__gte=year.first_day, date__lte=year.last_day)
        .annotate(month=ExtractMonth("date"))
        .values("method", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["method"]][row["month"] - 1] = row["n"]
    return counts


def demand_figures(year: Year, today: datetime.date) -> tuple[dict[str, dict[str, int]], float | None]:
    """Open, overdue and closed demands by kind, and the median days from the contact to closing."""
    demands = Demand.objects.alive().filter(record__team__year=year)
    open_statuses = [DemandStatus.PENDING, DemandStatus.IN_PROGRESS]
    rows = (
        demands.values("kind")
        .annotate(
            open=Count("id", filter=Q(status__in=open_statuses)),
            overdue=Count("id", filter=Q(status__in=open_statuses, due_date__lt=today)),
            closed=Count("id", filter=~Q(status__in=open_statuses)),
        )
        .order_by()
    )
    counts = {kind: {"open": 0, "overdue": 0, "closed": 0} for kind in DemandKind.values}
    for row in rows:
        counts[row["kind"]] = {"open": row["open"], "overdue": row["overdue"], "closed": row["closed"]}
    closed = demands.filter(closed_at__isnull=False).annotate(
        took=ExpressionWrapper(F("closed_at") - F("record__date"), output_field=DurationField())
    )
    n = sum(c["closed"] for c in counts.values())
    median = None
    if n:
        ordered = closed.order_by("took").values_list("took", flat=True)
        middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
        if middle:
            median = sum(d.days for d in middle) / len(middle)
    return counts, median


def build_dashboard(year: Year, today: datetime.date) -> Dashboard:
    rows = review_rows(year)
    spring = figures.greeting_coverage(year, Occasion.SPRING_FESTIVAL)
    workers_day = figures.greeting_coverage(year, Occasion.WORKERS_DAY)
    teams = [
        TeamFigures(
            review=row,
            greeted_spring=spring.get(row.team.pk, (0, 0)),
            greeted_workers_day=workers_day.get(row.team.pk, (0, 0)),
        )
        for row in rows
    ]
    demand_counts, median = demand_figures(year, today)
    gap_counts = dict(coverage_gaps(year).values_list("kind").annotate(n=Count("id")).order_by())
    gaps = [(kind, OrgKind(kind).label, gap_counts[kind]) for kind in OrgKind.values if gap_counts.get(kind)]
    return Dashboard(
        year=year,
        today=today,
        teams=teams,
        records_by_month=records_by_month(year),
        demand_counts=demand_counts,
        median_days_to_close=median,
        gaps_by_kind=gaps,
    )
