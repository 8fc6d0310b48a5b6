"""The shared figures of a year, per team: THE one definition of "contacted", "overdue", "grassroots visit"
and "open".

The year-end review, the `review` command and (later) the leadership dashboard all read these functions, so
a number means the same everywhere (docs/domain.md, "Words kept apart"; docs/workbook.md, the review). Each
function answers for every team of a year in one grouped query, computed in the database: the common
questions go to the denormalised ContactTarget row (team, target, date, counts), which is indexed for them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from liaison.compliance.quotas import CATEGORY_ORDER
from liaison.models import (
    OPEN_DEMAND_STATUSES,
    Assignment,
    ContactRecord,
    ContactTarget,
    Demand,
    DemandKind,
    QuotaRule,
    Team,
    Topic,
    Year,
)


def category_rank() -> Case:
    """Sorts assignments in the policy's order of categories (区县 first … 基层一线 last, uncounted after)."""
    return Case(
        *(When(category=c, then=Value(i)) for i, c in enumerate(CATEGORY_ORDER)),
        default=Value(len(CATEGORY_ORDER)),
        output_field=IntegerField(),
    )


def _contacted(year: Year) -> Q:
    """True for an assignment whose target is named on a completed record of its team dated in the year."""
    named = ContactTarget.objects.filter(
        team=OuterRef("team"),
        counts=True,
        date__gte=year.first_day,
        date__lte=year.last_day,
    )
    return Q(Exists(named.filter(organization=OuterRef("organization")))) | Q(
        Exists(named.filter(scientist=OuterRef("scientist")))
    )


def organization_contacted_in(year: Year, organization: str = "pk") -> Exists:
    """True for an organisation named on a completed record of any team dated in the year (the network's
    "no team contact this year", seed 004's blank spots). `organization` is the outer field holding its id."""
    return Exists(
        ContactTarget.objects.filter(
            organization=OuterRef(organization),
            counts=True,
            date__gte=year.first_day,
            date__lte=year.last_day,
        )
    )


def assignments_at_year_end(year: Year, team_ids: Iterable[int] | None = None) -> QuerySet[Assignment]:
    """What the review counts as assigned: the year's targets still in force on 31 December."""
    return _only(Assignment.objects.in_force_at_year_end().filter(team__year=year), "team_id", team_ids)


def _only(queryset: QuerySet, field: str, team_ids: Iterable[int] | None) -> QuerySet:
    """Every function below answers for all teams of a year, or only for the given teams (one person's)."""
    return queryset if team_ids is None else queryset.filter(**{f"{field}__in": list(team_ids)})


def contacted_counts(year: Year, team_ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """{team id: {category: n}}: targets in force at year end that were **contacted** in the year.

    Contacted means: named on at least one of the team's contact records dated in that year that counts
    (completed and not deleted). A contact with someone who is not an assigned target is still work, but
    not coverage. Uncounted assignments (no category) are keyed "".
    """
    rows = (
        assignments_at_year_end(year, team_ids)
        .filter(_contacted(year))
        .values("team_id", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        result[row["team_id"]][row["category"] or ""] = row["n"]
    return dict(result)


def contact_coverage(
    year: Year, team_ids: Iterable[int] | None = None
) -> tuple[dict[int, dict[str, list[int]]], dict[int, list[int]]]:
    """({team id: {category: [assigned, contacted]}}, {team id: [ids of the assignments never contacted]}):
    targets in force at year end, and whether each was **contacted** (as contacted_counts defines it), in one
    query. Uncounted assignments (no category) are keyed ""."""
    contacted = ExpressionWrapper(_contacted(year), output_field=BooleanField())
    rows = (
        assignments_at_year_end(year, team_ids)
        .annotate(contacted=contacted)
        .values_list("team_id", "category", "id", "contacted")
        .order_by()
    )
    coverage: dict[int, dict[str, list[int]]] = defaultdict(dict)
    never: dict[int, list[int]] = defaultdict(list)
    for team_id, category, pk, was_contacted in rows:
        pair = coverage[team_id].setdefault(category or "", [0, 0])
        pair[0] += 1
        if was_contacted:
            pair[1] += 1
        else:
            never[team_id].append(pk)
    return dict(coverage), dict(never)


def target_contacts(year: Year, team_ids: Iterable[int]) -> dict[tuple[int, str], tuple[int, datetime.date]]:
    """{(team id, "org:<id>" | "sci:<id>"): (records, latest date)}: how many of the team's contact records
    that count, dated in the year, name the target, and the date of the latest — the records that make a
    target **contacted** (see contacted_counts). One grouped query; a target never named is absent."""
    rows = (
        ContactTarget.objects.filter(
            team_id__in=list(team_ids), counts=True, date__gte=year.first_day, date__lte=year.last_day
        )
        .values("team_id", "organization_id", "scientist_id")
        .annotate(n=Count("id"), last=Max("date"))
        .order_by()
    )
    return {
        (
            row["team_id"],
            f"org:{row['organization_id']}" if row["organization_id"] else f"sci:{row['scientist_id']}",
        ): (row["n"], row["last"])
        for row in rows
    }


def _names_by_team(assignments: QuerySet[Assignment]) -> dict[int, list[str]]:
    """{team id: [target names]} in the policy's order of categories, then by pinyin."""
    rows = assignments.values_list("team_id", "organization__name", "scientist__name").order_by(
        "team_id", category_rank(), "organization__name_pinyin", "scientist__name_pinyin", "id"
    )
    result: dict[int, list[str]] = defaultdict(list)
    for team_id, org_name, scientist_name in rows:
        result[team_id].append(org_name or scientist_name or "")
    return dict(result)


def uncontacted_assignments(year: Year, team_ids: Iterable[int] | None = None) -> QuerySet[Assignment]:
    """THE list of **assigned, not contacted** (已分配未联系): targets in force at year end never contacted in
    the year (as contacted_counts defines it). contact_coverage counts the same rows (its `never`), which the
    stored figures keep as `uncontacted`; the list of liaison/outstanding/ is this queryset."""
    return assignments_at_year_end(year, team_ids).exclude(_contacted(year))


def uncontacted_targets(year: Year, team_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
    """{team id: [names]}: targets in force at year end that were never contacted in the year (see above)."""
    return _names_by_team(uncontacted_assignments(year, team_ids))


def target_names_by_id(assignment_ids: Iterable[int]) -> dict[int, str]:
    """{assignment id: target name} in the policy's order of categories, then by pinyin (dicts keep order)."""
    rows = (
        Assignment.objects.filter(pk__in=list(assignment_ids))
        .values_list("id", "organization__name", "scientist__name")
        .order_by(category_rank(), "organization__name_pinyin", "scientist__name_pinyin", "id")
    )
    return {pk: org_name or scientist_name or "" for pk, org_name, scientist_name in rows}


def interval_rules(year: Year) -> dict[tuple[str, str], int]:
    """{(team kind, category): days} of the year's rules that set a contact interval (联系间隔天数)."""
    rows = QuotaRule.objects.filter(year=year, contact_interval_days__isnull=False)
    return {
        (kind, category): days
        for kind, category, days in rows.values_list("team_kind", "category", "contact_interval_days")
    }


def has_overdue_stretch(
    start: datetime.date, end: datetime.date, contacts: Iterable[datetime.date], days: int
) -> bool:
    """THE definition of **overdue** (超期, docs/workbook.md, the review): the stretches run from `start` to
    `end`, every contact dated in between ends one stretch and starts the next, and a stretch longer than
    `days` makes the target overdue. An empty span (a year not yet begun) is never overdue."""
    if end < start:
        return False
    previous = start
    for day in sorted(d for d in contacts if start <= d <= end):
        if (day - previous).days > days:
            return True
        previous = day
    return (end - previous).days > days


def next_contact_due(start: datetime.date, last_contact: datetime.date | None, days: int) -> datetime.date:
    """The last day the next contact may fall on without making a stretch longer than `days` (the same
    stretches as has_overdue_stretch): `days` after the later of the stretch's start (1 January or the
    assignment's start) and the latest contact. A contact on the day returned keeps the target in time."""
    previous = max(start, last_contact) if last_contact is not None else start
    return previous + datetime.timedelta(days=days)


def overdue_assignments(
    year: Year, team_ids: Iterable[int] | None = None, *, today: datetime.date
) -> dict[int, list[int]]:
    """{team id: [ids of the assignments **overdue**]}: targets in force at year end whose category has a
    contact interval for the team's kind, checked over the stretches from the later of 1 January and the
    assignment's start to the earlier of 31 December and `today` (the day the review is made), against the
    team's contact records that count. Two queries, and none at all when the year sets no interval."""
    intervals = interval_rules(year)
    if not intervals:
        return {}
    kinds = {kind for kind, _ in intervals}
    assignments = list(
        assignments_at_year_end(year, team_ids)
        .filter(team__kind__in=kinds, category__in={category for _, category in intervals})
        .values_list(
            "id", "team_id", "team__kind", "category", "organization_id", "scientist_id", "start_date"
        )
        .order_by()
    )
    span_end = min(year.last_day, today)
    wanted = [a for a in assignments if (a[2], a[3]) in intervals and max(year.first_day, a[6]) <= span_end]
    if not wanted:
        return {}
    contacts: dict[tuple[int, str, int], list[datetime.date]] = defaultdict(list)
    rows = ContactTarget.objects.filter(
        team_id__in={a[1] for a in wanted}, counts=True, date__gte=year.first_day, date__lte=span_end
    ).values_list("team_id", "organization_id", "scientist_id", "date")
    for team_id, org_id, scientist_id, day in rows.order_by():
        key = (team_id, "o", org_id) if org_id is not None else (team_id, "s", scientist_id)
        contacts[key].append(day)
    result: dict[int, list[int]] = defaultdict(list)
    for pk, team_id, kind, category, org_id, scientist_id, start in wanted:
        key = (team_id, "o", org_id) if org_id is not None else (team_id, "s", scientist_id)
        start = max(year.first_day, start)
        if has_overdue_stretch(start, span_end, contacts.get(key, ()), intervals[(kind, category)]):
            result[team_id].append(pk)
    return dict(result)


def grassroots_visits(year: Year, team_ids: Iterable[int] | None = None) -> dict[int, int]:
    """{team id: n}: the team's **grassroots visits** (下基层) in the year, as ContactRecord.objects.grassroots_visits
    defines them (seed 000 §四.5: at least ten a year)."""
    visits = _only(ContactRecord.objects.grassroots_visits(year), "team_id", team_ids)
    rows = visits.values("team_id").annotate(n=Count("id")).order_by()
    return {row["team_id"]: row["n"] for row in rows}


def carried_over_demands(year: Year, team_ids: Iterable[int] | None = None) -> QuerySet[Demand]:
    """Demands still **open** that were raised on an earlier year's records of a lead who leads a team in
    `year`: they carry over into that team's figures (and lists), annotated with its id as `carried_to`."""
    successor = Team.objects.filter(year=year, lead_id=OuterRef("team__lead_id")).values("pk")[:1]
    # Leads who have a team in `year` (of the given teams): implied by a successor, written out so that
    # PostgreSQL starts from those leads' earlier records, not from running the successor subquery for
    # every team (40–80 ms at 2,000 teams on each refresh of a team's figures).
    leads = Team.objects.filter(year=year)
    if team_ids is not None:
        team_ids = list(team_ids)
        leads = leads.filter(pk__in=team_ids)
    carried = (
        Demand.objects.open()
        .alive()
        .filter(team__year__year__lt=year.year, team__lead_id__in=leads.values("lead_id"))
        .annotate(carried_to=Subquery(successor))
        .filter(carried_to__isnull=False)
    )
    return carried if team_ids is None else carried.filter(carried_to__in=team_ids)


def demands_of_year(year: Year, demands: QuerySet[Demand] | None = None) -> QuerySet[Demand]:
    """The demands a year's figures count (demand_counts): raised on its teams' records that were not deleted,
    and the open ones carried over into it from the same leads' earlier teams (carried_over_demands). The
    demand list's 年度 filter narrows its own queryset (`demands`) with this, so every demand figure of the
    dashboard opens its rows; in the list's query, not as `pk IN (this)`, which made PostgreSQL check every
    demand's record (~170 ms twice per page at N = 100,000)."""
    carried = carried_over_demands(year).values("pk")
    demands = Demand.objects.all() if demands is None else demands
    return demands.alive().filter(Q(team__year=year) | Q(pk__in=carried))


def raised_in(year: Year, demands: QuerySet[Demand] | None = None) -> QuerySet[Demand]:
    """The demands **raised** in a year: on its teams' records that were not deleted (no carried-over ones):
    what the dashboard's 诉求热点 and 最新诉求 count, and the demand list's 提出年度 filter (`demands`: the
    list's own queryset, narrowed)."""
    demands = Demand.objects.all() if demands is None else demands
    return demands.alive().filter(team__year=year)


def on_topic(topic: str, prefix: str = "record__") -> Q:
    """Demands (prefix "record__") or records (prefix "") whose record lists `topic` among its 联系内容. JSON
    containment where the database has it (PostgreSQL); elsewhere (SQLite) the quoted value in the JSON text,
    which is exact because no topic's value holds a quote."""
    field = f"{prefix}topics"
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field}__contains": [topic]})
    return Q(**{f"{field}__icontains": f'"{topic}"'})


def raised_counts(year: Year, team_ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """{team id: {"kind:<kind>": n, "topic:<topic>": n}}: the demands raised on the team's records in the year
    (raised_in) by kind and by the topics of their record (on_topic), only the non-zero counts. Summed over
    the year's teams (YearFigures.raised) they are the dashboard's 诉求热点."""
    counts = {f"kind:{kind}": Count("id", filter=Q(kind=kind)) for kind in DemandKind.values}
    counts |= {f"topic:{topic}": Count("id", filter=on_topic(topic)) for topic in Topic.values}
    rows = _only(raised_in(year), "team_id", team_ids).values("team_id").annotate(**counts)
    return {row.pop("team_id"): {key: n for key, n in row.items() if n} for row in rows.order_by()}


def open_demands(year: Year, team_ids: Iterable[int] | None = None) -> dict[int, int]:
    """{team id: n}: **open** demands (待办 or 办理中, on a record not deleted) raised on the team's records,
    and those carried over from the same lead's earlier teams."""
    demands = _only(Demand.objects.open().alive().filter(team__year=year), "team_id", team_ids)
    result = {
        row["team_id"]: row["n"] for row in demands.values("team_id").annotate(n=Count("id")).order_by()
    }
    carried = carried_over_demands(year, team_ids).values("carried_to").annotate(n=Count("id")).order_by()
    for row in carried:
        result[row["carried_to"]] = result.get(row["carried_to"], 0) + row["n"]
    return result


def records_by_month(year: Year, team_ids: Iterable[int] | None = None) -> dict[int, dict[str, list[int]]]:
    """{team id: {method: 12 monthly counts}}: the team's completed records dated in the year."""
    rows = (
        _only(ContactRecord.objects.completed(), "team_id", team_ids)
        .filter(team__year=year, date__gte=year.first_day, date__lte=year.last_day)
        .annotate(month=ExtractMonth("date"))
        .values("team_id", "method", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for row in rows:
        result[row["team_id"]].setdefault(row["method"], [0] * 12)[row["month"] - 1] = row["n"]
    return dict(result)


def demand_counts(
    year: Year, team_ids: Iterable[int] | None = None, *, today: datetime.date | None = None
) -> tuple[dict[int, dict[str, list[int]]], set[int]]:
    """({team id: {kind: [open, closed, overdue]}}, teams with an open demand still to fall due): demands
    raised on the team's records that were not deleted; **open** as open_demands counts it (carried-over ones
    included), closed = every other status (办结, 反馈, 回访 …), overdue = open with a due date before `today`
    (DemandQuerySet.overdue; carried-over ones included). A team with an open demand due today or later will
    count it overdue one day without a write: its stored figures are dated."""
    today = today or timezone.localdate()
    is_open = Q(status__in=OPEN_DEMAND_STATUSES)
    demands = _only(Demand.objects.alive().filter(team__year=year), "team_id", team_ids)
    rows = (
        demands.values("team_id", "kind")
        .annotate(
            open=Count("id", filter=is_open),
            closed=Count("id", filter=~is_open),
            overdue=Count("id", filter=is_open & Q(due_date__lt=today)),
            later=Count("id", filter=is_open & Q(due_date__gte=today)),
        )
        .order_by()
    )
    result: dict[int, dict[str, list[int]]] = defaultdict(dict)
    coming_due: set[int] = set()
    for row in rows:
        result[row["team_id"]][row["kind"]] = [row["open"], row["closed"], row["overdue"]]
        if row["later"]:
            coming_due.add(row["team_id"])
    carried = (
        carried_over_demands(year, team_ids)
        .values("carried_to", "kind")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(due_date__lt=today)),
            later=Count("id", filter=Q(due_date__gte=today)),
        )
        .order_by()
    )
    for row in carried:  # open in this year's figures while they stay open
        counts = result[row["carried_to"]].setdefault(row["kind"], [0, 0, 0])
        counts[0] += row["n"]
        counts[2] += row["overdue"]
        if row["later"]:
            coming_due.add(row["carried_to"])
    return dict(result), coming_due


def days_to_close(year: Year, team_ids: Iterable[int] | None = None) -> dict[int, dict[int, int]]:
    """{team id: {days: n}}: of the team's demands with a closing date, how many took that many days from the
    contact to closing — a histogram, so the median of any set of teams is exact."""
    took = ExpressionWrapper(F("closed_at") - F("record__date"), output_field=DurationField())
    demands = _only(Demand.objects.alive().filter(team__year=year), "team_id", team_ids)
    rows = (
        demands.filter(closed_at__isnull=False)
        .annotate(took=took)
        .values("team_id", "took")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        days = row["took"].days
        result[row["team_id"]][days] = result[row["team_id"]].get(days, 0) + row["n"]
    return dict(result)


def greeting_coverage(
    year: Year, occasion: str, team_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """{team id: (greeted, assigned)}: of the team's scientists in force at year end, how many were **greeted**
    for the festival of `occasion` ("spring_festival", "workers_day") that falls in the year — named on a
    completed 看望慰问 record for that festival (ContactRecord.festival_date), logged by this team or by a
    team of another year with the same lead: a greeting in December 2026 counts for the Spring Festival of
    February 2027, and so for the 2027 team, not for 2026's."""
    greeted = ContactTarget.objects.filter(
        team__lead=OuterRef("team__lead"),
        scientist=OuterRef("scientist"),
        counts=True,
        record__method="greeting",
        record__occasion=occasion,
        record__festival_date__gte=year.first_day,
        record__festival_date__lte=year.last_day,
    )
    people = assignments_at_year_end(year, team_ids).filter(scientist__isnull=False)
    assigned = dict(people.values("team_id").annotate(n=Count("id")).values_list("team_id", "n").order_by())
    # Two grouped queries: an EXISTS in WHERE becomes a hash semi-join over the occasion's greetings; inside
    # COUNT(… FILTER) it was a probe of every contact of every assigned scientist (100k scientists: 3 s → 50 ms).
    greeted_counts = dict(
        people.filter(Exists(greeted))
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
        .order_by()
    )
    return {team_id: (greeted_counts.get(team_id, 0), n) for team_id, n in assigned.items()}
