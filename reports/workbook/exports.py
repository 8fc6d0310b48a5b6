"""Excel exports in the import workbook's own sheet formats, so that an export imports back unchanged.

Each `*_table` function returns a Table: a sheet title, its header and an iterator of rows read with
`.iterator()` (joins done in the database, a fixed number of queries per chunk of rows, value rows rather
than model instances for the large sheets). `write_workbook`
streams tables into an .xlsx row by row (common/xlsx_writer.py), so memory stays flat.

Text that a spreadsheet would run as a formula (beginning with = + - @) is written as a string cell with
Excel's "quote prefix" style: it shows and stays as text even when someone edits the cell, and openpyxl
(our import) reads back exactly the text that was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Set
from dataclasses import dataclass
from operator import itemgetter
from typing import IO, Any, TypeVar

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.personal_data import mask_email, mask_phone
from common.xlsx_writer import PRINT, Printing, XlsxWriter
from experts.models import FourHeads, Gender, Scientist, TalentCategory
from liaison.compliance import categories
from liaison.filing.services import lines_in_force
from liaison.models import (
    Assignment,
    ContactCategory,
    ContactChannel,
    ContactMethod,
    ContactRecord,
    ContactTarget,
    Demand,
    DemandKind,
    DemandStatus,
    Occasion,
    QuotaRule,
    Staff,
    TargetType,
    Team,
    TeamKind,
    Topic,
    VisitQuota,
    Year,
    category_label,
)
from orgs.models import OfficerPost, Organization, OrgKind, Tenure
from reports.workbook.imports.format import (
    ASSIGNMENTS,
    CATEGORIES,
    DEMAND_HEADERS,
    DEMANDS,
    FILINGS,
    LIST_JOINER,
    NO,
    ORGS,
    PERSON_VISITS_ITEM,
    RECORDS,
    RULES,
    SCIENTISTS,
    SHEET_ORDER,
    STAFF,
    TARGET_ORG,
    TARGET_SCIENTIST,
    TEAMS,
    VISITS_ITEM,
    YES,
    headers,
    record_number,
)

CHUNK = 2000
T = TypeVar("T")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: Iterable[list[Any]]
    # how many rows it will have (one COUNT query), for a job's progress bar; None for the small tables
    size: Callable[[], int] | None = None
    widths: list[float] | None = None  # None: WIDTHS by header
    printing: Printing = PRINT  # how the sheet prints (common/xlsx_writer.py)


# --- writing --------------------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return YES if value else NO


WIDTHS = {"名称": 28, "工作单位": 26, "联系对象": 36, "情况摘要": 40, "反映问题": 30, "内容": 40, "备注": 24}


def write_workbook(tables: Iterable[Table], target: str | IO[bytes]) -> None:
    """Write the tables as sheets of one .xlsx, row by row: memory stays flat however many rows there are."""
    with XlsxWriter(target) as book:
        for table in tables:
            widths = table.widths or [WIDTHS.get(h, 14) for h in table.headers]
            book.add_sheet(table.title, table.headers, table.rows, widths, table.printing)


# --- registries -----------------------------------------------------------------------------------------

ORG_KIND_ORDER = Case(
    *[When(kind=kind, then=Value(i)) for i, kind in enumerate(OrgKind.values)], output_field=IntegerField()
)


def organization_table(*, visible_ids: Set[int] | None = None) -> Table:
    """组织, parents before children (districts, …, townships, villages), then by pinyin. 联系电话 is personal
    data: in full for the organisations in visible_ids (None: all), masked for the others (the importer keeps
    the stored phone for a masked one)."""
    kinds = dict(OrgKind.choices)
    queryset = (
        Organization.objects.annotate(kind_order=ORG_KIND_ORDER)
        .order_by("kind_order", "name_pinyin", "name")
        .values_list(
            "pk",
            "name",
            "kind",
            "parent__name",
            "county__name",
            "address",
            "contact_person",
            "contact_phone",
            "notes",
        )
    )

    def rows() -> Iterator[list[Any]]:
        for pk, name, kind, parent, county, address, person, phone, notes in queryset.iterator(
            chunk_size=CHUNK
        ):
            if visible_ids is not None and pk not in visible_ids:
                phone = mask_phone(phone)
            yield [name, kinds[kind], parent or "", county or "", address, person, phone, notes]

    return Table(ORGS, headers(ORGS), rows(), queryset.count)


SCIENTIST_FIELDS = {
    "姓名": "name",
    "性别": "gender",
    "出生日期": "birth_date",
    "工作单位": "employer",
    "所属组织": "organization__name",
    "职务": "post",
    "职称": "title",
    "学科领域": "discipline",
    "人才类别": "category",
    "手机": "mobile",
    "邮箱": "email",
    "备注": "notes",
    "四长": "four_heads",
    "农历生日": "birthday_lunar",
}


def scientist_table(*, visible_ids: Set[int] | None = None) -> Table:
    """科技工作者; 手机 and 邮箱 are personal data: in full for the scientists in visible_ids (None: all),
    masked for the others (138****5678, z***@…; the importer keeps the stored value for a masked one)."""
    columns = headers(SCIENTISTS)
    labels = {
        "性别": dict(Gender.choices),
        "人才类别": dict(TalentCategory.choices),
        "四长": dict(FourHeads.choices),
        "农历生日": {True: YES, False: NO},
    }
    convert = [labels.get(c) for c in columns]
    masks = {i: {"手机": mask_phone, "邮箱": mask_email}.get(c) for i, c in enumerate(columns)}
    masks = {i: mask for i, mask in masks.items() if mask}
    queryset = Scientist.objects.order_by("name_pinyin", "name", "employer").values_list(
        "pk", *[SCIENTIST_FIELDS[c] for c in columns]
    )

    def rows() -> Iterator[list[Any]]:
        for pk, *values in queryset.iterator(chunk_size=CHUNK):
            row = [
                (table.get(v, "") if table else ("" if v is None else v))
                for table, v in zip(convert, values, strict=True)
            ]
            if visible_ids is not None and pk not in visible_ids:
                for i, mask in masks.items():
                    row[i] = mask(row[i])
            yield row

    return Table(SCIENTISTS, columns, rows(), queryset.count)


def staff_table() -> Table:
    """干部: leadership first, then department by department."""
    queryset = (
        Staff.objects.select_related("user", "department")
        .annotate(no_department=Case(When(department__isnull=True, then=Value(0)), default=Value(1)))
        .order_by("no_department", "department__order", "department__name", "order", "user__username")
    )

    def rows() -> Iterator[list[Any]]:
        for s in queryset.iterator(chunk_size=CHUNK):
            department = s.department.name if s.department_id else ""
            yield [s.name, s.user.username, department, s.title, s.get_position_display(), s.phone, s.order]

    return Table(STAFF, headers(STAFF), rows(), queryset.count)


# --- the year's plan ------------------------------------------------------------------------------------

TEAM_ORDER = ("team_kind_order", "lead__department__order", "lead__order", "name")


def _team_kind_order(prefix: str = "") -> Case:
    return Case(When(**{f"{prefix}kind": TeamKind.LEADER}, then=Value(0)), default=Value(1))


def category_table() -> Table:
    """联系类别: the categories the city added (the seven built-in ones are not written)."""

    def rows() -> Iterator[list[Any]]:
        for c in ContactCategory.objects.order_by("created_at", "id"):
            kind = TARGET_ORG if c.target_type == TargetType.ORGANIZATION else TARGET_SCIENTIST
            yield [c.name, kind, LIST_JOINER.join(c.takes_labels)]

    return Table(CATEGORIES, headers(CATEGORIES), rows())


def rule_table(year: Year) -> Table:
    """联系定额: the year's whole rule set per kind of team, categories in the policy's order, 下基层 last."""

    def rows() -> Iterator[list[Any]]:
        rules = list(QuotaRule.objects.filter(year=year))
        visits = {v.team_kind: v for v in VisitQuota.objects.filter(year=year)}
        for kind, label in TeamKind.choices:
            mine = sorted(
                (r for r in rules if r.team_kind == kind), key=lambda r: categories.order_key(r.category)
            )
            for r in mine:
                yield [year.year, label, r.category_label, r.minimum, r.maximum, r.contact_interval_days]
            visit = visits.get(kind)
            if visit is not None and visit.minimum is not None:
                yield [year.year, label, VISITS_ITEM, visit.minimum, None, None]
            if visit is not None and visit.person_minimum is not None:
                yield [year.year, label, PERSON_VISITS_ITEM, visit.person_minimum, None, None]

    return Table(RULES, headers(RULES), rows())


def team_table(year: Year) -> Table:
    """专班: leader teams first, as the plan tables list them; members by user name."""
    members = Prefetch("members", queryset=Staff.objects.select_related("user").order_by("user__username"))
    queryset = (
        Team.objects.filter(year=year)
        .select_related("lead__user")
        .prefetch_related(members)
        .annotate(team_kind_order=_team_kind_order())
        .order_by(*TEAM_ORDER)
    )

    def rows() -> Iterator[list[Any]]:
        for t in queryset.iterator(chunk_size=CHUNK):
            names = LIST_JOINER.join(m.user.username for m in t.members.all() if m.pk != t.lead_id)
            yield [year.year, t.name, t.get_kind_display(), t.lead.user.username, names]

    return Table(TEAMS, headers(TEAMS), rows())


def assignment_table(year: Year) -> Table:
    """联系对象 in force (an ended assignment is history, not part of the plan to import); value rows."""
    queryset = (
        Assignment.objects.in_force_at_year_end()
        .filter(team__year=year)
        .annotate(
            team_kind_order=_team_kind_order("team__"),
            scientist_last=Case(When(organization__isnull=True, then=Value(1)), default=Value(0)),
        )
        .order_by(
            "team_kind_order",
            "team__lead__department__order",
            "team__lead__order",
            "team__name",
            "scientist_last",
            "category",
            "organization__name_pinyin",
            "organization__name",
            "scientist__name_pinyin",
            "scientist__name",
            "scientist__employer",
        )
        .values_list(
            "team__name",
            "organization_id",
            "organization__name",
            "scientist__name",
            "scientist__employer",
            "category",
            "note",
        )
    )

    def rows() -> Iterator[list[Any]]:
        for team, org_id, org, scientist, employer, category, note in queryset.iterator(chunk_size=CHUNK):
            if org_id:
                kind, name, employer = TARGET_ORG, org, ""
            else:
                kind, name = TARGET_SCIENTIST, scientist
            # Assignment.category_label
            yield [year.year, team, kind, name, employer, category_label(category) if category else "", note]

    return Table(ASSIGNMENTS, headers(ASSIGNMENTS), rows(), queryset.count)


# --- contact records and demands ------------------------------------------------------------------------


def namesakes() -> set[str]:
    """Scientist names borne by more than one person: a record writes them 姓名(工作单位) (spec)."""
    return set(
        Scientist.objects.values("name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("name", flat=True)
        .order_by()
    )


def key_batches(rows: Iterable[T], key: Callable[[T], Any], size: int = CHUNK) -> Iterator[list[T]]:
    """Rows sorted by key in lists of at least size rows (but the last) that never split a key: a list's
    rows are then exactly those whose key lies between its first and its last, which a query can ask for."""
    batch: list[T] = []
    for row in rows:
        if len(batch) >= size and key(row) != key(batch[-1]):
            yield batch
            batch = []
        batch.append(row)
    if batch:
        yield batch


def grouped(pairs: Iterable[tuple[int, Any]]) -> dict[int, list[Any]]:
    """{key: [values in the order read]} of (key, value) pairs."""
    out: dict[int, list[Any]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


RecordParticipant = ContactRecord.participants.through


def record_table(year: Year) -> Table:
    """联系记录 of the year: completed and not deleted (what counts as work), with their demands.

    Set-wise (issue 19 §5): the records are read as value rows in the export's order (date, team, id), in
    chunks of about CHUNK that never split a team's day, and each chunk's targets, participants and demands
    in one query each (the year's records from the chunk's first date and team to its last; flat value rows
    joined in memory by record id): four queries a chunk, no model instances, one chunk in memory."""
    doubled = namesakes()
    topic_labels = dict(Topic.choices)
    topic_order = Topic.values
    methods, channels = dict(ContactMethod.choices), dict(ContactChannel.choices)
    occasions, kinds = dict(Occasion.choices), dict(DemandKind.choices)
    completed = ContactRecord.objects.completed().filter(team__year=year)
    records = completed.order_by("date", "team__name", "id").values_list(
        "pk",
        "date",
        "team__name",
        "method",
        "channel",
        "grassroots",
        "topics",
        "summary",
        "occasion",
        "place",
    )

    def rows() -> Iterator[list[Any]]:
        for chunk in key_batches(records.iterator(chunk_size=CHUNK), itemgetter(1, 2), CHUNK):
            # The chunk's records are exactly the year's records from its first (date, team) to its last, in
            # the order of the export: its children are asked for by that range (a list of ids costs the
            # database driver and Django ~10 µs an id to bind). A chunk holds whole teams' days, so a day
            # with a great many records still comes in chunks of about CHUNK.
            (first_day, first_team), (last_day, last_team) = chunk[0][1:3], chunk[-1][1:3]
            mine = completed.filter(
                Q(date__gt=first_day) | Q(date=first_day, team__name__gte=first_team),
                Q(date__lt=last_day) | Q(date=last_day, team__name__lte=last_team),
                date__range=(first_day, last_day),  # for the index on date
            )
            named = grouped(
                (record, (0, org) if org_id else (1, f"{name}({employer})" if name in doubled else name))
                for record, org_id, org, name, employer in ContactTarget.objects.filter(
                    record__in=mine
                ).values_list(
                    "record_id",
                    "organization_id",
                    "organization__name",
                    "scientist__name",
                    "scientist__employer",
                )
            )
            people = grouped(
                RecordParticipant.objects.filter(contactrecord__in=mine).values_list(
                    "contactrecord_id", "staff__user__username"
                )
            )
            demands = grouped(
                (record, (text, kind))
                for record, text, kind in Demand.objects.filter(record__in=mine)
                .order_by("id")
                .values_list("record_id", "text", "kind")
            )
            for pk, date, team, method, channel, grassroots, topics, summary, occasion, place in chunk:
                found = demands.get(pk, ())
                yield [
                    date,
                    team,
                    methods.get(method, method),
                    channels.get(channel, channel),
                    LIST_JOINER.join(label for _order, label in sorted(named.get(pk, ()))),
                    LIST_JOINER.join(sorted(people.get(pk, ()))),
                    _yes_no(grassroots),
                    LIST_JOINER.join(topic_labels[t] for t in topic_order if t in topics),
                    summary,
                    "\n".join(text for text, _kind in found),
                    occasions.get(occasion, occasion),
                    place,
                    kinds.get(found[0][1], found[0][1]) if found else "",
                    record_number(pk),
                ]

    return Table(RECORDS, headers(RECORDS), rows(), records.count)


def demand_table(year: Year) -> Table:
    """诉求 of the year's records, with where each stands in its follow-up (value rows: no model instances)."""
    kinds, statuses = dict(DemandKind.choices), dict(DemandStatus.choices)
    queryset = (
        Demand.objects.alive()
        .filter(record__team__year=year)
        .order_by("record__date", "record__team__name", "record_id", "id")
        .values_list(
            "record__date",
            "record__team__name",
            "raised_by_scientist__name",
            "raised_by_organization__name",
            "raised_by_text",
            "kind",
            "text",
            "status",
            "handler_department__name",
            "handler__name",
            "due_date",
            "reply",
            "closed_at",
            "revisit_date",
            "revisit_satisfied",
            "handler__user__username",
            "record_id",
        )
    )

    def rows() -> Iterator[list[Any]]:
        for (
            date,
            team,
            scientist,
            organization,
            raised_by_text,
            kind,
            text,
            status,
            department,
            handler,
            due_date,
            reply,
            closed_at,
            revisit_date,
            satisfied,
            username,
            record,
        ) in queryset.iterator(chunk_size=CHUNK):
            yield [
                date,
                team,
                # Demand.raised_by_name: the scientist, else the organisation, else the text
                scientist
                if scientist is not None
                else organization
                if organization is not None
                else raised_by_text,
                kinds.get(kind, kind),
                text,
                statuses.get(status, status),
                department or "",
                handler or "",
                due_date,
                reply,
                closed_at,
                revisit_date,
                "" if satisfied is None else _yes_no(satisfied),
                username or "",
                record_number(record),
            ]

    return Table(DEMANDS, list(DEMAND_HEADERS), rows(), queryset.count)


# --- the third layer: filings ----------------------------------------------------------------------------

POST_ORDER = Case(
    *[When(current_post=post, then=Value(i)) for i, post in enumerate(OfficerPost.values)],
    output_field=IntegerField(),
)


def filing_table(year: Year) -> Table:
    """备案: one row per line of each organisation's division in force for the year (已报备 or 已确认;
    liaison.filing.services.lines_in_force, what the network reads), naming a registry scientist (a proposed
    one not yet confirmed has no registry name to write). The officer is written as the officer list holds
    them now (name, 职务, 任职方式), so that the file imports back unchanged; an officer since removed from
    the list as the line was filed. By organisation, then post (主席 first), officer, scientist."""
    posts, tenures = dict(OfficerPost.choices), dict(Tenure.choices)
    queryset = (
        lines_in_force(year)
        .annotate(
            current_name=Coalesce("officer__name", "officer_name"),
            current_post=Coalesce("officer__post", "post"),
            current_tenure=Coalesce("officer__tenure", "tenure"),
        )
        .annotate(post_order=POST_ORDER)
        .order_by(
            "revision__filing__organization__name_pinyin",
            "revision__filing__organization__name",
            "post_order",
            "current_name",
            "scientist__name_pinyin",
            "scientist__name",
            "scientist__employer",
            "id",
        )
        .values_list(
            "revision__filing__organization__name",
            "current_name",
            "current_post",
            "current_tenure",
            "scientist__name",
            "scientist__employer",
        )
    )

    def rows() -> Iterator[list[Any]]:
        for org, officer, post, tenure, scientist, employer in queryset.iterator(chunk_size=CHUNK):
            yield [year.year, org, officer, posts[post], tenures.get(tenure, ""), scientist, employer]

    return Table(FILINGS, headers(FILINGS), rows())


# --- whole workbooks ------------------------------------------------------------------------------------


def plan_tables(year: Year) -> list[Table]:
    return [category_table(), rule_table(year), team_table(year), assignment_table(year)]


def record_tables(year: Year) -> list[Table]:
    return [record_table(year), demand_table(year)]


def everything(
    year: Year, *, scientists_visible: Set[int] | None = None, orgs_visible: Set[int] | None = None
) -> list[Table]:
    """Every sheet of the import workbook for one year, plus its demands and its filings: a full backup that
    imports back (contact details in full for the people visible, see organization_table and
    scientist_table)."""
    return [
        organization_table(visible_ids=orgs_visible),
        scientist_table(visible_ids=scientists_visible),
        staff_table(),
        *plan_tables(year),
        *record_tables(year),
        filing_table(year),
    ]


def template_tables() -> list[Table]:
    """An empty workbook with every sheet's header row, to fill in and import."""
    return [Table(name, headers(name), []) for name in SHEET_ORDER]  # the order they are applied in


def today_stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")
