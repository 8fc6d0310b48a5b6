"""THE one definition of a year's liaison network (点、线、面, seed 000 §五.3): who keeps in touch with each
active scientist of the registry. The `network` command, the network page, its counts, the list of scientists
with no link, the dashboard's card and the scientist's page all read this module.

- 点: a leader team (领导专班), 线: a department team (部室专班), each through an assignment of that year naming
  the scientist that is in force at the end of the year — the review's own definition
  (liaison.compliance.figures.assignments_at_year_end; for the current year, in force today);
- 面: a grassroots officer, through a line of a filing in force that year (已报备 or 已确认, the latest such
  revision: liaison.filing.services.lines_in_force).

Each reading costs a fixed number of queries, whatever the size: the links are read as flat value rows
(two queries) and joined in memory, or tested in the database with Exists over the same two querysets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from experts.models import Scientist
from liaison.compliance.figures import assignments_at_year_end
from liaison.filing.services import lines_in_force
from liaison.models import Assignment, FilingEntry, TeamKind, Year
from orgs.models import OfficerPost

# The three layers, in the policy's order, as the pages name them.
LAYERS = (("points", "点", "领导专班"), ("lines", "线", "部室专班"), ("surfaces", "面", "基层组织负责人"))


@dataclass(frozen=True)
class Surface:
    organization: str
    officer: str
    post: str  # the post's Chinese label, e.g. 秘书长
    organization_id: int

    def as_json(self) -> dict[str, str]:
        return {"organization": self.organization, "officer": self.officer, "post": self.post}


@dataclass
class Links:
    """One scientist's links in a year: team names (as the review's JSON names teams) and officers."""

    points: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    surfaces: list[Surface] = field(default_factory=list)
    # The teams' ids, in the order of points then lines, for pages that link to them.
    team_ids: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.points) + len(self.lines) + len(self.surfaces)

    @property
    def point_teams(self) -> list[tuple[str, int]]:
        return [(name, self.team_ids[name]) for name in self.points]

    @property
    def line_teams(self) -> list[tuple[str, int]]:
        return [(name, self.team_ids[name]) for name in self.lines]


def team_assignments(year: Year) -> QuerySet[Assignment]:
    """The assignments that make 点 and 线: the year's, in force at its end, naming an active scientist."""
    return assignments_at_year_end(year).filter(scientist__isnull=False, scientist__is_active=True)


def officer_lines(year: Year) -> QuerySet[FilingEntry]:
    """The filing lines that make 面: those of revisions in force, naming an active scientist."""
    return lines_in_force(year).filter(scientist__is_active=True)


def linked_q(year: Year) -> Q:
    """True for a scientist with at least one link in the year (the same two querysets, in the database)."""
    return Q(Exists(team_assignments(year).filter(scientist=OuterRef("pk")))) | Q(
        Exists(officer_lines(year).filter(scientist=OuterRef("pk")))
    )


def unlinked_scientists(year: Year) -> QuerySet[Scientist]:
    """Active scientists with no link in the year (the page's list, the dashboard's card)."""
    return Scientist.objects.active().exclude(linked_q(year))


def links_by_scientist(year: Year, scientist_ids: Iterable[int] | None = None) -> dict[int, Links]:
    """Every active scientist with a link in the year (or only the given ones), with their links. Two
    queries; teams in the year's order (leader teams first, by the lead's order), officers by organisation."""
    teams = team_assignments(year)
    officers = officer_lines(year)
    if scientist_ids is not None:
        ids = list(scientist_ids)
        teams, officers = teams.filter(scientist_id__in=ids), officers.filter(scientist_id__in=ids)
    result: dict[int, Links] = {}
    team_rows = teams.order_by("team__kind", "team__lead__order", "team_id").values_list(
        "scientist_id", "team__kind", "team__name", "team_id"
    )
    # the whole year's network streams (a server-side cursor); a few scientists' links are one plain read
    # (a cursor costs three round trips more: the scientist's page)
    whole = scientist_ids is None
    for scientist_id, kind, name, team_id in team_rows.iterator(chunk_size=5000) if whole else team_rows:
        links = result.setdefault(scientist_id, Links())
        names = links.points if kind == TeamKind.LEADER else links.lines
        if name not in names:
            names.append(name)
            links.team_ids[name] = team_id
    officer_rows = officers.order_by(
        "revision__filing__organization__name_pinyin",
        "revision__filing__organization_id",
        "officer_name",
        "id",
    ).values_list(
        "scientist_id",
        "revision__filing__organization__name",
        "officer_name",
        "post",
        "revision__filing__organization_id",
    )
    for scientist_id, organization, officer, post, organization_id in (
        officer_rows.iterator(chunk_size=5000) if whole else officer_rows
    ):
        links = result.setdefault(scientist_id, Links())
        surface = Surface(organization, officer, _post_label(post), organization_id)
        if surface not in links.surfaces:
            links.surfaces.append(surface)
    return result


def _post_label(post: str) -> str:
    return OfficerPost(post).label if post in OfficerPost.values else post


def links_of(year: Year, scientist: Scientist) -> Links:
    """One scientist's links (the scientist's page): two small queries."""
    return links_by_scientist(year, [scientist.pk]).get(scientist.pk, Links())


def build_network(year: Year) -> dict[str, Any]:
    """The JSON of docs/workbook.md ("The liaison network, for machines"), ready for json.dumps: every active
    scientist by pinyin then id, in `scientists` with their links or in `unlinked`. Three queries."""
    links = links_by_scientist(year)
    scientists: list[dict[str, Any]] = []
    unlinked: list[dict[str, str]] = []
    for pk, name, employer in _active_scientists():
        found = links.get(pk)
        if found is None:
            unlinked.append({"name": name, "employer": employer})
            continue
        scientists.append(
            {
                "name": name,
                "employer": employer,
                "points": found.points,
                "lines": found.lines,
                "surfaces": [s.as_json() for s in found.surfaces],
            }
        )
    return {"year": year.year, "scientists": scientists, "unlinked": unlinked}


def _active_scientists() -> Iterator[tuple[int, str, str]]:
    return (
        Scientist.objects.active()
        .order_by("name_pinyin", "id")
        .values_list("id", "name", "employer")
        .iterator(chunk_size=5000)
    )


def _per_scientist(year: Year) -> tuple[str, list]:
    """SQL (and its parameters) of one row per active scientist with a link in the year: (scientist_id,
    points, lines, surfaces), the links of each layer counted from the same two querysets as
    links_by_scientist (a team names a scientist at most once while in force, and a revision names an
    officer–scientist pair once, so counting rows counts the links). Counted by the database: reading the
    year's ~50,000 link rows into Python for every count and list cost ~100 ms of CPU at N = 100,000."""
    leader = Q(team__kind=TeamKind.LEADER)
    teams = (
        team_assignments(year)
        .order_by()
        .annotate(
            n_points=Case(When(leader, then=Value(1)), default=Value(0)),
            n_lines=Case(When(leader, then=Value(0)), default=Value(1)),
            n_surfaces=Value(0),
        )
        .values_list("scientist_id", "n_points", "n_lines", "n_surfaces")
    )
    officers = (
        officer_lines(year)
        .order_by()
        .annotate(n_points=Value(0), n_lines=Value(0), n_surfaces=Value(1))
        .values_list("scientist_id", "n_points", "n_lines", "n_surfaces")
    )
    teams_sql, teams_params = teams.query.sql_with_params()
    officers_sql, officers_params = officers.query.sql_with_params()
    sql = (
        "SELECT scientist_id, SUM(n_points) AS points, SUM(n_lines) AS lines, SUM(n_surfaces) AS surfaces "
        f"FROM ({teams_sql} UNION ALL {officers_sql}) AS links GROUP BY scientist_id"
    )
    return sql, [*teams_params, *officers_params]


def _layers(points: int, lines: int, surfaces: int) -> str:
    """Which layers link a scientist, as the page's combinations read: "点线面", "点", "线面" …"""
    present = {"points": points, "lines": lines, "surfaces": surfaces}
    return "".join(mark for (attr, mark, _) in LAYERS if present[attr])


@dataclass(frozen=True)
class Summary:
    """The network page's counts: active scientists by number of links and by the layers that link them."""

    active: int
    by_count: dict[str, int]  # "0", "1", "2", "3+"
    by_layers: dict[str, int]  # "点线面", "点线", … "" (none)

    @property
    def linked(self) -> int:
        return self.active - self.by_count["0"]


# The layer combinations in the order the page lists them.
LAYER_COMBINATIONS = ("点线面", "点线", "点面", "线面", "点", "线", "面")
COUNT_BUCKETS = ("0", "1", "2", "3+")


def count_bucket(n: int) -> str:
    return "3+" if n >= 3 else str(n)


def summarize(year: Year) -> Summary:
    """Counts of the page, from the same links as the JSON (two queries): the linked scientists grouped by
    their number of links (3 for three or more) and by which layers link them."""
    per_scientist, params = _per_scientist(year)
    sql = (
        "SELECT CASE WHEN points + lines + surfaces >= 3 THEN 3 ELSE points + lines + surfaces END, "
        "points > 0, lines > 0, surfaces > 0, COUNT(*) "
        f"FROM ({per_scientist}) AS tally GROUP BY 1, 2, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    active = Scientist.objects.active().count()
    by_count: Counter[str] = Counter()
    by_layers: Counter[str] = Counter()
    for n, points, lines, surfaces, scientists in rows:
        by_count[count_bucket(n)] += scientists
        by_layers[_layers(points, lines, surfaces)] += scientists
    linked = sum(by_count.values())
    by_count["0"] = by_layers[""] = active - linked
    return Summary(
        active=active,
        by_count={bucket: by_count.get(bucket, 0) for bucket in COUNT_BUCKETS},
        by_layers={combo: by_layers.get(combo, 0) for combo in (*LAYER_COMBINATIONS, "")},
    )


def linked_where(year: Year, *, links: str = "", layers: str = "") -> RawSQL:
    """The ids of the linked scientists behind one of the page's counts (a number of links "1", "2", "3+", or a
    combination of layers such as "点面"), as a subquery for `pk__in`, so that every figure opens the list
    it counts and the database pages it."""
    per_scientist, params = _per_scientist(year)
    total = "points + lines + surfaces"
    if links == "3+":
        condition = f"{total} >= 3"
    elif links:
        condition, params = f"{total} = %s", [*params, int(links)]
    else:
        condition = " AND ".join(f"{attr} {'> 0' if mark in layers else '= 0'}" for (attr, mark, _) in LAYERS)
    return RawSQL(f"SELECT scientist_id FROM ({per_scientist}) AS tally WHERE {condition}", params)


def linked_ids_where(year: Year, *, links: str = "", layers: str = "") -> set[int]:
    """The ids behind one count (linked_where), read."""
    ids = Scientist.objects.filter(pk__in=linked_where(year, links=links, layers=layers))
    return set(ids.values_list("pk", flat=True))
