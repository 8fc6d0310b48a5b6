"""The one definition of a complete 科技工作者之家 and of the 联系点 / 示范点 flags in a year (seed 002).

A home is complete (已建成) in a year when all five points of its checklist (组织、阵地、经费、项目、制度到位)
are marked done for that year; with some but not all, it is 建设中; with none, 未开展. An association is a
联系点 or 示范点 in a year when it was named in or before that year and not withdrawn by then.

Every page, the dashboard, the roll-up and the export read these functions; nothing else counts points.
Everything here is computed in the database, so a list of any size costs one query.

Which organisations can have a home: the grassroots associations that file their division of liaison
(liaison.models.FILING_KINDS: 区县、学会、企业、高校院所科协、农技协、乡镇（街道）、村（社区）科协). Seed 002
asks 乡镇（街道）科协、学（协）会、企业科协 to build homes; the county associations and their villages are the
levels of the same network (seed 004). 兼职副主席单位 (an employer, not an association) and 其他 have none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from homes.models import DesignationKind, HomeCheck, HomeDesignation, Point
from liaison.models import FILING_KINDS
from orgs.models import Organization, OrgKind

HOME_KINDS = FILING_KINDS
POINT_COUNT = len(Point)


class State:
    COMPLETE = "complete"
    PARTIAL = "partial"
    NONE = "none"


STATE_LABELS = {State.COMPLETE: "已建成", State.PARTIAL: "建设中", State.NONE: "未开展"}
STATE_BADGES = {
    State.COMPLETE: "text-bg-success",
    State.PARTIAL: "text-bg-warning",
    State.NONE: "text-bg-light",
}


def kind_rank() -> Case:
    """Sorts associations in HOME_KINDS' order (区县 first … 村 last)."""
    return Case(
        *(When(kind=k, then=Value(i)) for i, k in enumerate(HOME_KINDS)),
        default=Value(len(HOME_KINDS)),
        output_field=IntegerField(),
    )


def home_organizations() -> QuerySet[Organization]:
    """The associations that can have a home: active, of HOME_KINDS."""
    return Organization.objects.active().filter(kind__in=HOME_KINDS)


def can_have_home(organization: Organization) -> bool:
    return organization.is_active and organization.kind in HOME_KINDS


def points_done(year: int, organization: str = "pk") -> Coalesce:
    """How many points of the organisation's checklist are done in `year` (a subquery)."""
    done = (
        HomeCheck.objects.filter(organization=OuterRef(organization), year=year, done=True)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(done, output_field=IntegerField()), Value(0))


def designation_in_force(year: int) -> Q:
    """HomeDesignation rows in force in `year`."""
    return Q(year_named__lte=year) & (Q(year_withdrawn__isnull=True) | Q(year_withdrawn__gt=year))


def designated_ids(kind: str, year: int) -> QuerySet[HomeDesignation]:
    """The ids of the organisations that are a `kind` (联系点 / 示范点) in `year`."""
    return HomeDesignation.objects.filter(designation_in_force(year), kind=kind).values("organization_id")


def ids_with_points(year: int, at_least: int) -> QuerySet[HomeCheck]:
    """The ids of the organisations with at least `at_least` points of their checklist done in `year`."""
    return (
        HomeCheck.objects.filter(year=year, done=True)
        .order_by()
        .values("organization_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=at_least)
        .values("organization_id")
    )


def with_home_state(organizations: QuerySet[Organization], year: int) -> QuerySet[Organization]:
    """Each organisation with `points_done`, `home_state` (State), `contact_point` and `demo_point` in `year`.

    The state and the flags test membership in one list each (`pk IN (…)`), which PostgreSQL builds once per
    query and probes by hash; a subquery per organisation (points_done) ran twice for each of them, so the
    dashboard's count over 3,000 associations took 14 ms. points_done is there for the pages that show it."""
    return organizations.annotate(
        points_done=points_done(year),
        contact_point=ExpressionWrapper(
            Q(pk__in=designated_ids(DesignationKind.CONTACT_POINT, year)), output_field=BooleanField()
        ),
        demo_point=ExpressionWrapper(
            Q(pk__in=designated_ids(DesignationKind.DEMO_POINT, year)), output_field=BooleanField()
        ),
        home_state=Case(
            When(pk__in=ids_with_points(year, POINT_COUNT), then=Value(State.COMPLETE)),
            When(pk__in=ids_with_points(year, 1), then=Value(State.PARTIAL)),
            default=Value(State.NONE),
            output_field=CharField(),
        ),
    )


COMPLETE = Q(home_state=State.COMPLETE)


@dataclass
class Tally:
    """Associations counted: all, complete homes, 联系点, 示范点."""

    total: int = 0
    complete: int = 0
    contact_points: int = 0
    demo_points: int = 0

    def add(self, other: Tally) -> None:
        self.total += other.total
        self.complete += other.complete
        self.contact_points += other.contact_points
        self.demo_points += other.demo_points

    @property
    def share(self) -> int | None:
        return round(100 * self.complete / self.total) if self.total else None


TALLY = {
    "total": Count("id"),
    "complete": Count("id", filter=COMPLETE),
    "contact_points": Count("id", filter=Q(contact_point=True)),
    "demo_points": Count("id", filter=Q(demo_point=True)),
}


def summary(year: int, organizations: QuerySet[Organization] | None = None) -> Tally:
    """The year's figures over all associations (or `organizations`): one query. The dashboard's
    "科技工作者之家 已建成 X / Y"."""
    organizations = organizations if organizations is not None else home_organizations()
    return Tally(**with_home_state(organizations, year).order_by().aggregate(**TALLY))


def state_counts(organizations: QuerySet[Organization]) -> dict[str, int]:
    """How many of the (annotated) organisations are in each state, one query, every state present."""
    found = dict(organizations.order_by().values_list("home_state").annotate(n=Count("id")))
    return {state: found.get(state, 0) for state in STATE_LABELS}


# --------------------------------------------------------------------------------------------------------
# The roll-up: county → township → village (seed 004's levels)
# --------------------------------------------------------------------------------------------------------


@dataclass
class TownshipRow:
    township: Organization
    tally: Tally  # the township association and its villages


@dataclass
class CountyRow:
    county: Organization | None  # None: associations placed under no county (city-level societies …)
    tally: Tally = field(default_factory=Tally)  # everything in the county, the county association included
    townships: list[TownshipRow] = field(default_factory=list)
    others: Tally = field(default_factory=Tally)  # in the county, under no township (the county itself …)


def rollup(year: int) -> tuple[list[CountyRow], Tally]:
    """Every county with its townships (each township with its villages), counted in one grouped query; the
    counties and the townships' names are two more. Counties with no association are listed too; the last
    row holds the associations under no county. Returns the rows and the city's total."""
    grouped = (
        with_home_state(home_organizations(), year)
        .annotate(
            county_key=Case(When(kind=OrgKind.DISTRICT, then=F("pk")), default=F("county_id")),
            township_key=Case(
                When(kind=OrgKind.TOWNSHIP, then=F("pk")),
                When(kind=OrgKind.VILLAGE, then=F("parent_id")),
                default=None,
                output_field=IntegerField(),
            ),
        )
        .order_by()
        .values_list("county_key", "township_key")
        .annotate(**TALLY)
    )
    groups = {
        (county, township): Tally(total, complete, contact, demo)
        for county, township, total, complete, contact, demo in grouped
    }
    counties = list(
        Organization.objects.filter(kind=OrgKind.DISTRICT, is_active=True).order_by("name_pinyin", "id")
    )
    township_ids = {township for _, township in groups if township is not None}
    townships = {
        t.pk: t for t in Organization.objects.filter(pk__in=township_ids).order_by("name_pinyin", "id")
    }
    rows = {c.pk: CountyRow(c) for c in counties}
    for (county_pk, township_pk), tally in groups.items():
        row = rows.get(county_pk)
        if row is None:  # no county, or an inactive one: counted under "no county"
            row = rows.setdefault(None, CountyRow(None))
        row.tally.add(tally)
        if township_pk is None:
            row.others.add(tally)
        else:
            row.townships.append(TownshipRow(townships[township_pk], tally))
    total = Tally()
    for row in rows.values():
        row.townships.sort(key=lambda t: (t.township.name_pinyin, t.township.pk))
        total.add(row.tally)
    ordered = [rows[c.pk] for c in counties]
    if None in rows:
        ordered.append(rows[None])
    return ordered, total
