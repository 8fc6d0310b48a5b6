"""The weekly digest by email (a scheduler runs `manage.py weekly_digest`): one message per person.

Each team lead gets their team's targets not contacted this year (as the review counts them), grassroots visits against the minimum,
drafts, overdue demands, and the team's planned contacts of the coming week and those overdue (工作计划); each
member who goes on a planned contact of the coming week or an overdue one gets his or her own list; the
liaison office gets the roll-up of all teams. Figures come from a fixed
number of queries whatever the number of teams.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Count, Q

from liaison.compliance import figures
from liaison.models import (
    OVERDUE_LABEL,
    ContactRecord,
    Demand,
    PlannedContact,
    PlanStatus,
    RecordStatus,
    Staff,
    Team,
    VisitQuota,
    Year,
    is_overdue,
    overdue_condition,
)


@dataclass
class TeamDigest:
    team: Team
    not_contacted: list[str] = field(default_factory=list)
    past_interval: list[str] = field(default_factory=list)  # 超过联系间隔 (figures.overdue_assignments)
    visits: int = 0
    visit_minimum: int | None = None
    drafts: int = 0
    overdue: list[str] = field(default_factory=list)
    coming: list[str] = field(default_factory=list)  # planned contacts of the coming week
    plan_overdue: list[str] = field(
        default_factory=list
    )  # planned contacts 已逾期 (liaison.models.is_overdue)

    def lines(self) -> list[str]:
        visits = f"{self.visits} 次" + (
            f"（最少 {self.visit_minimum} 次）" if self.visit_minimum is not None else ""
        )
        lines = [f"【{self.team.name}】", f"  下基层：{visits}"]
        if self.not_contacted:
            lines.append(f"  今年尚未联系（{len(self.not_contacted)}）：" + "、".join(self.not_contacted))
        if self.past_interval:
            lines.append(
                f"  超过联系间隔未联系（{len(self.past_interval)}）：" + "、".join(self.past_interval)
            )
        if self.drafts:
            lines.append(f"  未完成的草稿：{self.drafts} 条")
        if self.overdue:
            lines.append(f"  超期未办结的诉求（{len(self.overdue)}）：" + "；".join(self.overdue))
        if self.coming:
            lines.append(f"  未来一周的工作计划（{len(self.coming)}）：" + "；".join(self.coming))
        if self.plan_overdue:
            lines.append(
                f"  {OVERDUE_LABEL}的工作计划（{len(self.plan_overdue)}）：" + "；".join(self.plan_overdue)
            )
        return lines


COMING_DAYS = 7  # the digest's "coming week": today and the six days after


def plan_line(item: PlannedContact) -> str:
    goers = "、".join(person.name for person in item.goers.all())
    return f"{item.date:%m-%d} {item.target_name}（{item.get_method_display()}，{goers}）"


def due_plans(year: Year, today: datetime.date) -> tuple[list[PlannedContact], list[PlannedContact]]:
    """The year's planned contacts of the coming week and those overdue, in one query (plus the goers)."""
    last = today + datetime.timedelta(days=COMING_DAYS - 1)
    items = list(
        PlannedContact.objects.filter(team__year=year)
        .filter(Q(status=PlanStatus.PLANNED, date__gte=today, date__lte=last) | overdue_condition(today))
        .for_list()
    )
    overdue = [item for item in items if is_overdue(item, today)]
    return [item for item in items if not is_overdue(item, today)], overdue


def team_digests(year: Year, today: datetime.date, plans: tuple | None = None) -> list[TeamDigest]:
    """Per team: the shared figures of the review (targets not contacted, grassroots visits), plus drafts and
    overdue demands — a fixed number of queries."""
    teams = list(
        Team.objects.filter(year=year).select_related("lead__user").order_by("kind", "lead__order", "id")
    )
    minimums = dict(VisitQuota.objects.filter(year=year).values_list("team_kind", "minimum"))
    silent = figures.uncontacted_targets(year)
    past = figures.overdue_assignments(year, today=today)
    names = figures.target_names_by_id([pk for ids in past.values() for pk in ids]) if past else {}
    team_of = {pk: team_id for team_id, ids in past.items() for pk in ids}
    past_names: dict[int, list[str]] = defaultdict(list)  # in the policy's order of categories, then pinyin
    for pk, name in names.items():
        past_names[team_of[pk]].append(name)
    visits = figures.grassroots_visits(year)
    digests = {
        t.pk: TeamDigest(
            team=t,
            not_contacted=silent.get(t.pk, []),
            past_interval=past_names.get(t.pk, []),
            visits=visits.get(t.pk, 0),
            visit_minimum=minimums.get(t.kind),
        )
        for t in teams
    }
    drafts = ContactRecord.objects.alive().filter(team__year=year, status=RecordStatus.DRAFT)
    for row in drafts.values("team_id").annotate(n=Count("id")).order_by():
        digests[row["team_id"]].drafts = row["n"]
    for demand in (
        Demand.objects.alive().overdue(today).filter(record__team__year=year).select_related("record")
    ):
        digests[demand.record.team_id].overdue.append(
            f"{demand.text[:20]}（时限 {demand.due_date:%Y-%m-%d}）"
        )
    coming, late = plans if plans is not None else due_plans(year, today)
    for item in coming:
        digests[item.team_id].coming.append(plan_line(item))
    for item in late:
        digests[item.team_id].plan_overdue.append(plan_line(item))
    return list(digests.values())


@dataclass
class DigestResult:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # people without an email address
    messages: list[EmailMessage] = field(default_factory=list)  # in the order of sent


class DigestInterrupted(Exception):
    """The mail server failed part-way: the first `sent` messages went, the rest did not."""

    def __init__(self, sent: int, total: int) -> None:
        super().__init__(f"{sent} of {total} sent")
        self.sent, self.total = sent, total


def build_messages(year: Year, today: datetime.date) -> tuple[list[EmailMessage], DigestResult]:
    plans = due_plans(year, today)
    digests = team_digests(year, today, plans)
    by_lead: dict[int, list[TeamDigest]] = defaultdict(list)
    for d in digests:
        by_lead[d.team.lead_id].append(d)
    result = DigestResult()
    messages: list[EmailMessage] = []
    subject_date = f"{today:%Y-%m-%d}"

    def add(person: Staff, subject: str, body: str) -> None:
        if not person.user.email:
            result.skipped.append(person.name)
            return
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.user.email]))
        result.sent.append(person.name)

    leads = {d.team.lead_id: d.team.lead for d in digests}
    for lead_id, own in by_lead.items():
        lead = leads[lead_id]
        body = [f"{lead.name}同志：", f"以下是截至 {subject_date} 您牵头专班的联系工作情况。", ""]
        for d in own:
            body += d.lines() + [""]
        body.append("请登录市科协联系科技工作者工作平台查看详情。")
        add(lead, f"联系工作周报（{subject_date}）", "\n".join(body))

    office = Staff.objects.active().filter(department__is_liaison_office=True).select_related("user")
    total_short = sum(1 for d in digests if d.visit_minimum is not None and d.visits < d.visit_minimum)
    total_silent = sum(len(d.not_contacted) for d in digests)
    total_past = sum(len(d.past_interval) for d in digests)
    total_overdue = sum(len(d.overdue) for d in digests)
    total_plans = sum(len(d.plan_overdue) for d in digests)
    summary = [
        f"截至 {subject_date}，{year.year} 年度共 {len(digests)} 个专班：",
        f"下基层未达最少次数的专班 {total_short} 个；今年尚未联系的对象 {total_silent} 个；"
        f"超过联系间隔未联系的对象 {total_past} 个；超期诉求 {total_overdue} 件；{OVERDUE_LABEL}的工作计划 {total_plans} 项。",
        "",
    ]
    for d in digests:
        summary += d.lines()
    for person in office:
        add(person, f"联系工作周报·汇总（{subject_date}）", "\n".join([f"{person.name}同志：", *summary]))

    # each member who goes on a planned contact due or overdue, other than the lead (whose mail lists the team's)
    coming, late = plans
    mine: dict[int, tuple[Staff, list[str], list[str]]] = {}
    for items, slot in ((coming, 1), (late, 2)):
        for item in items:
            for person in item.goers.all():
                if person.pk == item.team.lead_id:
                    continue
                entry = mine.setdefault(person.pk, (person, [], []))
                entry[slot].append(f"{plan_line(item)} · {item.team.name}")
    people = Staff.objects.filter(pk__in=mine).select_related("user").in_bulk()
    for pk, (_person, due, overdue) in mine.items():
        person = people[pk]
        body = [f"{person.name}同志：", f"以下是截至 {subject_date} 您参加的工作计划。", ""]
        if due:
            body += [f"未来一周（{len(due)}）：", *(f"  {line}" for line in due), ""]
        if overdue:
            body += [f"{OVERDUE_LABEL}（{len(overdue)}）：", *(f"  {line}" for line in overdue), ""]
        body.append("联系后请在平台上记录，计划即自动完成。")
        add(person, f"工作计划提醒（{subject_date}）", "\n".join(body))
    result.messages = messages
    return messages, result


def send_weekly_digest(
    *,
    today: datetime.date,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> DigestResult:
    """Build the week's messages and send them one by one over one connection to the mail server (the
    scheduled command and the job started from /reports/digest/ both come here); progress(done, total) after
    each. A mail server failing part-way raises DigestInterrupted with how many went."""
    year = Year.objects.filter(year=today.year).first()
    if year is None:
        if progress is not None:
            progress(0, 0)
        return DigestResult()
    messages, result = build_messages(year, today)
    total = len(messages)
    if progress is not None:
        progress(0, total)
    connection = None if dry_run or not messages else get_connection()
    done = 0
    try:
        if connection is not None:
            connection.open()
        for message in messages:
            if connection is not None:
                connection.send_messages([message])
            done += 1
            if progress is not None:
                progress(done, total)
    except Exception as error:
        raise DigestInterrupted(done, total) from error
    finally:
        if connection is not None:
            connection.close()
    return result
