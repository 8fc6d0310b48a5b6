"""Writing contact records and following up demands: one function per change, each atomic.

Views, the bulk-greeting form and the workbook importer all call these. They keep every ContactTarget
row in step with its record (team, date, whether it counts, whether it was an assigned target that day),
which is what makes "contacted this year" a single indexed lookup.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.concurrency import lock
from common.occasions import festival_for
from experts.models import Scientist
from liaison.models import (
    Assignment,
    ContactChannel,
    ContactMethod,
    ContactRecord,
    ContactTarget,
    Demand,
    DemandAction,
    DemandActionKind,
    DemandStatus,
    Department,
    Occasion,
    PlannedContact,
    RecordStatus,
    Staff,
    Team,
    Topic,
)
from liaison.schedule import services as schedule
from orgs.models import Organization

Target = Organization | Scientist

# 下基层 is ticked by default for contacts made in person at the grassroots (seed 000 §四.1, §四.5).
GRASSROOTS_CHANNELS = {ContactChannel.VISIT}
TOPICS = frozenset(Topic.values)
GRASSROOTS_METHODS = {ContactMethod.SURVEY}


def default_grassroots(*, method: str, channel: str) -> bool:
    return channel in GRASSROOTS_CHANNELS or (
        method in GRASSROOTS_METHODS and channel in ("", ContactChannel.MEETING)
    )


def validate_record(
    record: ContactRecord,
    targets: Sequence[Target],
    *,
    require_targets: bool = True,
    today: datetime.date | None = None,
) -> None:
    """The rules of a record beyond its fields (record_save; the workbook import checks a whole sheet with it
    before writing any record, giving `today` once rather than reading the clock for every row)."""
    errors: dict[str, list[str]] = {}
    year = record.team.year.year
    if record.date and record.date.year != year:
        errors.setdefault("date", []).append(f"日期须在专班所属的 {year} 年度内。")
    if record.date and record.date > (today or timezone.localdate()) and record.status == RecordStatus.DONE:
        errors.setdefault("date", []).append("完成的联系记录日期不能晚于今天。")
    if record.method == ContactMethod.GREETING and not record.occasion and record.status == RecordStatus.DONE:
        errors.setdefault("occasion", []).append("看望慰问请选择慰问时机。")
    if record.method != ContactMethod.GREETING:
        record.occasion = ""
    unknown = [t for t in record.topics if t not in TOPICS]
    if unknown:
        errors.setdefault("topics", []).append("联系内容包含无效选项。")
    if require_targets and not targets and record.status == RecordStatus.DONE:
        errors.setdefault("targets", []).append("请至少选择一个联系对象。")
    if errors:
        raise ValidationError(errors)


def sync_targets(record: ContactRecord, targets: Iterable[Target]) -> None:
    """Rewrite the record's target rows with the record's team, date and standing."""
    targets = list(dict.fromkeys(targets))  # keep order, drop repeats
    orgs = [t for t in targets if isinstance(t, Organization)]
    people = [t for t in targets if isinstance(t, Scientist)]
    in_force = Assignment.objects.in_force_on(record.date).filter(team=record.team)
    assigned_orgs = set(in_force.filter(organization__in=orgs).values_list("organization_id", flat=True))
    assigned_people = set(in_force.filter(scientist__in=people).values_list("scientist_id", flat=True))
    ContactTarget.objects.filter(record=record).delete()
    common = {"record": record, "team_id": record.team_id, "date": record.date, "counts": record.counts}
    ContactTarget.objects.bulk_create(
        [ContactTarget(organization=o, assigned=o.pk in assigned_orgs, **common) for o in orgs]
        + [ContactTarget(scientist=s, assigned=s.pk in assigned_people, **common) for s in people]
    )


@transaction.atomic
def record_save(
    *,
    record: ContactRecord,
    targets: Sequence[Target],
    participants: Sequence[Staff],
    draft: bool = False,
    require_targets: bool = True,
    plan: PlannedContact | None = None,
) -> ContactRecord:
    """Create or update a record (or a draft, which counts for nothing until completed). The forms require a
    target; the workbook import does not (the published format makes 联系对象 optional: an event logged
    without naming anyone is still work, and a 下基层 visit still counts). Saving completes the team's planned
    contacts of its targets, `plan` (the item it was logged from) first (liaison/schedule/services.py)."""
    record.status = RecordStatus.DRAFT if draft else RecordStatus.DONE
    validate_record(record, targets, require_targets=require_targets)
    record.full_clean()
    record.save()
    people = list(dict.fromkeys(participants))
    if record.author_id and all(p.pk != record.author_id for p in people):
        people.insert(0, record.author)
    record.participants.set(people)
    sync_targets(record, targets)
    schedule.sync_record(record, targets, plan)
    return record


@transaction.atomic
def record_delete(*, record: ContactRecord, reason: str, by: User) -> ContactRecord:
    """Soft delete with a reason: the record stays in history but counts for nothing."""
    if not reason.strip():
        raise ValidationError({"deleted_reason": "请填写删除原因。"})
    current = lock(record)
    if current.is_deleted:  # one-way, once: a second click or a colleague deleted it already
        raise ValidationError("这条联系记录已被删除。")
    record.version = current.version
    record.is_deleted = True
    record.deleted_reason = reason.strip()
    record.deleted_by = by
    record.deleted_at = timezone.now()
    record.save(update_fields=["is_deleted", "deleted_reason", "deleted_by", "deleted_at", "updated_at"])
    ContactTarget.objects.filter(record=record).update(counts=False)
    schedule.release_record(record)
    return record


def greeted_scientists(*, team: Team, occasion: str, day: datetime.date) -> set[int]:
    """Ids of scientists already greeted (completed records) for what a greeting of `occasion` on `day`
    would be for: for 春节 and 全国科技工作者日 the same festival (common.occasions.festival_for), by this team
    or another year's team of the same lead (as figures.greeting_coverage counts); for other occasions,
    by this team in the team's year."""
    greetings = ContactTarget.objects.filter(
        counts=True,
        scientist__isnull=False,
        record__method=ContactMethod.GREETING,
        record__occasion=occasion,
    )
    festival = festival_for(occasion, day)
    if festival is not None:
        greetings = greetings.filter(team__lead_id=team.lead_id, record__festival_date=festival)
    else:
        greetings = greetings.filter(team=team, date__year=team.year.year)
    return set(greetings.values_list("scientist_id", flat=True))


@transaction.atomic
def greetings_create(
    *,
    team: Team,
    occasion: str,
    channel: str,
    date: datetime.date,
    scientists: Sequence[Scientist],
    author: Staff,
    participants: Sequence[Staff] = (),
    summary: str = "",
) -> list[ContactRecord]:
    """Bulk greetings (看望慰问): one completed record per scientist, saved together or not at all."""
    if not scientists:
        raise ValidationError({"scientists": "请至少选择一名科技工作者。"})
    if occasion not in Occasion.values:
        raise ValidationError({"occasion": "请选择慰问时机。"})
    text = summary.strip() or f"{Occasion(occasion).label}慰问（{ContactChannel(channel).label}）"
    records = []
    for scientist in scientists:
        record = ContactRecord(
            team=team,
            date=date,
            method=ContactMethod.GREETING,
            channel=channel,
            occasion=occasion,
            summary=text,
            author=author,
            grassroots=False,
        )
        records.append(record_save(record=record, targets=[scientist], participants=[author, *participants]))
    return records


# --- demands --------------------------------------------------------------------------------------------


@transaction.atomic
def demand_create(*, demand: Demand, by: User, date: datetime.date | None = None) -> Demand:
    """Register a demand (登记) on the day it was raised (default today); handing it over at once is also
    its 交办 (status 已交办; the pages then tell them: liaison/contacts/handover.py)."""
    if not demand.text.strip():
        raise ValidationError({"text": "请填写诉求内容。"})
    demand.status = DemandStatus.PENDING
    demand.full_clean()
    demand.save()
    today = date or timezone.localdate()
    DemandAction.objects.create(
        demand=demand, date=today, kind=DemandActionKind.REGISTER, status_after=demand.status, by=by
    )
    if demand.handler_id or demand.handler_department_id:
        demand.status = DemandStatus.ASSIGNED
        demand.save(update_fields=["status", "updated_at"])
        DemandAction.objects.create(
            demand=demand,
            date=today,
            kind=DemandActionKind.ASSIGN,
            handed_to=handed_to_name(demand),
            status_after=demand.status,
            by=by,
        )
    return demand


def handed_to_name(demand: Demand) -> str:
    """Whom a demand is handed to, as the history names it: the person (with their department when it was
    named too), or the department."""
    if demand.handler_id and demand.handler_department_id:
        return f"{demand.handler_department.name} {demand.handler.name}"[:100]
    return str(demand.handler or demand.handler_department or "")[:100]


CLOSED = (DemandStatus.DONE, DemandStatus.IMPOSSIBLE)


@transaction.atomic
def demand_revise(*, demand: Demand, text: str, kind: str) -> Demand:
    """Correct what a demand says and its kind (a workbook edited and imported back): its follow-up stays."""
    demand.text, demand.kind = text, kind
    demand.full_clean()
    demand.save(update_fields=["text", "kind"])
    return demand


@transaction.atomic
def demand_split(*, demand: Demand, text: str, by: User | None) -> Demand:
    """Take one line out of a demand whose text holds several (lines of one imported 反映问题 cell) as a
    demand of its own on the same record, raised by the same person."""
    lines = [line for line in demand.text.splitlines() if line.strip() != text.strip()]
    demand.text = "\n".join(lines)
    demand.full_clean()
    demand.save(update_fields=["text", "updated_at"])
    return demand_create(
        demand=Demand(
            record=demand.record,
            kind=demand.kind,
            text=text,
            raised_by_scientist=demand.raised_by_scientist,
            raised_by_organization=demand.raised_by_organization,
            raised_by_text=demand.raised_by_text,
        ),
        by=by,
        date=demand.record.date,
    )


@transaction.atomic
def demand_restore(*, demand: Demand, values: dict, by: User | None) -> bool:
    """Bring a demand to the state a workbook's 诉求 row gives it (a round trip of the export, or another
    installation's data): its kind, handler, deadline, reply, closing and return visit. The change is one
    dated 备注 step in its log. False when nothing differs."""
    changed = {name: value for name, value in values.items() if getattr(demand, name) != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(demand, name, value)
    if demand.status in CLOSED and not demand.reply:
        raise ValidationError({"reply": "已办结的诉求须有反馈意见。"})
    demand.full_clean()
    demand.save()
    DemandAction.objects.create(
        demand=demand,
        kind=DemandActionKind.NOTE,
        date=timezone.localdate(),
        by=by,
        text="按导入的工作簿更新："
        + "、".join(str(Demand._meta.get_field(name).verbose_name) for name in changed),
        status_after=demand.status,
    )
    return True


@transaction.atomic
def demand_act(
    *,
    demand: Demand,
    kind: str,
    by: User,
    text: str = "",
    status: str | None = None,
    date: datetime.date | None = None,
    handler: Staff | None = None,
    department: Department | None = None,
    due_date: datetime.date | None = None,
    satisfied: bool | None = None,
) -> DemandAction:
    """One step of the loop: 交办 (hand over to a person or a department: status 已交办; the view tells them),
    办理 (progress), 反馈 (reply to the person), 回访 (return visit), 备注 (a note)."""
    when = date or timezone.localdate()
    new_status = status or demand.status
    if new_status not in DemandStatus.values:
        raise ValidationError({"status": "无效的办理状态。"})
    handed_to = ""
    if kind == DemandActionKind.ASSIGN:
        if handler is None and department is None:
            raise ValidationError({"handler": "请选择交办给哪位干部或哪个部室。"})
        if demand.status in CLOSED:
            raise ValidationError({"kind": "诉求已办结，不能再交办。"})
        demand.handler, demand.handler_department = handler, department
        if due_date is not None:
            demand.due_date = due_date
        new_status = status or DemandStatus.ASSIGNED
        handed_to = handed_to_name(demand)
    elif kind == DemandActionKind.REPLY:
        if not text.strip():
            raise ValidationError({"text": "请填写向提出人反馈的内容。"})
        demand.reply = text.strip()
        demand.replied_at = when
    elif kind == DemandActionKind.REVISIT:
        if demand.status not in CLOSED and new_status not in CLOSED:
            raise ValidationError({"kind": "诉求办结后才能回访。"})
        if satisfied is None:
            raise ValidationError({"satisfied": "请选择提出人是否满意。"})
        demand.revisit_date = when
        demand.revisit_satisfied = satisfied
        demand.revisit_note = text.strip()[:200]
        text = "满意" if satisfied else "不满意"
        if demand.revisit_note:
            text += f"，{demand.revisit_note}"
    elif (
        kind == DemandActionKind.PROGRESS
        and status is None
        and demand.status in (DemandStatus.PENDING, DemandStatus.ASSIGNED)
    ):
        new_status = DemandStatus.IN_PROGRESS
    elif kind not in DemandActionKind.values:
        raise ValidationError({"kind": "无效的办理环节。"})
    if new_status in CLOSED and not demand.reply and kind != DemandActionKind.REPLY:
        raise ValidationError({"status": "办结前请先向提出人反馈办理结果。"})
    demand.status = new_status
    demand.closed_at = (demand.closed_at or when) if new_status in CLOSED else None
    demand.full_clean()
    demand.save()
    action = DemandAction.objects.create(
        demand=demand,
        date=when,
        kind=kind,
        text=text.strip(),
        handed_to=handed_to,
        status_after=new_status,
        by=by,
    )
    return action
