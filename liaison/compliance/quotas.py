"""Quota compliance of a team's plan (seed 000 §五): one place, plain functions, numbers from data.

`check_plan` is pure: given the rules of the team's kind and the team's assigned targets per category it says,
per category, assigned / min / max / status and the shortfalls in Chinese. The query helpers below feed it
with a fixed number of queries whatever the number of teams.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count

from liaison.compliance import categories
from liaison.models import Assignment, QuotaRule, Team, VisitQuota, Year

CATEGORY_ORDER = categories.BUILTIN_ORDER  # built-in categories; added ones sort after them by name


class Status:
    OK = "ok"
    SHORT = "short"
    OVER = "over"


@dataclass(frozen=True)
class Range:
    minimum: int
    maximum: int | None = None
    interval_days: int | None = (
        None  # every target contacted at least once in every stretch of that many days
    )

    def __str__(self) -> str:
        if self.maximum is None:
            return f"≥ {self.minimum}"
        if self.maximum == self.minimum:
            return str(self.minimum)
        return f"{self.minimum}–{self.maximum}"


@dataclass(frozen=True)
class CategoryCheck:
    category: str
    assigned: int
    minimum: int
    maximum: int | None
    status: str
    shortfall: str | None
    interval_days: int | None = None

    @property
    def label(self) -> str:
        return categories.label(self.category)

    @property
    def range_text(self) -> str:
        return str(Range(self.minimum, self.maximum))


@dataclass
class PlanCheck:
    categories: list[CategoryCheck] = field(default_factory=list)
    uncounted: int = 0  # targets in force that count toward no category of this kind of team

    @property
    def shortfalls(self) -> list[str]:
        return [c.shortfall for c in self.categories if c.shortfall]

    @property
    def compliant(self) -> bool:
        return not self.shortfalls

    def by_category(self) -> dict[str, CategoryCheck]:
        return {c.category: c for c in self.categories}


def check_category(category: str, assigned: int, rule: Range) -> CategoryCheck:
    """One category against its range. The label and unit are looked up only for a shortfall: the teams
    list checks every team of the year (2,000 teams × 5–6 categories at province scale)."""
    if assigned < rule.minimum:
        status, gap = Status.SHORT, f"少 {rule.minimum - assigned}"
    elif rule.maximum is not None and assigned > rule.maximum:
        status, gap = Status.OVER, f"超出上限 {assigned - rule.maximum}"
    else:
        return CategoryCheck(
            category, assigned, rule.minimum, rule.maximum, Status.OK, None, rule.interval_days
        )
    text = f"{categories.label(category)} {gap} {categories.unit(category)}"
    return CategoryCheck(category, assigned, rule.minimum, rule.maximum, status, text, rule.interval_days)


def check_plan(rules: Mapping[str, Range], assigned: Mapping[str, int]) -> PlanCheck:
    """Every category the rules set for the team's kind, in the policy's order (added categories after the
    built-in ones); no rule, no requirement."""
    checks = [
        check_category(category, assigned.get(category, 0), rules[category])
        for category in categories.ordered(rules)
    ]
    uncounted = sum(n for category, n in assigned.items() if category not in rules)
    return PlanCheck(categories=checks, uncounted=uncounted)


# --- queries -------------------------------------------------------------------------------------------


def rules_for_year(year: Year) -> dict[str, dict[str, Range]]:
    """{team kind: {category: Range}} for a year: one query."""
    rules: dict[str, dict[str, Range]] = defaultdict(dict)
    for rule in QuotaRule.objects.filter(year=year):
        rules[rule.team_kind][rule.category] = Range(rule.minimum, rule.maximum, rule.contact_interval_days)
    return rules


def visit_minimums(year: Year) -> dict[str, int]:
    """{team kind: the team's yearly minimum of grassroots visits}, kinds without one left out."""
    rows = VisitQuota.objects.filter(year=year, minimum__isnull=False)
    return dict(rows.values_list("team_kind", "minimum"))


def person_visit_minimums(year: Year) -> dict[str, int]:
    """{team kind: a member's own yearly minimum of grassroots visits}, kinds without one left out."""
    rows = VisitQuota.objects.filter(year=year, person_minimum__isnull=False)
    return dict(rows.values_list("team_kind", "person_minimum"))


def assigned_counts(
    teams: Iterable[Team] | None = None, *, year: Year | None = None
) -> dict[int, dict[str, int]]:
    """{team id: {category: targets in force at year end}}: one grouped query."""
    queryset = Assignment.objects.in_force_at_year_end()
    if year is not None:
        queryset = queryset.filter(team__year=year)
    if teams is not None:
        queryset = queryset.filter(team__in=[t.pk for t in teams])
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in queryset.values("team_id", "category").annotate(n=Count("id")).order_by():
        counts[row["team_id"]][row["category"] or ""] = row["n"]
    return counts


def check_teams(teams: list[Team], year: Year) -> dict[int, PlanCheck]:
    """The plan check of many teams of one year in two queries."""
    rules = rules_for_year(year)
    counts = assigned_counts(teams)
    return {team.pk: check_plan(rules.get(team.kind, {}), counts.get(team.pk, {})) for team in teams}


def check_year(year: Year) -> dict[int, tuple[str, PlanCheck]]:
    """{team id: (team kind, plan check)} of every team of a year in three queries whatever the number of
    teams (the rules, the teams' kinds, the counts grouped by team): the year-wide figures of the teams list,
    without loading the teams themselves or sending their ids back to the database."""
    rules = rules_for_year(year)
    counts = assigned_counts(year=year)
    kinds = Team.objects.filter(year=year).values_list("pk", "kind").order_by()
    return {pk: (kind, check_plan(rules.get(kind, {}), counts.get(pk, {}))) for pk, kind in kinds}
