"""The targets behind two figures of a year (issue 18: every figure opens the list behind it).

- 已分配未联系: the ids the stored team figures keep (`counts["never"]`: figures.contact_coverage's rows not
  contacted, the rows of figures.uncontacted_assignments), whose count they keep as `uncontacted`. Probing
  every assignment's contacts again cost ~290 ms for the year's 50,000 at N = 100,000;
- 超过联系间隔未联系: the ids the stored team figures keep (`counts["overdue"]`, figures.overdue_assignments
  under has_overdue_stretch), read from the current figures, so the list holds exactly what was counted.

Both lists carry what a caller needs: the target, its category, the team with its lead and members (who to
call), and the last contact of the target by any team of the same lead, in any year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, DateField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from liaison.compliance import categories, figures, team_figures
from liaison.models import Assignment, ContactTarget, TeamKind, Year


@dataclass(frozen=True)
class TargetList:
    key: str
    title: str
    figure: str  # the stored figure (TeamFigures column) that counts the list's rows
    explanation: str


LISTS = {
    "uncontacted": TargetList(
        "uncontacted",
        "已分配未联系",
        "uncontacted",
        "年末在册的联系对象，本年度没有被本专班任何一条已完成的联系记录联系过（与概况、年度考评同一口径）。",
    ),
    "overdue": TargetList(
        "overdue",
        "超过联系间隔未联系",
        "overdue",
        "设有联系间隔的类别中，从年初（或分工起始日）到今天（或年末）有一段时间超过规定天数没有联系的对象"
        "（与概况、年度考评同一口径）。",
    ),
}
UNCOUNTED = "-"  # the category filter's value for targets that count toward no quota


def category_choices() -> list[tuple[str, str]]:
    return [*categories.choices(), (UNCOUNTED, "不计入定额")]


def assignments(which: str, year: Year, team_ids: Iterable[int] | None = None) -> QuerySet[Assignment]:
    """The rows of list `which` for the year's teams (or the given ones): the figure's own definition."""
    rows = team_figures.current_rows(year, team_ids)
    # only the one list of each row's stored counts (TeamFigures.never_contacted, .overdue_ids): reading
    # the 2,000 rows whole, every JSON column parsed, cost ~170 ms of CPU at N = 100,000
    key = "never" if which == "uncontacted" else "overdue"
    ids = [pk for found in rows.values_list(f"counts__{key}", flat=True) if found for pk in found]
    return Assignment.objects.filter(pk__in=ids)


def figure_by_team(which: str, year: Year, team_ids: Iterable[int] | None = None) -> list[dict]:
    """The teams with a non-zero stored figure (current: refreshed first), in the year's order:
    [{"team_id", "name", "n"}] — the team filter's choices, each with its count."""
    column = LISTS[which].figure
    team_figures.refresh(year)
    rows = team_figures.of_year(year).filter(**{f"{column}__gt": 0})
    if team_ids is not None:
        rows = rows.filter(team_id__in=list(team_ids))
    return [
        {"team_id": pk, "name": name, "n": n}
        for pk, name, n in rows.order_by(*team_figures.IN_YEAR_ORDER).values_list(
            "team_id", "team__name", column
        )
    ]


def last_contact() -> Coalesce:
    """The date of the latest counted contact naming the assignment's target, by any team of the same lead, in
    any year (None: never)."""
    named = ContactTarget.objects.filter(team__lead=OuterRef("team__lead"), counts=True).order_by("-date")
    return Coalesce(
        Subquery(named.filter(organization=OuterRef("organization")).values("date")[:1]),
        Subquery(named.filter(scientist=OuterRef("scientist")).values("date")[:1]),
        output_field=DateField(),
    )


def for_list(
    queryset: QuerySet[Assignment], category: str = "", *, shown: bool = True
) -> QuerySet[Assignment]:
    """The list's rows filtered by category, in the year's order of teams, then the policy's order of
    categories, then by pinyin; with what each row shows (`shown`; without it, only the order, for paging)."""
    if category == UNCOUNTED:
        queryset = queryset.filter(category="")
    elif category:
        queryset = queryset.filter(category=category)
    if shown:
        queryset = (
            queryset.select_related("team__lead", "organization", "scientist")
            .prefetch_related("team__members")
            .annotate(last_contact=last_contact())
        )
    return queryset.order_by(
        Case(When(team__kind=TeamKind.LEADER, then=Value(0)), default=Value(1)),
        "team__lead__order",
        "team__lead_id",
        "team_id",
        figures.category_rank(),
        "organization__name_pinyin",
        "scientist__name_pinyin",
        "id",
    )
