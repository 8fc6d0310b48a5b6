"""我的工作: what a staff member should do next, computed in a fixed number of queries.

The targets of my teams with their last contact, those not contacted this year or past the contact
interval the year's rules set, my teams' grassroots visits against the minimum, upcoming occasions
(Spring Festival, 30 May, my teams' scientists' birthdays in the next 30 days), the demands handed to me,
my drafts, and my planned contacts of this week with those overdue (本周计划, liaison/schedule/).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from common.occasions import Upcoming, next_birthday, upcoming_holidays
from liaison.compliance import figures, quotas
from liaison.contacts import handover
from liaison.models import (
    Assignment,
    ContactRecord,
    ContactTarget,
    Demand,
    QuotaRule,
    RecordStatus,
    Staff,
    Team,
)
from liaison.plan.services import teams_of
from liaison.schedule import services as schedule

BIRTHDAY_HORIZON_DAYS = 30


@dataclass
class TargetRow:
    assignment: Assignment
    last_contact: datetime.date | None
    interval_days: int | None
    today: datetime.date

    @property
    def contacted_this_year(self) -> bool:
        return self.last_contact is not None and self.last_contact.year == self.today.year

    overdue: bool = False  # 超过联系间隔: liaison/compliance/figures.py, has_overdue_stretch


@dataclass
class TeamWork:
    team: Team
    targets: list[TargetRow] = field(default_factory=list)
    visits: int = 0
    visit_minimum: int | None = None
    rows: list[TargetRow] = field(default_factory=list)  # the targets listed (all, or only uncontacted)

    @property
    def not_contacted(self) -> int:
        return sum(1 for row in self.targets if not row.contacted_this_year)

    def shown(self, only_uncontacted: bool) -> list[TargetRow]:
        """The rows the page lists: all, or (只看未联系) those the badge marks 今年未联系."""
        if not only_uncontacted:
            return self.targets
        return [row for row in self.targets if not row.contacted_this_year]


def last_contact_annotation():
    """The date of the team's latest completed record naming the assignment's target."""
    on_team = ContactTarget.objects.filter(team_id=OuterRef("team_id"), counts=True).order_by("-date")
    last_org = on_team.filter(organization_id=OuterRef("organization_id")).values("date")[:1]
    last_sci = on_team.filter(scientist_id=OuterRef("scientist_id")).values("date")[:1]
    return Coalesce(Subquery(last_org), Subquery(last_sci))


def my_work(staff: Staff, today: datetime.date, *, only_uncontacted: bool = False) -> dict:
    """What the page shows; `only_uncontacted` (只看未联系) keeps the targets not contacted this year."""
    teams = list(teams_of(staff).filter(year__year=today.year).select_related("year"))
    work = {team.pk: TeamWork(team=team) for team in teams}
    if teams:
        year = teams[0].year
        intervals = {
            (r.team_kind, r.category): r.contact_interval_days
            for r in QuotaRule.objects.filter(year=year, contact_interval_days__isnull=False)
        }
        minimums = quotas.visit_minimums(year)
        assignments = (
            Assignment.objects.in_force_at_year_end()
            .filter(team__in=teams)
            .select_related("organization", "scientist")
            .annotate(last_contact=last_contact_annotation())
            .order_by("team_id", "category", "organization__name_pinyin", "scientist__name_pinyin")
        )
        overdue = {
            pk
            for ids in figures.overdue_assignments(year, [t.pk for t in teams], today=today).values()
            for pk in ids
        }
        for a in assignments:
            team = work[a.team_id].team
            interval = intervals.get((team.kind, a.category))
            work[a.team_id].targets.append(TargetRow(a, a.last_contact, interval, today, a.pk in overdue))
        visits = (
            ContactRecord.objects.grassroots_visits(year)
            .filter(team__in=teams)
            .values("team_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in visits:
            work[row["team_id"]].visits = row["n"]
        for team_work in work.values():
            team_work.visit_minimum = minimums.get(team_work.team.kind)

    holidays = upcoming_holidays(today)
    reminders: list = [(item, None) for item in holidays]
    horizon = today + datetime.timedelta(days=BIRTHDAY_HORIZON_DAYS)
    for team_work in work.values():
        for row in team_work.targets:
            person = row.assignment.scientist
            if person is None or person.birth_date is None:
                continue
            day = next_birthday(today, person.birth_date, lunar=person.birthday_lunar)
            if day is not None and day <= horizon:
                label = f"{person.name} 生日" + ("（农历）" if person.birthday_lunar else "")
                reminders.append((Upcoming(label, day, "birthday"), row))
    birthdays = len(reminders) - len(holidays)
    reminders.sort(key=lambda item: item[0].date)
    reminders = [(item, row, item.days_from(today)) for item, row in reminders]

    # 交办给我: open demands handed to me, or to my department without a named person
    demands = list(
        Demand.objects.alive()
        .open()
        .filter(handover.mine(staff))
        .for_list()
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    drafts = list(
        ContactRecord.objects.alive()
        .filter(author=staff, status=RecordStatus.DRAFT)
        .select_related("team")
        .order_by("-date", "-id")
    )
    for team_work in work.values():
        team_work.rows = team_work.shown(only_uncontacted)
    week_start, week_end = schedule.week_of(today)
    return {
        "week_plan": schedule.person_week(staff, today),
        "week_start": week_start,
        "week_end": week_end,
        "teams": list(work.values()),
        "only_uncontacted": only_uncontacted,
        "reminders": reminders,
        "birthdays": birthdays,
        "birthday_horizon": BIRTHDAY_HORIZON_DAYS,
        "demands": demands,
        "drafts": drafts,
        "today": today,
    }
