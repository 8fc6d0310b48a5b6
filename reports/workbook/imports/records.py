"""联系记录: every row is a new contact record unless an identical one exists (docs/workbook.md); a row whose
记录编号 names one of our records updates that record (and the demand its 反映问题 opened) instead.

"Identical" compares every column the sheet has: the same team, date, method, targets, participants and so
on. Records are written through liaison.contacts.record_save, and a non-empty 反映问题 opens a demand
through liaison.contacts.demand_create.

Which kind of demand: the 诉求类别 column when the sheet has it; otherwise the record's topics decide, the
first of 了解困难 → 困难诉求, 建言献策 → 意见建议, 科研合作 → 项目合作, 举荐表彰 → 举荐表彰; with none of these,
困难诉求 (seed 000 §三②: problems and difficulties are what people raise most).

参加人员 left empty means the team's lead: a record needs a 记录人 (author), taken as the first participant.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.db.models import Q

from common.occasions import occasion_of_date
from experts.models import Scientist
from liaison.contacts import services as contacts
from liaison.models import (
    ContactChannel,
    ContactMethod,
    ContactRecord,
    ContactTarget,
    Demand,
    DemandKind,
    Occasion,
    Staff,
    Topic,
)
from orgs.models import Organization

from . import cells
from .base import Invalid
from .context import Row
from .format import (
    CHANNELS,
    DEMAND_KINDS,
    LIST_JOINER,
    METHODS,
    OCCASIONS,
    RECORDS,
    STAFF,
    TOPICS,
    allowed,
    canon,
    record_pk,
)
from .instances import Instances
from .plan import PlanSheet, find_scientist

TOPIC_ORDER = {value: i for i, value in enumerate(Topic.values)}
DEMAND_KIND_BY_TOPIC = [
    (Topic.DIFFICULTIES, DemandKind.DIFFICULTY),
    (Topic.ADVICE, DemandKind.SUGGESTION),
    (Topic.COOPERATION, DemandKind.COOPERATION),
    (Topic.COMMENDATION, DemandKind.COMMENDATION),
]


def demand_kind_for(topics: list[str]) -> str:
    for topic, kind in DEMAND_KIND_BY_TOPIC:
        if topic in topics:
            return kind
    return DemandKind.DIFFICULTY


def raised_by(targets: list[Organization | Scientist]) -> dict[str, Any]:
    """Who raised the demand: the one scientist of the record (as the logging form does), else the one
    organisation, else nobody named."""
    people = [t for t in targets if isinstance(t, Scientist)]
    if len(people) == 1:
        return {"raised_by_scientist": people[0]}
    if not people and len(targets) == 1:
        return {"raised_by_organization": targets[0]}
    return {}


def target_key(target: Organization | Scientist) -> tuple[str, Any]:
    """A target's identity: its kind and primary key (for a scientist the set-wise path has yet to create,
    the object itself, bulk.py)."""
    return (
        "o" if isinstance(target, Organization) else "s",
        target.pk if target.pk is not None else id(target),
    )


NEW_RECORD = Instances(ContactRecord)  # 80,000 records for a 100,000-row workbook: built quickly


@dataclass
class StoredRecord:
    """A record as its signature reads it (RecordSheet.signature_of_stored)."""

    team_id: int
    date: datetime.date
    method: str
    channel: str
    targets: frozenset = frozenset()
    participants: frozenset = frozenset()
    grassroots: bool = False
    topics: list[str] = field(default_factory=list)
    summary: str = ""
    demands: list[tuple[str, str]] = field(default_factory=list)  # (text, kind) in the records' order
    occasion: str = ""
    place: str = ""
    target_keys: list[tuple[str, int]] = field(default_factory=list)
    participant_ids: list[int] = field(default_factory=list)

    def done(self) -> StoredRecord:
        """With the targets and participants gathered from their own queries."""
        self.targets = frozenset(self.target_keys)
        self.participants = frozenset(self.participant_ids)
        return self


def records_on_days(by_team: dict[int, set[datetime.date]]) -> Iterator[tuple]:
    """(id, team, date, method, summary) of every record (deleted and draft ones included) on these teams'
    days. On PostgreSQL one join with the (team, day) pairs sent as two arrays per 20,000 pairs: the OR of a
    condition per team it replaces took the planner ~0.8 s for each 100 teams (bench/results.md, "Bulk
    import"); elsewhere that OR, for the small workbooks SQLite holds."""
    pairs = [(team, day) for team in sorted(by_team) for day in sorted(by_team[team])]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(ContactRecord._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(pairs), 20_000):
                some = pairs[start : start + 20_000]
                cursor.execute(
                    f"SELECT r.id, r.team_id, r.date, r.method, r.summary FROM {table} r "
                    "JOIN unnest(%s::integer[], %s::date[]) AS k(team, day) "
                    "ON r.team_id = k.team AND r.date = k.day",
                    [[team for team, _ in some], [day for _, day in some]],
                )
                yield from cursor.fetchall()
        return
    teams = sorted(by_team)
    for start in range(0, len(teams), 100):
        either = Q()
        for team_id in teams[start : start + 100]:
            either |= Q(team_id=team_id, date__in=sorted(by_team[team_id]))
        yield from (
            ContactRecord.objects.filter(either)
            .order_by()
            .values_list("id", "team_id", "date", "method", "summary")
        )


class RecordSheet(PlanSheet):
    name = RECORDS
    key_column = "日期"
    fields = {
        "date": "日期",
        "team": "专班名称",
        "method": "联系方式",
        "channel": "联系形式",
        "occasion": "慰问时机",
        "topics": "联系内容",
        "targets": "联系对象",
        "grassroots": "下基层",
        "place": "地点",
        "summary": "情况摘要",
        "text": "反映问题",
        "kind": "诉求类别",
        NON_FIELD_ERRORS: "情况摘要",
    }
    METHOD_ERROR = f"联系方式应为以下之一：{allowed(ContactMethod.choices)}。"
    CHANNEL_ERROR = f"联系形式应为以下之一：{allowed(ContactChannel.choices)}，或留空。"
    OCCASION_ERROR = f"慰问时机应为以下之一：{allowed(Occasion.choices)}。"
    KIND_ERROR = f"诉求类别应为以下之一：{allowed(DemandKind.choices)}，或留空（按联系内容判断）。"
    TOPIC_ERROR = f"联系内容应从以下选取（多项用、分隔）：{allowed(Topic.choices)}。"

    # The columns that make two records "identical", in the order of the signature.
    COMPARED = (
        "联系方式",
        "联系形式",
        "联系对象",
        "参加人员",
        "下基层",
        "联系内容",
        "情况摘要",
        "反映问题",
        "慰问时机",
        "地点",
        "诉求类别",
    )

    def run(self) -> None:
        self.compared = [c for c in self.COMPARED if c in self.data.index]
        names = []
        for row in self.data.rows:
            names += [cells.name_with_employer(item)[0] for item in cells.split_list(row.raw("联系对象"))]
        self.ctx.load_scientists(names)
        parsed: list[tuple[Row, dict]] = []
        for row in self.data.rows:
            with contextlib.suppress(Invalid):
                parsed.append((row, self.parse(row)))
        new = [item for _row, item in parsed if item["record"] is None]
        existing = self.existing_signatures({self.prefix_of_row(item) for item in new})
        seen: dict[tuple, int] = {}
        numbered: dict[int, int] = {}
        for row, item in parsed:
            if item["record"] is not None:
                if item["record"].pk in numbered:
                    self.problem(row, "记录编号", f"与第 {numbered[item['record'].pk]} 行是同一条联系记录。")
                    continue
                numbered[item["record"].pk] = row.number
                self.update(row, item)
                continue
            signature = self.signature_of_row(item)
            if signature in seen:
                self.problem(row, "日期", f"与第 {seen[signature]} 行完全相同：同一条联系记录只能出现一次。")
                continue
            seen[signature] = row.number
            if signature in existing:
                self.counts.unchanged += 1
                continue
            try:
                self.apply(row, item)
            except Invalid:
                continue
            self.counts.created += 1

    # --- reading a row ----------------------------------------------------------------------------------

    def parse(self, row: Row) -> dict:
        date, team_name, method, channel, occasion, topics, grassroots, kind, targets, participants = (
            self.checked(
                row,
                [
                    lambda: self.required_cell(row, "日期", cells.date),
                    lambda: self.required(row, "专班名称"),
                    lambda: self.required_cell(row, "联系方式", cells.choice, METHODS, self.METHOD_ERROR),
                    lambda: self.optional(
                        row, "联系形式", cells.choice, CHANNELS, self.CHANNEL_ERROR, default=""
                    ),
                    lambda: self.optional(
                        row, "慰问时机", cells.choice, OCCASIONS, self.OCCASION_ERROR, default=""
                    ),
                    lambda: self.topics(row),
                    lambda: self.optional(row, "下基层", cells.yes_no, default=False),
                    lambda: self.optional(
                        row, "诉求类别", cells.choice, DEMAND_KINDS, self.KIND_ERROR, default=""
                    ),
                    lambda: self.targets(row),
                    lambda: self.participants(row),
                ],
            )
        )
        # 情况摘要 is optional in the published format, but a completed record carries one: an empty cell
        # gets a fixed text (the same on every import, so importing the workbook again matches the record).
        record = self.numbered_record(row)
        summary = row.text("情况摘要") or (
            f"{ContactMethod(method).label}（导入时未填写情况摘要）" if method else ""
        )
        try:
            team = self.team(row, date.year, team_name)  # the team of that name in the year of 日期
        except Invalid:
            team = None
        problems = []
        if method == ContactMethod.GREETING and not occasion and date is not None:
            occasion = occasion_of_date(date)  # the published format's rule when 慰问时机 is absent or empty
        for column, reason in problems:
            self.problem(row, column, reason)
        if problems or team is None or record is False:
            raise Invalid
        return {
            "record": record,
            "date": date,
            "team": team,
            "method": method,
            "channel": channel,
            "occasion": occasion if method == ContactMethod.GREETING else "",
            "topics": topics,
            "grassroots": grassroots,
            "targets": targets,
            # Someone went: with 参加人员 left empty, the team's lead is taken as the one who did (a record
            # needs its 记录人), and so a re-import of the same row still matches the record.
            "participants": participants or [team.lead],
            "summary": summary,
            "demand": row.text("反映问题"),
            "kind": kind,
            "place": row.text("地点"),
        }

    def numbered_record(self, row: Row) -> ContactRecord | None | bool:
        """The record a 记录编号 names (None without one); False, with the problem reported, when the number
        is not one we gave or the record was deleted."""
        number = row.text("记录编号")
        if not number:
            return None
        pk = record_pk(number)
        record = ContactRecord.objects.filter(pk=pk).first() if pk is not None else None
        if record is None:
            self.problem(row, "记录编号", "不是本系统导出的联系记录编号（新记录请清空此格）。")
            return False
        if record.is_deleted:
            self.problem(row, "记录编号", "这条联系记录已被删除，不能通过导入修改。")
            return False
        return record

    def topics(self, row: Row) -> list[str]:
        found, bad = [], []
        for label in cells.split_list(row.raw("联系内容")):
            value = TOPICS.get(canon(label))
            (found if value else bad).append(value or label)
        if bad:
            raise self.fail(row, "联系内容", self.TOPIC_ERROR)
        return sorted(set(found), key=TOPIC_ORDER.__getitem__)

    def targets(self, row: Row) -> list[Organization | Scientist]:
        """Organisation names and scientist names; a namesake is written 姓名(工作单位)."""
        found: list[Organization | Scientist] = []
        bad = False
        for item in cells.split_list(row.raw("联系对象")):
            org = self.ctx.org(item)
            if org is not None:
                found.append(org)
                continue
            name, employer = cells.name_with_employer(item)
            try:
                found.append(find_scientist(self, row, "联系对象", name, employer))
            except Invalid:
                bad = True
        if bad:
            raise Invalid
        unique: dict[tuple[str, Any], Organization | Scientist] = {}
        for target in found:
            unique.setdefault(target_key(target), target)
        return list(unique.values())

    def participants(self, row: Row) -> list[Staff]:
        found, missing = [], []
        for username in cells.split_list(row.raw("参加人员")):
            member = self.ctx.staff_member(username)
            (found if member else missing).append(member or username)
        if missing:
            names = LIST_JOINER.join(f"“{m}”" for m in missing)
            raise self.fail(
                row, "参加人员", f"未知的用户名{names}：系统中和本文件的“{STAFF}”工作表中都没有。"
            )
        return list(dict.fromkeys(found))

    # --- identical records ------------------------------------------------------------------------------

    def signature_of_row(self, item: dict) -> tuple:
        values = {
            "联系方式": item["method"],
            "联系形式": item["channel"],
            "联系对象": frozenset(target_key(t) for t in item["targets"]),
            "参加人员": frozenset(p.pk for p in item["participants"]),
            "下基层": item["grassroots"],
            "联系内容": tuple(item["topics"]),
            "情况摘要": item["summary"],
            "反映问题": item["demand"],
            "慰问时机": item["occasion"],
            "地点": item["place"],
            "诉求类别": (item["kind"] or demand_kind_for(item["topics"])) if item["demand"] else "",
        }
        return (item["team"].pk, item["date"], *(values[c] for c in self.compared))

    def signature_of_record(self, record: ContactRecord) -> tuple:
        return self.signature_of_stored(
            StoredRecord(
                team_id=record.team_id,
                date=record.date,
                method=record.method,
                channel=record.channel,
                targets=frozenset(
                    ("o", t.organization_id) if t.organization_id else ("s", t.scientist_id)
                    for t in record.targets.all()
                ),
                participants=frozenset(p.pk for p in record.participants.all()),
                grassroots=record.grassroots,
                topics=record.topics,
                summary=record.summary,
                demands=[(d.text, d.kind) for d in record.demands.all()],
                occasion=record.occasion,
                place=record.place,
            )
        )

    def signature_of_stored(self, record: StoredRecord) -> tuple:
        values = {
            "联系方式": record.method,
            "联系形式": record.channel,
            "联系对象": record.targets,
            "参加人员": record.participants,
            "下基层": record.grassroots,
            "联系内容": tuple(sorted(set(record.topics), key=lambda t: TOPIC_ORDER.get(t, 99))),
            "情况摘要": record.summary.strip(),
            "反映问题": "\n".join(text for text, _kind in record.demands).strip(),
            "慰问时机": record.occasion,
            "地点": record.place,
            "诉求类别": record.demands[0][1] if record.demands else "",
        }
        return (record.team_id, record.date, *(values[c] for c in self.compared))

    def prefix_of_row(self, item: dict) -> tuple:
        """The start of a row's signature that a record's own columns give (team, date, and 联系方式 and
        情况摘要 when compared): only a record with the same prefix needs its targets, participants and
        demands read."""
        prefix = (item["team"].pk, item["date"])
        if "联系方式" in self.compared:
            prefix += (item["method"],)
        if "情况摘要" in self.compared:
            prefix += (item["summary"],)
        return prefix

    def existing_signatures(self, prefixes: set[tuple]) -> set[tuple]:
        """Signatures of the records already on those teams and days with those prefixes (deleted and draft
        ones included: an old workbook must not bring back a record someone removed): the prefixes' own
        columns of the records on those days (records_on_days), then the other columns, targets,
        participants and demands of those whose prefix matches a row's — usually none for a workbook of new
        records, so the many records sharing a team and day with a row are never read whole."""
        by_team: dict[int, set[datetime.date]] = defaultdict(set)
        for team_id, day, *_rest in prefixes:
            by_team[team_id].add(day)
        matching = [
            pk
            for pk, team, day, method, summary in records_on_days(by_team)
            if self.prefix_of_stored(team, day, method, summary) in prefixes
        ]
        found: set[tuple] = set()
        through = ContactRecord.participants.through
        m2m = ContactRecord._meta.get_field("participants")
        record_column, staff_column = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        for chunk in range(0, len(matching), 5000):
            some = matching[chunk : chunk + 5000]
            rows = ContactRecord.objects.filter(pk__in=some).values_list(
                "id",
                "team_id",
                "date",
                "method",
                "channel",
                "grassroots",
                "topics",
                "summary",
                "occasion",
                "place",
            )
            records = {
                pk: StoredRecord(
                    team,
                    day,
                    method,
                    channel,
                    grassroots=grassroots,
                    topics=topics or [],
                    summary=summary,
                    occasion=occasion,
                    place=place,
                )
                for pk, team, day, method, channel, grassroots, topics, summary, occasion, place in rows
            }
            targets = ContactTarget.objects.filter(record_id__in=some).values_list(
                "record_id", "organization_id", "scientist_id"
            )
            for pk, org, scientist in targets:
                records[pk].target_keys.append(("o", org) if org else ("s", scientist))
            people = through.objects.filter(**{f"{record_column}__in": some}).values_list(
                record_column, staff_column
            )
            for pk, staff in people:
                records[pk].participant_ids.append(staff)
            # in the order record.demands.all() gives (Demand.Meta.ordering)
            demands = Demand.objects.filter(record_id__in=some).order_by(*Demand._meta.ordering)
            for pk, text, kind in demands.values_list("record_id", "text", "kind"):
                records[pk].demands.append((text, kind))
            found.update(self.signature_of_stored(r.done()) for r in records.values())
        return found

    def prefix_of_stored(self, team_id: int, day: datetime.date, method: str, summary: str) -> tuple:
        prefix = (team_id, day)
        if "联系方式" in self.compared:
            prefix += (method,)
        if "情况摘要" in self.compared:
            prefix += (summary.strip(),)
        return prefix

    # --- writing ----------------------------------------------------------------------------------------

    def update(self, row: Row, item: dict) -> None:
        """The record the row's 记录编号 names, changed to what the row says; its demand too. An empty
        反映问题 leaves the record's demands as they are (their follow-up is not the workbook's to undo)."""
        record = item["record"]
        demands = list(record.demands.order_by("id"))
        if not item["demand"] and demands:
            item = {**item, "demand": "\n".join(d.text for d in demands).strip(), "kind": demands[0].kind}
        if self.signature_of_row(item) == self.signature_of_record(record):
            self.counts.unchanged += 1
            return
        participants = item["participants"]
        for name in (
            "team",
            "date",
            "method",
            "channel",
            "occasion",
            "topics",
            "grassroots",
            "place",
            "summary",
        ):
            setattr(record, name, item[name])
        if all(p.pk != record.author_id for p in participants):
            record.author = participants[0]
        try:
            saved = self.call(
                row,
                contacts.record_save,
                record=record,
                targets=item["targets"],
                participants=participants,
                require_targets=False,
            )
            kind = item["kind"] or demand_kind_for(item["topics"])
            if item["demand"] and demands:
                self.call(row, contacts.demand_revise, demand=demands[0], text=item["demand"], kind=kind)
            elif item["demand"]:
                demand = Demand(record=saved, kind=kind, text=item["demand"], **raised_by(item["targets"]))
                self.call(row, contacts.demand_create, demand=demand, by=self.ctx.by)
        except Invalid:
            return
        self.counts.updated += 1

    @staticmethod
    def new_record(item: dict, **extra) -> ContactRecord:
        """The record a row describes, not saved."""
        return NEW_RECORD(
            team=item["team"],
            date=item["date"],
            method=item["method"],
            channel=item["channel"],
            occasion=item["occasion"],
            topics=item["topics"],
            grassroots=item["grassroots"],
            place=item["place"],
            summary=item["summary"],
            author=item["participants"][0],  # 记录人: the first participant
            **extra,
        )

    def apply(self, row: Row, item: dict) -> None:
        participants = item["participants"]
        record = self.new_record(item)
        saved = self.call(
            row,
            contacts.record_save,
            record=record,
            targets=item["targets"],
            participants=participants,
            require_targets=False,
        )
        if item["demand"]:
            demand = Demand(
                record=saved,
                kind=item["kind"] or demand_kind_for(item["topics"]),
                text=item["demand"],
                **raised_by(item["targets"]),
            )
            self.call(row, contacts.demand_create, demand=demand, by=self.ctx.by)
