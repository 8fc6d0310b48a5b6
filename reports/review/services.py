"""The year-end review (年度考评) of every team: the one builder behind the page and `manage.py review`.

The result is exactly the JSON of docs/workbook.md ("The year-end review, for machines"), a public
interface: keys are only ever added, never renamed. Numbers come from liaison/compliance/figures.py (the shared
definitions of contacted, grassroots visit and open demand) and liaison/compliance/quotas.py (the quota check),
in a fixed number of queries whatever the number of teams.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import F, prefetch_related_objects

from liaison.compliance import categories, figures, quotas, team_figures
from liaison.models import Team, TeamFigures, TeamKind, Year

# What the review reads of 2,000 teams at a province's scale (no timestamps or notes to parse); pages load
# the lead of the teams they show (with_leads).
TEAM_FIELDS = ["id", "name", "kind", "year", "lead"]


@dataclass(frozen=True)
class TeamReview:
    """One team's review: the team (for pages) and its row of the JSON (for everyone)."""

    team: Team
    data: dict[str, Any]
    figures: TeamFigures
    # Targets never contacted; their names are in data["uncontacted_targets"] once loaded (with_names).
    uncontacted: int

    @property
    def category_rows(self) -> list[dict[str, Any]]:
        """Per category, in the policy's order, for the page: label, figures, the range as text, and whether
        the assigned count is within the range and every target was contacted."""
        return [
            {
                "label": categories.label(key),
                **value,
                "range": str(quotas.Range(value["min"], value["max"])),
                "in_range": value["min"] <= value["assigned"]
                and (value["max"] is None or value["assigned"] <= value["max"]),
                "all_contacted": value["contacted"] >= value["assigned"],
            }
            for key, value in self.data["categories"].items()
        ]

    @property
    def visits_short(self) -> bool:
        visits = self.data["grassroots_visits"]
        return visits["min"] is not None and visits["count"] < visits["min"]


def build_review(year: Year) -> dict[str, Any]:
    """The review of docs/workbook.md as a dict, ready for json.dumps."""
    return {"year": year.year, "teams": [row.data for row in review_rows(year, names=True)]}


def with_leads(rows: list[TeamReview]) -> list[TeamReview]:
    """The rows with their teams' leads loaded (one query), for pages that name them."""
    prefetch_related_objects([row.team for row in rows], "lead")
    return rows


def with_names(rows: list[TeamReview]) -> list[TeamReview]:
    """The rows with the names of their targets never contacted and overdue (one query for all of them), in
    the policy's order of categories, then by pinyin."""
    ids = [pk for row in rows for pk in (*row.figures.never_contacted, *row.figures.overdue_ids)]
    names = figures.target_names_by_id(ids) if ids else {}
    rank = {pk: i for i, pk in enumerate(names)}

    def named(pks: list[int]) -> list[str]:
        return [names[pk] for pk in sorted((pk for pk in pks if pk in rank), key=rank.__getitem__)]

    return [
        replace(
            row,
            data={
                **row.data,
                "uncontacted_targets": named(row.figures.never_contacted),
                "overdue_targets": named(row.figures.overdue_ids),
            },
        )
        for row in rows
    ]


def review_rows(
    year: Year, team_ids: Iterable[int] | None = None, *, names: bool = False, totals: bool = False
) -> list[TeamReview]:
    """Per team each quota category's assigned/contacted/min/max, grassroots visits
    against the minimum, targets never contacted, open demands, compliant or not, and the shortfalls.

    compliant = every category min ≤ assigned ≤ max, every assigned target contacted, and the grassroots
    visits reach their minimum (docs/workbook.md; computed and stored by liaison/compliance/team_figures.py). Leader teams
    come first, then department teams, each in the order of their leads. With team_ids, only those teams (one
    person's, a page's). The names of the targets never contacted are loaded with names=True, or later for a
    page of rows (with_names); without them data["uncontacted_targets"] is empty and TeamReview.uncontacted
    counts them. With totals, the figures the year's totals add up are read too (records, days to close).
    """
    teams = (
        Team.objects.filter(year=year)
        .in_year_order()
        .annotate(leader=F("lead__user__username"))
        .only(*TEAM_FIELDS)  # 2,000 teams at a province's scale: no timestamps, no notes to parse
    )
    if team_ids is not None:
        team_ids = list(team_ids)
        teams = teams.filter(pk__in=team_ids)
    teams = list(teams)
    rules = quotas.rules_for_year(year)
    visit_minimums = quotas.visit_minimums(year)
    stored = team_figures.current(year, team_ids, totals=totals)

    checks: dict[tuple, quotas.PlanCheck] = {}  # many teams share a kind and the same assigned counts
    rows = []
    for team in teams:
        counts = stored[team.pk]
        assigned = counts.assigned_by_category
        key = (team.kind, *sorted(assigned.items()))
        if key not in checks:
            checks[key] = quotas.check_plan(rules.get(team.kind, {}), assigned)
        contacted = counts.contacted
        categories = {
            c.category: {
                "assigned": c.assigned,
                "contacted": contacted.get(c.category, 0),
                "min": c.minimum,
                "max": c.maximum,
                "interval_days": c.interval_days,
            }
            for c in checks[key].categories
        }
        rows.append(
            TeamReview(
                team,
                {
                    "team": team.name,
                    "leader": team.leader,
                    "kind": TeamKind(team.kind).value,
                    "categories": categories,
                    "grassroots_visits": {"count": counts.visits, "min": visit_minimums.get(team.kind)},
                    "uncontacted_targets": [],
                    "overdue_targets": [],
                    "open_demands": counts.open_demands,
                    "compliant": counts.compliant,
                    "shortfalls": list(counts.shortfalls),
                },
                counts,
                counts.uncontacted,
            )
        )
    return with_names(rows) if names else rows
