"""The current figures of a year's teams: the stored rows that are still current, the rest recomputed.

liaison/compliance/figures.py defines every number and liaison/compliance/quotas.py the quota check; this module stores their answers
per team (liaison/compliance/models.py, TeamFigures) and decides whether they are still those of the data. A row is
current when it was computed at the version the writes have bumped it to (liaison/compliance/signals.py). Recomputing
any number of teams takes the same dozen grouped queries, so a page's query count does not depend on how many
teams changed since the last read.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import DatabaseError, transaction
from django.db.models import Case, Count, F, Q, Sum, When
from django.utils import timezone

from liaison.compliance import figures, quotas
from liaison.models import Occasion, Team, TeamFigures, TeamKind, Year, YearFigures

log = logging.getLogger(__name__)

COMPUTED = [
    "computed_version",
    "computed_at",
    "assigned",
    "uncontacted",
    "overdue",
    "dated",
    "visits",
    "visits_short",
    "scientists",
    "spring_greeted",
    "workers_day_greeted",
    "open_demands",
    "compliant",
    "shortfalls",
    "counts",
    "records",
    "days_to_close",
    "raised",
]
# What only the year's totals read: pages of teams need not parse it.
TOTALS_ONLY = ["records", "days_to_close", "raised"]


# Stored rows in the review's order: leader teams first, then department teams, each in the order of their leads
# (liaison TeamQuerySet.in_year_order).
IN_YEAR_ORDER = [
    Case(When(team__kind=TeamKind.LEADER, then=0), default=1),
    "team__lead__order",
    "team__lead_id",
]


def uncontacted_sentence(count: int) -> str:
    return f"{count} 个联系对象全年未联系"


def overdue_sentence(count: int) -> str:
    return f"{count} 个联系对象超过联系间隔未联系"


def visits_sentence(count: int, minimum: int) -> str:
    return f"下基层 {count} 次，少 {minimum - count} 次"


def of_year(year: Year):
    return TeamFigures.objects.filter(team__year=year)


def refresh(year: Year, team_ids: Iterable[int] | None = None) -> None:
    """Recompute the stored figures of the year's teams (or of the given ones) that are out of date."""
    teams = Team.objects.filter(year=year)
    if team_ids is not None:
        team_ids = list(team_ids)
        teams = teams.filter(pk__in=team_ids)
    # Only the stale teams come back (usually none): a team without figures yet (written in bulk by
    # seed_demo --scale), figures computed at another version, or figures that count overdue targets up to the
    # day they were computed, computed before today. Reading every team's versions instead cost ~10 ms of
    # Python on each dashboard at 2,000 teams (bench/results.md).
    start_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    stale_rows = (
        teams.filter(
            Q(figures__isnull=True)
            | ~Q(figures__version=F("figures__computed_version"))
            | Q(figures__dated=True, figures__computed_at__lt=start_of_today)
        )
        .order_by()
        .values_list("pk", "figures__version")
    )
    stale = {pk: version for pk, version in stale_rows}
    if not stale:
        return
    missing = [pk for pk, version in stale.items() if version is None]
    if missing:
        TeamFigures.objects.bulk_create([TeamFigures(team_id=pk) for pk in missing], ignore_conflicts=True)
        stale.update({pk: 0 for pk in missing})
    every_team = team_ids is None and len(stale) == teams.count()
    _compute(year, stale, every_team=every_team)


def current_rows(year: Year, team_ids: Iterable[int] | None = None):
    """The stored rows of every team of the year, or of the given teams of it, all current (refreshed
    first), as a queryset: for callers that read a few columns of them."""
    if team_ids is not None:
        team_ids = list(team_ids)
    refresh(year, team_ids)
    rows = of_year(year)
    return rows if team_ids is None else rows.filter(team_id__in=team_ids)


def current(
    year: Year, team_ids: Iterable[int] | None = None, *, totals: bool = False
) -> dict[int, TeamFigures]:
    """{team id: figures} for every team of the year, or for the given teams of it, all current. With totals,
    also the records and days to close that the year's totals add up."""
    rows = current_rows(year, team_ids).defer("computed_at", *([] if totals else TOTALS_ONLY))
    return {row.team_id: row for row in rows}


def _compute(year: Year, stale: dict[int, int], every_team: bool = False) -> None:
    """Compute the teams' figures from the shared definitions and store them at the version read for each.
    every_team: they are all the year's teams, so the queries need no list of teams."""
    ids = None if every_team else list(stale)
    kinds = dict(
        (Team.objects.filter(year=year) if ids is None else Team.objects.filter(pk__in=ids)).values_list(
            "pk", "kind"
        )
    )
    rules = quotas.rules_for_year(year)
    visit_minimums = quotas.visit_minimums(year)
    coverage, never = figures.contact_coverage(year, ids)
    today = timezone.localdate()
    intervals = figures.interval_rules(year)
    overdue = figures.overdue_assignments(year, ids, today=today) if intervals else {}
    # overdue can still change without a write while the year is not over
    dated_kinds = {kind for kind, _ in intervals} if today <= year.last_day else set()
    visits = figures.grassroots_visits(year, ids)
    spring = figures.greeting_coverage(year, Occasion.SPRING_FESTIVAL, ids)
    workers_day = figures.greeting_coverage(year, Occasion.WORKERS_DAY, ids)
    records = figures.records_by_month(year, ids)
    # overdue demands grow with the days too, while an open one is still to fall due
    demands, coming_due = figures.demand_counts(year, ids, today=today)
    days = figures.days_to_close(year, ids)
    raised = figures.raised_counts(year, ids)
    now = timezone.now()
    checks: dict[tuple, quotas.PlanCheck] = {}  # many teams share a kind and the same assigned counts
    rows = []
    for pk, version in stale.items():
        kind = kinds.get(pk)
        if kind is None:  # deleted meanwhile
            continue
        team_coverage = coverage.get(pk, {})
        assigned = {category: pair[0] for category, pair in team_coverage.items()}
        key = (kind, *sorted(assigned.items()))
        if key not in checks:
            checks[key] = quotas.check_plan(rules.get(kind, {}), assigned)
        uncontacted = sum(a - c for a, c in team_coverage.values())
        visit_count, visit_minimum = visits.get(pk, 0), visit_minimums.get(kind)
        visits_short = visit_minimum is not None and visit_count < visit_minimum
        shortfalls = list(checks[key].shortfalls)
        if uncontacted:
            shortfalls.append(uncontacted_sentence(uncontacted))
        team_overdue = overdue.get(pk, [])
        if team_overdue:
            shortfalls.append(overdue_sentence(len(team_overdue)))
        if visits_short:
            shortfalls.append(visits_sentence(visit_count, visit_minimum))
        team_demands = demands.get(pk, {})
        rows.append(
            TeamFigures(
                team_id=pk,
                version=version,
                computed_version=version,
                computed_at=now,
                assigned=sum(assigned.values()),
                uncontacted=uncontacted,
                overdue=len(team_overdue),
                dated=kind in dated_kinds or pk in coming_due,
                visits=visit_count,
                visits_short=visits_short,
                scientists=spring.get(pk, (0, 0))[1],
                spring_greeted=spring.get(pk, (0, 0))[0],
                workers_day_greeted=workers_day.get(pk, (0, 0))[0],
                open_demands=sum(pair[0] for pair in team_demands.values()),
                compliant=not shortfalls,
                shortfalls=shortfalls,
                counts={
                    "coverage": team_coverage,
                    "demands": team_demands,
                    "never": never.get(pk, []),
                    "overdue": team_overdue,
                },
                records=records.get(pk, {}),
                days_to_close={str(d): n for d, n in sorted(days.get(pk, {}).items())},
                raised=raised.get(pk, {}),
            )
        )
    try:
        _store(year, rows)
    except DatabaseError:  # e.g. a deadlock with a writer bumping the same teams: the next read stores them
        log.warning("team figures of %s computed but not stored", year, exc_info=True)


def _store(year: Year, rows: list[TeamFigures]) -> None:
    """Store the rows and move the year's totals by the difference, under a lock on the totals, so they
    always hold exactly the stored team figures (no totals yet: year_totals builds them)."""
    with transaction.atomic():
        totals = YearFigures.objects.select_for_update().filter(year=year).first()
        if totals is not None:
            old = TeamFigures.objects.filter(team_id__in=[row.team_id for row in rows]).only(
                "team_id", "computed_version", "records", "counts", "days_to_close", "raised"
            )
            for row in old:
                totals.add(row, -1)
        # One INSERT … ON CONFLICT DO UPDATE of the computed columns only: a version bumped meanwhile by a
        # writer stays bumped (bulk_update's CASE per row is quadratic: 2,000 teams took seconds).
        TeamFigures.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["team"], update_fields=COMPUTED
        )
        if totals is not None:
            for row in rows:
                totals.add(row)
            totals.save()


def recompute(year: Year) -> int:
    """Recompute and store every team of the year (after a restore or a bulk load): the number of teams."""
    TeamFigures.objects.bulk_create(
        [TeamFigures(team_id=pk) for pk in year.teams.values_list("pk", flat=True)], ignore_conflicts=True
    )
    versions = dict(of_year(year).values_list("team_id", "version"))
    _compute(year, versions, every_team=True)
    return len(versions)


# (rows, sum of computed versions) of computed team figures, as aggregates: what the year's totals must hold
INCLUDED = {
    "included_rows": Count("team", filter=Q(computed_version__gte=0)),
    "included_versions": Sum("computed_version", filter=Q(computed_version__gte=0)),
}


def _included(year: Year) -> tuple[int, int]:
    """(rows, sum of computed versions) of the year's computed team figures: what the totals must hold."""
    summary = of_year(year).aggregate(**INCLUDED)
    return summary["included_rows"], summary["included_versions"] or 0


def year_totals(year: Year, included: tuple[int, int] | None = None) -> YearFigures:
    """The year's records by month and method, demands by kind ([open, closed, overdue]), days to close and the
    demands raised by kind and topic (诉求热点): the
    sum of the teams' current figures (call refresh first). Kept up to date by _store; rebuilt from every
    team's figures when they do not hold what the table holds. `included`: the table's (rows, versions) when
    the caller has read them with INCLUDED in its own query (the dashboard)."""
    stored = YearFigures.objects.filter(year=year).first()
    if stored is not None and (stored.team_rows, stored.version_sum) == (included or _included(year)):
        return stored
    with transaction.atomic():
        YearFigures.objects.get_or_create(year=year)
        totals = YearFigures.objects.select_for_update().get(year=year)
        totals.team_rows, totals.version_sum = 0, 0
        totals.records, totals.demands, totals.days_to_close, totals.raised = {}, {}, {}, {}
        for row in of_year(year).only(
            "team_id", "computed_version", "records", "counts", "days_to_close", "raised"
        ):
            totals.add(row)
        totals.save()
    return totals
