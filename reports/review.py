"""The year-end review (年度考评) of every team: the one builder behind the page and `manage.py review`.

The result is exactly the JSON of spec/workbook.md ("The year-end review, for machines"), a public
interface: keys are only ever added, never renamed. Numbers come from reports/figures.py (the shared
definitions of contacted, grassroots visit and open demand) and liaison/quotas.py (the quota check),
in a fixed number of queries whatever the number of teams.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from liaison import quotas
from liaison.models import QuotaCategory, Team, TeamKind, Year
from reports import figures


def uncontacted_sentence(count: int) -> str:
    return f"{count} 个联系对象全年未联系"


def visits_sentence(count: int, minimum: int) -> str:
    return f"下基层 {count} 次，少 {minimum - count} 次"


@dataclass(frozen=True)
class TeamReview:
    """One team's review: the team (for pages) and its row of the JSON (for everyone)."""

    team: Team
    data: dict[str, Any]

    @property
    def category_rows(self) -> list[dict[str, Any]]:
        """Per category, in the policy's order, for the page: label, figures, the range as text, and whether
        the assigned count is within the range and every target was contacted."""
        return [
            {
                "label": QuotaCategory(key).label,
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
    """The review of spec/workbook.md as a dict, ready for json.dumps."""
    return {"year": year.year, "teams": [row.data for row in review_rows(year)]}


def review_rows(year: Year, team_ids: Iterable[int] | None = None) -> list[TeamReview]:
    """Per team each quota category's assigned/contacted/min/max, grassroots visits
    against the minimum, targets never contacted, open demands, compliant or not, and the shortfalls.

    compliant = every category min ≤ assigned ≤ max, every assigned target contacted, and the grassroots
    visits reach their minimum (spec/workbook.md). Leader teams come first, then department teams, each in
    the order of their leads. With team_ids, only those teams (one person's, for the duty report).
    """
    teams = Team.objects.filter(year=year).select_related("lead__user").for_year_list()
    if team_ids is not None:
        team_ids = list(team_ids)
        teams = teams.filter(pk__in=team_ids)
    teams = list(teams)
    rules = quotas.rules_for_year(year)
    visit_minimums = quotas.visit_minimums(year)
    assigned = quotas.assigned_counts(teams if team_ids is not None else None, year=year)
    contacted = figures.contacted_counts(year, team_ids)
    uncontacted = figures.uncontacted_targets(year, team_ids)
    visits = figures.grassroots_visits(year, team_ids)
    demands = figures.open_demands(year, team_ids)

    rows = []
    for team in teams:
        kind_rules = rules.get(team.kind, {})
        check = quotas.check_plan(kind_rules, assigned.get(team.pk, {}))
        team_contacted = contacted.get(team.pk, {})
        categories = {
            c.category: {
                "assigned": c.assigned,
                "contacted": team_contacted.get(c.category, 0),
                "min": c.minimum,
                "max": c.maximum,
            }
            for c in check.categories
        }
        never = uncontacted.get(team.pk, [])
        visit_count = visits.get(team.pk, 0)
        visit_minimum = visit_minimums.get(team.kind)
        shortfalls = list(check.shortfalls)
        if never:
            shortfalls.append(uncontacted_sentence(len(never)))
        if visit_minimum is not None and visit_count < visit_minimum:
            shortfalls.append(visits_sentence(visit_count, visit_minimum))
        rows.append(
            TeamReview(
                team,
                {
                    "team": team.name,
                    "leader": team.lead.user.get_username(),
                    "kind": TeamKind(team.kind).value,
                    "categories": categories,
                    "grassroots_visits": {"count": visit_count, "min": visit_minimum},
                    "uncontacted_targets": never,
                    "open_demands": demands.get(team.pk, 0),
                    "compliant": not shortfalls,
                    "shortfalls": shortfalls,
                },
            )
        )
    return rows
