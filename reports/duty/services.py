"""The year-end duty report (年终个人述职, seed 000 §六.2): one person's contact work in a year, and the
summary of every person for the year-end evaluation (评先评优).

Definitions, stated once here and reused by the page, the PDF and both workbooks:

- **The person's contact records**: completed, not deleted ContactRecord rows where the person is a
  participant (the author always is), dated in the year — whatever team they belong to.
- **Teams**: the teams of the year the person leads or belongs to. Their targets by category, grassroots
  visits against the minimum and compliance are the year-end review's own figures
  (reports/review/services.py → liaison/compliance/figures.py, liaison/compliance/quotas.py): never counted a second way here.
- **The person's grassroots visits**: the shared definition (ContactRecord.objects.grassroots_visits) of the
  records they took part in.
- **Greeting coverage** of a team: reports.figures.greeting_coverage — of its scientists in force at year
  end, how many its completed greeting records of the year named, for the Spring Festival (春节) and for
  全国科技工作者日 (30 May), the two greetings seed 000 §四.3 asks for every year. A person's coverage
  adds up their teams.
- **Demands raised and closed**: demands on the person's records, by status; closed = 已办结.
- **Highlighted records** (述职重点): the person's records marked by the person or the liaison office.
- **The text** (述职正文): kept per person and year (DutyNarrative), else drafted from these figures by
  reports/duty/narrative.py, which counts nothing itself.
- **Nominations** (举荐, issue 20 §2): the nominations the person filed (推荐人) for the awards of the year,
  whatever team they filed for, and how many of them were awarded (获奖): awards.services.filed_counts.

`duty_report(staff, year)` and `summary_rows(year)` each run a fixed number of queries whatever the data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import ExtractMonth

from awards.services import filed_counts
from liaison.compliance import figures, quotas
from liaison.models import (
    OPEN_DEMAND_STATUSES,
    ContactMethod,
    ContactRecord,
    ContactTarget,
    Demand,
    DemandStatus,
    Occasion,
    Staff,
    Team,
    Year,
)
from reports.duty import narrative
from reports.duty.models import DutyNarrative
from reports.review.services import TeamReview, review_rows

MONTHS = list(range(1, 13))
GREETING_OCCASIONS = (Occasion.SPRING_FESTIVAL, Occasion.WORKERS_DAY)
LEAD, MEMBER = "lead", "member"
ROLE_LABELS = {LEAD: "牵头", MEMBER: "成员"}


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


# --- greeting coverage ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Greeting:
    """A team's (or a person's teams') assigned scientists and how many were greeted at each occasion."""

    scientists: int = 0
    spring_festival: int = 0
    workers_day: int = 0

    def __add__(self, other: Greeting) -> Greeting:
        return Greeting(
            self.scientists + other.scientists,
            self.spring_festival + other.spring_festival,
            self.workers_day + other.workers_day,
        )

    @property
    def spring_text(self) -> str:
        return (
            f"{self.spring_festival} / {self.scientists}（{percent(self.spring_festival, self.scientists)}）"
        )

    @property
    def workers_text(self) -> str:
        return f"{self.workers_day} / {self.scientists}（{percent(self.workers_day, self.scientists)}）"


def greeting_counts(year: Year, team_ids: Iterable[int] | None = None) -> dict[int, Greeting]:
    """{team id: Greeting} for the year's teams with scientists in force, from the shared definition
    (reports.figures.greeting_coverage): two grouped queries."""
    spring = figures.greeting_coverage(year, Occasion.SPRING_FESTIVAL, team_ids)
    workers = figures.greeting_coverage(year, Occasion.WORKERS_DAY, team_ids)
    return {
        team_id: Greeting(assigned, greeted, workers.get(team_id, (0, assigned))[0])
        for team_id, (greeted, assigned) in spring.items()
    }


# --- the person's records -------------------------------------------------------------------------------


def year_records(year: Year) -> QuerySet[ContactRecord]:
    """Records that count as someone's work in the year: completed, not deleted, dated in the year."""
    return ContactRecord.objects.completed().filter(date__gte=year.first_day, date__lte=year.last_day)


def records_of(staff: Staff, year: Year) -> QuerySet[ContactRecord]:
    """The person's contact records of the year (see the module docstring)."""
    return year_records(year).filter(participants=staff)


def grassroots_of(staff: Staff, year: Year) -> QuerySet[ContactRecord]:
    """The person's grassroots visits: the shared definition (ContactRecord.objects.grassroots_visits) of
    the records they took part in."""
    return ContactRecord.objects.grassroots_visits(year).filter(participants=staff)


@dataclass(frozen=True)
class MethodRow:
    label: str
    months: list[int]

    @property
    def total(self) -> int:
        return sum(self.months)


@dataclass(frozen=True)
class DemandFigures:
    by_status: dict[str, int]

    @property
    def raised(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return self.by_status.get(DemandStatus.DONE, 0)

    @property
    def open(self) -> int:
        return sum(self.by_status.get(s, 0) for s in OPEN_DEMAND_STATUSES)

    def rows(self) -> list[tuple[str, int]]:
        return [(label, self.by_status.get(value, 0)) for value, label in DemandStatus.choices]


@dataclass
class TeamPart:
    """One of the person's teams: how they take part, the review's figures and the greeting coverage."""

    review: TeamReview
    role: str
    greeting: Greeting

    @property
    def team(self) -> Team:
        return self.review.team

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def is_lead(self) -> bool:
        return self.role == LEAD


@dataclass
class DutyReport:
    staff: Staff
    year: Year
    teams: list[TeamPart]
    methods: list[MethodRow]
    grassroots: int
    demands: DemandFigures
    highlighted: list[ContactRecord] = field(default_factory=list)
    # the person's own yearly minimum of grassroots visits: the highest the rules set for their teams' kinds
    grassroots_minimum: int | None = None
    # 举荐: nominations the person filed for the year's awards, and how many of them were awarded
    nominations: int = 0
    nominations_awarded: int = 0
    # the text the person kept (述职正文), if any: reports/duty/narrative.py drafts it otherwise
    kept: DutyNarrative | None = None

    @property
    def draft(self) -> str:
        """The narrative drafted from this report's figures now."""
        return narrative.draft_text(self)

    @property
    def narrative(self) -> str:
        """The report's text: the one kept, else the draft."""
        return self.kept.text if self.kept is not None else self.draft

    @property
    def narrative_paragraphs(self) -> list[str]:
        return narrative.paragraphs(self.narrative)

    @property
    def self_assessment(self) -> str:
        return self.kept.self_assessment if self.kept is not None else narrative.draft_assessment(self)

    @property
    def assessment_paragraphs(self) -> list[str]:
        return narrative.paragraphs(self.self_assessment)

    @property
    def draft_moved(self) -> bool:
        """The figures moved since the kept text was drafted: a new draft is offered beside it."""
        return self.kept is not None and self.kept.basis != self.draft

    @property
    def signature_lines(self) -> list[str]:
        return narrative.signature_lines(self)

    @property
    def grassroots_short(self) -> bool:
        return self.grassroots_minimum is not None and self.grassroots < self.grassroots_minimum

    @property
    def led(self) -> list[TeamPart]:
        return [t for t in self.teams if t.is_lead]

    @property
    def month_totals(self) -> list[int]:
        return [sum(row.months[i] for row in self.methods) for i in range(12)]

    @property
    def records(self) -> int:
        return sum(row.total for row in self.methods)

    @property
    def greeting(self) -> Greeting:
        return sum((t.greeting for t in self.teams), Greeting())

    @property
    def summary_sentence(self) -> str:
        """The report's figures in one sentence, the same on the page, in the PDF and in the workbook."""
        return (
            f"全年参加联系记录 {self.records} 条，其中下基层 {self.grassroots} 次"
            + (f"（每人不少于 {self.grassroots_minimum} 次）" if self.grassroots_minimum is not None else "")
            + "；"
            f"记录科技工作者诉求 {self.demands.raised} 件，已办结 {self.demands.done} 件，"
            f"未办结 {self.demands.open} 件；举荐科技工作者 {self.nominations} 人次，获奖 "
            f"{self.nominations_awarded} 人次；述职重点 {len(self.highlighted)} 条。"
        )

    @property
    def fact_rows(self) -> list[tuple[str, str]]:
        """The key figures as (label, text), the same in the PDF and the Word file."""
        g = self.greeting
        teams = "、".join(f"{t.team.name}（{t.role_label}）" for t in self.teams) or "本年度未参加专班"
        visits = f"{self.grassroots} 次"
        if self.grassroots_minimum is not None:
            visits += (
                f"（每人不少于 {self.grassroots_minimum} 次{'，未达到' if self.grassroots_short else ''}）"
            )
        return [
            ("所在专班", teams),
            ("参加联系记录", f"{self.records} 条"),
            ("本人下基层", visits),
            ("春节慰问覆盖", g.spring_text),
            ("全国科技工作者日慰问覆盖", g.workers_text),
            (
                "诉求",
                f"记录 {self.demands.raised} 件，已办结 {self.demands.done} 件，未办结 {self.demands.open} 件",
            ),
            ("举荐科技工作者", f"{self.nominations} 人次，获奖 {self.nominations_awarded} 人次"),
        ]

    @property
    def title_line(self) -> str:
        """The header of every page: name, post and year."""
        staff = self.staff
        parts = [staff.name, staff.department.name if staff.department_id else "", staff.title]
        return " · ".join(p for p in parts if p) + f" · {self.year.year} 年度"


def _with_members(rows: list[TeamReview]) -> list[TeamReview]:
    """The rows with their teams' members loaded (one query)."""
    members = Prefetch("members", queryset=Staff.objects.order_by("order", "id"))
    prefetch_related_objects([r.team for r in rows], members)
    return rows


def _teams_of(staff: Staff, rows: list[TeamReview]) -> list[tuple[TeamReview, str]]:
    """The person's teams among the review's rows (their members are prefetched): led ones first."""
    led = [(r, LEAD) for r in rows if r.team.lead_id == staff.pk]
    joined = [
        (r, MEMBER)
        for r in rows
        if r.team.lead_id != staff.pk and any(m.pk == staff.pk for m in r.team.members.all())
    ]
    return led + joined


def method_rows(records: QuerySet[ContactRecord]) -> list[MethodRow]:
    """Records by method × month: one grouped query."""
    counts: dict[str, list[int]] = {value: [0] * 12 for value in ContactMethod.values}
    rows = records.annotate(month=ExtractMonth("date")).values("method", "month").annotate(n=Count("id"))
    for row in rows.order_by():
        if row["method"] in counts:
            counts[row["method"]][row["month"] - 1] += row["n"]
    return [MethodRow(label, counts[value]) for value, label in ContactMethod.choices]


def highlighted_records(records: QuerySet[ContactRecord]) -> list[ContactRecord]:
    targets = Prefetch(
        "targets", queryset=ContactTarget.objects.select_related("organization", "scientist").order_by("id")
    )
    return list(
        records.filter(highlighted=True)
        .select_related("team")
        .prefetch_related(targets)
        .order_by("date", "id")
    )


def person_visit_minimum(year: Year, kinds: set[str]) -> int | None:
    """A person's own yearly minimum of grassroots visits: the highest the rules set for their teams' kinds."""
    return max((m for kind, m in quotas.person_visit_minimums(year).items() if kind in kinds), default=None)


def duty_report(staff: Staff, year: Year) -> DutyReport:
    """The duty report of one person for one year, in a fixed number of queries."""
    own = set(Team.objects.filter(Q(lead=staff) | Q(members=staff), year=year).values_list("pk", flat=True))
    mine = _teams_of(staff, _with_members(review_rows(year, own, names=True))) if own else []
    greetings = greeting_counts(year, own) if mine else {}
    records = records_of(staff, year)
    demand_rows = (
        Demand.objects.filter(record__in=records.values("pk"))
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    nominations, awarded = filed_counts(year.year, [staff.user_id]).get(staff.user_id, (0, 0))
    return DutyReport(
        staff=staff,
        year=year,
        teams=[TeamPart(r, role, greetings.get(r.team.pk, Greeting())) for r, role in mine],
        methods=method_rows(records),
        grassroots=grassroots_of(staff, year).count(),
        demands=DemandFigures({row["status"]: row["n"] for row in demand_rows}),
        highlighted=highlighted_records(records),
        grassroots_minimum=person_visit_minimum(year, {r.team.kind for r, _ in mine}),
        nominations=nominations,
        nominations_awarded=awarded,
        kept=DutyNarrative.objects.filter(staff=staff, year=year).select_related("updated_by__staff").first(),
    )


# --- the summary of everyone ----------------------------------------------------------------------------


@dataclass
class SummaryRow:
    """One person's key figures for the year-end evaluation."""

    staff: Staff
    led: TeamReview | None
    member_of: list[Team]
    records: int
    grassroots: int
    demands_raised: int
    demands_done: int
    demands_open: int
    highlighted: int
    greeting: Greeting
    nominations: int = 0
    nominations_awarded: int = 0

    @property
    def visits_text(self) -> str:
        if self.led is None:
            return ""
        visits = self.led.data["grassroots_visits"]
        return f"{visits['count']} / {visits['min']}" if visits["min"] is not None else str(visits["count"])

    @property
    def compliance_text(self) -> str:
        if self.led is None:
            return ""
        return "达标" if self.led.data["compliant"] else "未达标"

    @property
    def shortfalls(self) -> list[str]:
        return list(self.led.data["shortfalls"]) if self.led is not None else []


def staff_of_year(year: Year) -> QuerySet[Staff]:
    """Who the year's summary lists: staff in post, and anyone who led or joined one of the year's teams;
    leadership first, then department by department, as the staff list orders them."""
    in_teams = Q(pk__in=Team.objects.filter(year=year).values("lead")) | Q(
        pk__in=Team.members.through.objects.filter(team__year=year).values("staff")
    )
    return (
        Staff.objects.filter(Q(is_active=True) | in_teams)
        .select_related("department")
        .annotate(no_department=Case(When(department__isnull=True, then=Value(0)), default=Value(1)))
        .order_by("no_department", "department__order", "department__id", "order", "id")
    )


def person_figures(year: Year) -> dict[int, Counter]:
    """{staff id: Counter(records, highlighted, grassroots, demands, demands_done, demands_open)} for
    everyone at once: three queries grouped by participant, computed in the database. (One correlated
    subquery per person and figure took 24 s for 6,000 staff and a million records on PostgreSQL; grouping
    reads each table once: 1.6 s.)"""
    result: dict[int, Counter] = defaultdict(Counter)
    records = year_records(year)
    rows = records.values("participants").annotate(n=Count("id"), h=Count("id", filter=Q(highlighted=True)))
    for row in rows.order_by():
        result[row["participants"]].update(records=row["n"], highlighted=row["h"])
    rows = ContactRecord.objects.grassroots_visits(year).values("participants").annotate(n=Count("id"))
    for row in rows.order_by():
        result[row["participants"]]["grassroots"] = row["n"]
    rows = (
        Demand.objects.filter(record__in=records.values("pk"))
        .values("record__participants", "status")
        .annotate(n=Count("id"))
    )
    for row in rows.order_by():
        counts = result[row["record__participants"]]
        counts["demands"] += row["n"]
        if row["status"] == DemandStatus.DONE:
            counts["demands_done"] += row["n"]
        if row["status"] in OPEN_DEMAND_STATUSES:
            counts["demands_open"] += row["n"]
    return result


def summary_rows(year: Year) -> list[SummaryRow]:
    """One row per person of the year (see staff_of_year) with the key figures, in a fixed number of
    queries: the review once for every team, greeting coverage, the staff, and their own figures grouped."""
    reviews = _with_members(review_rows(year))
    greetings = greeting_counts(year)
    led: dict[int, TeamReview] = {}
    member_of: dict[int, list[Team]] = defaultdict(list)
    greeting_of: dict[int, Greeting] = defaultdict(Greeting)
    for row in reviews:
        team = row.team
        led[team.lead_id] = row
        team_greeting = greetings.get(team.pk, Greeting())
        greeting_of[team.lead_id] += team_greeting
        for member in team.members.all():
            if member.pk != team.lead_id:
                member_of[member.pk].append(team)
                greeting_of[member.pk] += team_greeting
    mine = person_figures(year)
    nominated = filed_counts(year.year)
    rows = []
    for s in staff_of_year(year):
        counts = mine.get(s.pk, Counter())
        rows.append(
            SummaryRow(
                staff=s,
                led=led.get(s.pk),
                member_of=member_of.get(s.pk, []),
                records=counts["records"],
                grassroots=counts["grassroots"],
                demands_raised=counts["demands"],
                demands_done=counts["demands_done"],
                demands_open=counts["demands_open"],
                highlighted=counts["highlighted"],
                greeting=greeting_of.get(s.pk, Greeting()),
                nominations=nominated.get(s.user_id, (0, 0))[0],
                nominations_awarded=nominated.get(s.user_id, (0, 0))[1],
            )
        )
    return rows
