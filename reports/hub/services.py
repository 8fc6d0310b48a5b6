"""The hub of a person or an organisation (issue 18 §1, "the person at the centre"): what the association
knows of a scientist, an organisation or a staff member, read in a fixed number of queries whatever the
length of the history.

Every figure reuses the one function that defines it:

- **The timeline**: the completed, not deleted records (ContactRecord.objects.completed) naming the target
  (or, for a staff member, those they took part in), of every team and year — but only the records the
  user may open (liaison.people.access.records_visible_to, the record list's rule), filtered by the record
  list's own filters (liaison.contacts.filters.RecordFilter: 年度 and 联系方式), newest first, paged.
- **Teams this year and last**: the assignments naming the target in force at each year's end — the
  review's definition (liaison.compliance.figures.assignments_at_year_end).
- **Next contact due**: where the year's rules set a contact interval (QuotaRule.contact_interval_days)
  for the team's kind and the assignment's category, the last day of the current stretch
  (liaison.compliance.figures.next_contact_due); **超期** is the review's own overdue_assignments.
- **Demands**: those the target raised, that the user may see (liaison.people.access.demands_visible_to),
  open ones first as the demand list orders them.
- **Occasions**: the next Spring Festival and 30 May and the scientist's next birthday, solar or lunar
  (common.occasions).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.paginator import Page
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import HttpRequest, QueryDict

from common.occasions import Upcoming, next_birthday, upcoming_holidays
from common.views import paginate
from experts.models import Scientist
from liaison.compliance import figures
from liaison.contacts.filters import RecordFilter
from liaison.contacts.forms import target_value
from liaison.filing.services import lines_in_force
from liaison.models import (
    Assignment,
    ContactRecord,
    ContactTarget,
    Demand,
    Staff,
    Team,
    Year,
    category_label,
)
from liaison.people.access import (
    can_log_for,
    demands_visible_to,
    records_visible_to,
    sees_all_records,
    staff_of,
    team_ids_of,
)
from liaison.plan.services import teams_of
from orgs.models import OfficerPost, Organization

# A hub page shows a page of its timeline at a time, and a handful of everything else.
TIMELINE_PAGE_SIZE = 10
DEMANDS_SHOWN = 10
SUB_ORGANISATION_RECORDS_SHOWN = 5
CHILDREN_SHOWN = 20  # sub-organisations in the activity table, the latest contacted first
# The timeline's own GET parameters (the page's other sections keep theirs, e.g. network_year)
TIMELINE_PARAMS = ("year", "method")

Target = Scientist | Organization


# --- the timeline ---------------------------------------------------------------------------------------


def _targets_q(target: Target) -> Q:
    field_name = "scientist" if isinstance(target, Scientist) else "organization"
    return Q(**{field_name: target})


def timeline_records(user: User, *, target: Target | None = None, participant: Staff | None = None):
    """The records of a hub's timeline that the user may open: naming the target, or taken part in by the
    participant; completed and not deleted; newest first. The link rows (ContactTarget, indexed on the
    target and date) find a target's records without reading the records of anyone else."""
    records = records_visible_to(user, ContactRecord.objects.completed())
    if target is not None:
        named = ContactTarget.objects.filter(_targets_q(target), counts=True).values("record_id")
        records = records.filter(pk__in=named)
    if participant is not None:
        records = records.filter(participants=participant)
    return records.order_by("-date", "-id")


def timeline_filter(request: HttpRequest, records: QuerySet[ContactRecord]) -> RecordFilter:
    """The record list's filters, 年度 and 联系方式 only (the hub's other sections ignore them)."""
    data = QueryDict(mutable=True)
    for name in TIMELINE_PARAMS:
        if name in request.GET:
            data[name] = request.GET[name]
    return RecordFilter(data, queryset=records)


@dataclass
class Timeline:
    filter: RecordFilter
    page: Page

    @property
    def filtered(self) -> bool:
        return any(self.filter.data.get(name) for name in TIMELINE_PARAMS)


def timeline(request: HttpRequest, records: QuerySet[ContactRecord]) -> Timeline:
    """One page of the timeline, with each record's team, author, targets, participants and demands loaded:
    a count, the page's ids, its rows and three prefetches, however long the history."""
    filterset = timeline_filter(request, records)
    demands = Prefetch("demands", queryset=Demand.objects.order_by("id"))
    rows = filterset.qs.for_list().prefetch_related(demands)
    return Timeline(filterset, paginate(request, rows, per_page=TIMELINE_PAGE_SIZE))


# --- teams, due dates and occasions -----------------------------------------------------------------------


@dataclass
class TeamLink:
    """A team that has the target as an assignment in force at the year's end (this year: today)."""

    assignment: Assignment
    interval_days: int | None = None
    last_contact: datetime.date | None = None
    due: datetime.date | None = None
    overdue: bool = False
    loggable: bool = False

    @property
    def team(self) -> Team:
        return self.assignment.team

    @property
    def category_label(self) -> str:
        return category_label(self.assignment.category) if self.assignment.category else ""


@dataclass
class YearTeams:
    year: int
    links: list[TeamLink] = field(default_factory=list)


def _years(today: datetime.date) -> dict[int, Year]:
    return {y.year: y for y in Year.objects.filter(year__in=[today.year, today.year - 1])}


def teams_of_target(user: User, target: Target, today: datetime.date) -> list[YearTeams]:
    """This year's and last year's teams of the target; this year's with the contact interval the rules
    set, the date the next contact is due and whether the target is overdue (超期) for the team."""
    years = _years(today)
    result = []
    for number in (today.year, today.year - 1):
        year = years.get(number)
        links = []
        if year is not None:
            assignments = (
                figures.assignments_at_year_end(year)
                .filter(_targets_q(target))
                .select_related("team", "team__lead", "team__year")
                .order_by("team__kind", "team__name")
            )
            links = [TeamLink(a, loggable=can_log_for(user, a.team)) for a in assignments]
            if number == today.year and links:
                _due_dates(year, target, links, today)
        result.append(YearTeams(number, links))
    return result


def _due_dates(year: Year, target: Target, links: list[TeamLink], today: datetime.date) -> None:
    intervals = figures.interval_rules(year)
    for link in links:
        link.interval_days = intervals.get((link.team.kind, link.assignment.category))
    timed = [link for link in links if link.interval_days]
    if not timed:
        return
    team_ids = [link.team.pk for link in timed]
    last = dict(
        ContactTarget.objects.filter(
            _targets_q(target),
            team_id__in=team_ids,
            counts=True,
            date__gte=year.first_day,
            date__lte=min(today, year.last_day),
        )
        .values("team_id")
        .annotate(last=Max("date"))
        .values_list("team_id", "last")
        .order_by()
    )
    overdue = {pk for ids in figures.overdue_assignments(year, team_ids, today=today).values() for pk in ids}
    for link in timed:
        link.last_contact = last.get(link.team.pk)
        start = max(year.first_day, link.assignment.start_date)
        link.due = figures.next_contact_due(start, link.last_contact, link.interval_days)
        link.overdue = link.assignment.pk in overdue


@dataclass(frozen=True)
class Occasion:
    upcoming: Upcoming
    days: int


def occasions(target: Target, today: datetime.date) -> list[Occasion]:
    """The next Spring Festival and 全国科技工作者日, and a scientist's next birthday, soonest first."""
    items = list(upcoming_holidays(today))
    if isinstance(target, Scientist) and target.birth_date is not None:
        day = next_birthday(today, target.birth_date, lunar=target.birthday_lunar)
        if day is not None:
            label = "生日" + ("（农历）" if target.birthday_lunar else "")
            items.append(Upcoming(label, day, "birthday"))
    items.sort(key=lambda item: item.date)
    return [Occasion(item, item.days_from(today)) for item in items]


# --- demands --------------------------------------------------------------------------------------------


def demands_of(user: User, target: Target) -> tuple[list[Demand], int]:
    """The demands the target raised that the user may see (open first, the soonest due first), the first
    DEMANDS_SHOWN of them and how many there are."""
    field_name = "raised_by_scientist" if isinstance(target, Scientist) else "raised_by_organization"
    demands = demands_visible_to(user, Demand.objects.alive().filter(**{field_name: target}))
    # counted every time, not only when the page is full: the page's query count must not depend on the data
    return list(demands.for_list().in_list_order()[:DEMANDS_SHOWN]), demands.count()


# --- organisations: sub-organisations and officers ------------------------------------------------------


@dataclass
class ChildActivity:
    organization: Organization
    records: int = 0
    last_contact: datetime.date | None = None


def sub_organisation_activity(
    user: User, organization: Organization, today: datetime.date
) -> tuple[list[ChildActivity], list[ContactRecord]]:
    """For each sub-organisation (the organisation's children, prefetched by its page): the records of this
    year naming it and its latest contact, of the records the user may see; and the latest records naming
    any of them. Three queries and the records' prefetches."""
    children = list(organization.children.all())
    if not children:
        return [], []
    links = ContactTarget.objects.filter(organization__parent=organization, counts=True)
    if not sees_all_records(user):
        links = links.filter(team_id__in=team_ids_of(user))
    rows = (
        links.values("organization_id")
        .annotate(
            n=Count("id", filter=Q(date__gte=datetime.date(today.year, 1, 1), date__lte=today)),
            last=Max("date"),
        )
        .order_by()
    )
    by_id = {row["organization_id"]: row for row in rows}
    activity = [
        ChildActivity(child, by_id.get(child.pk, {}).get("n", 0), by_id.get(child.pk, {}).get("last"))
        for child in children
    ]
    activity.sort(key=lambda a: (a.last_contact is None, -(a.last_contact or today).toordinal()))
    # the latest records, found from the link rows (indexed on organisation and date: the children's history
    # only, never a scan of every record by date), then read as the user may see them
    newest = (
        links.values("record_id")
        .annotate(day=Max("date"))
        .order_by("-day", "-record_id")
        .values_list("record_id", flat=True)[:SUB_ORGANISATION_RECORDS_SHOWN]
    )
    latest = list(
        records_visible_to(user, ContactRecord.objects.completed())
        .filter(pk__in=newest)
        .for_list()
        .order_by("-date", "-id")
    )
    return activity, latest


@dataclass(frozen=True)
class KeepingOfficer:
    name: str
    post: str
    scientists: int


def filing_officers(organization: Organization, today: datetime.date) -> list[KeepingOfficer]:
    """The organisation's officers who keep in touch with scientists this year, by the filing in force (备案:
    liaison.filing.services.lines_in_force, the network's 面), with how many each keeps in touch with."""
    year = Year.objects.filter(year=today.year).first()
    if year is None:
        return []
    rows = (
        lines_in_force(year)
        .filter(revision__filing__organization=organization)
        .values("officer_name", "post")
        .annotate(n=Count("scientist_id", distinct=True))
        .order_by("officer_name", "post")
    )
    return [
        KeepingOfficer(row["officer_name"], OfficerPost(row["post"]).label, row["n"])
        for row in rows
        if row["post"] in OfficerPost.values
    ]


# --- staff ----------------------------------------------------------------------------------------------


def staff_teams(staff: Staff, today: datetime.date) -> list[tuple[Team, bool]]:
    """The teams the person leads or belongs to this year and last, newest first: (team, leads it)."""
    teams = teams_of(staff).filter(year__year__gte=today.year - 1, year__year__lte=today.year)
    return [(team, team.lead_id == staff.pk) for team in teams]


def log_url_query(target: Target, team: Team | None = None, occasion: str = "") -> str:
    """The logging form's GET parameters (liaison.contacts.views._initial_from_query) for a 记录 button."""
    parts = [f"target={target_value(target)}"]
    if team is not None:
        parts.insert(0, f"team={team.pk}")
    if occasion:
        parts.append(f"occasion={occasion}")
    return "?" + "&".join(parts)


def logs(user: User) -> bool:
    """Only staff log contacts (an administrator without a Staff record is offered no 记录 buttons)."""
    return staff_of(user) is not None
