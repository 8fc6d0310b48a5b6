"""The current figures of many teams: the stored rows that are still current, the rest recomputed.

reports/figures.py defines every number; this module only decides whether a team's stored numbers
(reports/models.py, TeamFigures) are still those of its data. A row is current when it was computed at the
version the writes have bumped it to (reports/signals.py). Recomputing any number of teams takes the same
dozen grouped queries, so a page's query count does not depend on how many teams changed since the last read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, transaction
from django.utils import timezone

from liaison.models import Occasion, Year
from reports import figures
from reports.models import TeamFigures

log = logging.getLogger(__name__)

# The occasions whose greeting coverage the dashboard shows (DOMAIN.md: 春节 and 30 May).
GREETED_OCCASIONS = (Occasion.SPRING_FESTIVAL, Occasion.WORKERS_DAY)
FIELDS = ["visits", "scientists", "counts", "records", "days_to_close", "computed_version", "computed_at"]
# What pages without the year's totals need not parse (reports/models.py).
TOTALS_ONLY = ["records", "days_to_close"]


def current(
    year: Year, team_ids: Iterable[int] | None = None, *, totals: bool = True
) -> dict[int, TeamFigures]:
    """{team id: figures} for every team of the year, or for the given teams of it, all current. Without
    totals, records and days_to_close are not read (unless they had to be recomputed)."""
    if team_ids is not None:
        team_ids = list(team_ids)
    stored = TeamFigures.objects.filter(team__year=year).defer(
        "computed_at", *([] if totals else TOTALS_ONLY)
    )
    if team_ids is not None:
        stored = stored.filter(team_id__in=team_ids)
    rows = {row.team_id: row for row in stored}
    wanted = team_ids if team_ids is not None else year.teams.values_list("pk", flat=True)
    missing = [pk for pk in wanted if pk not in rows]
    if missing:  # teams written in bulk (seed_demo --scale) have no row yet
        TeamFigures.objects.bulk_create([TeamFigures(team_id=pk) for pk in missing], ignore_conflicts=True)
        rows.update({pk: TeamFigures(team_id=pk) for pk in missing})
    stale = [row for row in rows.values() if not row.is_current]
    if stale:
        _compute(year, stale, every_team=team_ids is None and len(stale) == len(rows))
    return rows


def _compute(year: Year, rows: list[TeamFigures], every_team: bool = False) -> None:
    """Fill the rows from the shared definitions and store them at the version they were read at.
    every_team: the rows are all the year's teams, so the queries need no list of teams."""
    ids = None if every_team else [row.team_id for row in rows]
    coverage = figures.contact_coverage(year, ids)
    visits = figures.grassroots_visits(year, ids)
    greetings = {occasion: figures.greeting_coverage(year, occasion, ids) for occasion in GREETED_OCCASIONS}
    records = figures.records_by_month(year, ids)
    demands = figures.demand_counts(year, ids)
    days = figures.days_to_close(year, ids)
    now = timezone.now()
    for row in rows:
        pk = row.team_id
        row.visits = visits.get(pk, 0)
        row.scientists = next((pairs[pk][1] for pairs in greetings.values() if pk in pairs), 0)
        row.counts = {
            "coverage": coverage.get(pk, {}),
            "greeted": {occasion: pairs.get(pk, (0, 0))[0] for occasion, pairs in greetings.items()},
            "demands": demands.get(pk, {}),
        }
        row.records = records.get(pk, {})
        row.days_to_close = {str(d): n for d, n in sorted(days.get(pk, {}).items())}
        row.computed_version = row.version
        row.computed_at = now
    try:
        with transaction.atomic():
            # One INSERT … ON CONFLICT DO UPDATE of the computed columns only: a version bumped meanwhile by a
            # writer stays bumped (and bulk_update's CASE per row is quadratic: 2,000 teams took seconds).
            TeamFigures.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["team"], update_fields=FIELDS
            )
    except DatabaseError:  # e.g. a deadlock with a writer bumping the same teams: the next read stores them
        log.warning("team figures of %s computed but not stored", year, exc_info=True)


def recompute(year: Year) -> int:
    """Recompute and store every team of the year (after a restore or a bulk load): the number of teams."""
    rows = {row.team_id: row for row in TeamFigures.objects.filter(team__year=year)}
    missing = [pk for pk in year.teams.values_list("pk", flat=True) if pk not in rows]
    TeamFigures.objects.bulk_create([TeamFigures(team_id=pk) for pk in missing], ignore_conflicts=True)
    rows.update({pk: TeamFigures(team_id=pk) for pk in missing})
    _compute(year, list(rows.values()), every_team=True)
    return len(rows)
