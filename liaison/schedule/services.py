"""Planned contacts (工作计划): who may plan, saving and cancelling an item, and how logging a contact
completes it (docs/features.md, "工作计划").

The completion rule, in one place (`sync_record`, called by liaison/contacts/services.py on every save and
delete of a record, whichever page or import saved it):
- a completed record (done, not deleted) of a team completes, for each of its targets, one open item of the
  same team and target: the item the record was logged from ("完成计划", /liaison/records/new/?plan=ID) if
  it names that target, else the earliest open item whose planned date is at most MATCH_DAYS_AFTER days
  after the record's date (a visit made a little earlier than planned still fulfils the plan; one made long
  before it is another contact);
- a record that is deleted, turned into a draft, moved to another team, or no longer names the item's
  target gives the item back: it is 计划中 again (and 已逾期 if its date has passed).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from common.concurrency import lock
from experts.models import Scientist
from liaison.models import (
    Assignment,
    CalendarFeed,
    ContactRecord,
    PlannedContact,
    PlanStatus,
    Staff,
    Team,
    YearStatus,
    is_overdue,
    overdue_condition,
)
from liaison.people.access import is_admin, is_liaison_office, sees_all_records, staff_of, team_ids_of
from orgs.models import Organization

Target = Organization | Scientist

# A record completes an open item planned up to this many days after the record's date (see above).
MATCH_DAYS_AFTER = 7


# --- who may ----------------------------------------------------------------------------------------------


def can_view_team_plan(user: User, team: Team) -> bool:
    """The team's lead and members, and those who see every team (leadership, liaison office, admin)."""
    return sees_all_records(user) or team.pk in team_ids_of(user)


def can_plan_for(user: User, team: Team) -> bool:
    """The team's lead and members and the liaison office create, edit and cancel its items; an archived
    year is read-only (admins excepted, as for records)."""
    if is_admin(user):
        return True
    if team.year.status == YearStatus.ARCHIVED:
        return False
    return team.pk in team_ids_of(user) or is_liaison_office(user)


def can_view_person(user: User, person: Staff) -> bool:
    """A person's own calendar; leadership, the liaison office and admins may open anyone's."""
    me = staff_of(user)
    return (me is not None and me.pk == person.pk) or sees_all_records(user)


def team_people(team: Team) -> QuerySet[Staff]:
    """Who may go: the team's lead and members."""
    members = Team.members.through.objects.filter(team_id=team.pk).values("staff_id")
    return Staff.objects.filter(Q(pk=team.lead_id) | Q(pk__in=members)).order_by("order", "id")


def team_targets(team: Team) -> list[Assignment]:
    """What a team may plan: its targets in force (the year's assignments not ended)."""
    return list(
        Assignment.objects.in_force_at_year_end()
        .filter(team=team)
        .select_related("organization", "scientist")
        .order_by("category", "organization__name_pinyin", "scientist__name_pinyin", "id")
    )


# --- writing ------------------------------------------------------------------------------------------------


def _key(target_or_item) -> tuple[str, int]:
    if isinstance(target_or_item, Organization):
        return ("org", target_or_item.pk)
    if isinstance(target_or_item, Scientist):
        return ("sci", target_or_item.pk)
    item = target_or_item
    return ("org", item.organization_id) if item.organization_id else ("sci", item.scientist_id)


@transaction.atomic
def plan_save(
    *,
    item: PlannedContact,
    target: Target | None,
    goers: Sequence[Staff],
    by: User | None = None,
    today: datetime.date | None = None,
) -> PlannedContact:
    """Create or edit an open item. The target must be one of the team's targets in force (an item already
    naming a target since ended keeps it); whoever goes is of the team; the date is in the team's year, and
    a new item is not planned in the past."""
    today = today or timezone.localdate()
    team = item.team
    errors: dict[str, list[str]] = {}
    if item.pk is not None and item.status != PlanStatus.PLANNED:
        raise ValidationError(f"该计划{item.get_status_display()}，不能再修改。")
    if target is None:
        errors.setdefault("target", []).append("请选择联系对象。")
    else:
        allowed = {_key(a.target) for a in team_targets(team)}
        if item.pk is not None and item.target is not None:
            allowed.add(_key(item.target))
        if _key(target) not in allowed:
            errors.setdefault("target", []).append("只能计划联系本专班在册的联系对象。")
    if item.date and item.date.year != team.year.year:
        errors.setdefault("date", []).append(f"计划日期须在专班所属的 {team.year.year} 年度内。")
    elif item.date and item.date < today and (item.pk is None or _date_changed(item)):
        errors.setdefault("date", []).append("计划日期不能早于今天。")
    people = list(dict.fromkeys(goers))
    if not people:
        errors.setdefault("goers", []).append("请至少选择一名参加人员。")
    else:
        allowed_people = set(team_people(team).values_list("pk", flat=True))
        if any(p.pk not in allowed_people for p in people):
            errors.setdefault("goers", []).append("参加人员须是本专班的负责人或成员。")
    if errors:
        raise ValidationError(errors)
    item.organization = target if isinstance(target, Organization) else None
    item.scientist = target if isinstance(target, Scientist) else None
    if item.pk is None:
        item.created_by = by
    item.full_clean()
    item.save()
    item.goers.set(people)
    return item


def _date_changed(item: PlannedContact) -> bool:
    return PlannedContact.objects.filter(pk=item.pk).exclude(date=item.date).exists()


@transaction.atomic
def plan_cancel(*, item: PlannedContact, by: User | None = None) -> PlannedContact:
    """Cancel an open item (one way: a cancelled or completed item stays so)."""
    current = lock(item)
    if current.status != PlanStatus.PLANNED:
        raise ValidationError(f"该计划{current.get_status_display()}，不能取消。")
    item.version = current.version
    item.status = PlanStatus.CANCELLED
    item.save(update_fields=["status", "updated_at"])
    return item


def _reopen(item: PlannedContact) -> None:
    item.status, item.record = PlanStatus.PLANNED, None
    item.save(update_fields=["status", "record", "updated_at"])


def sync_record(
    record: ContactRecord, targets: Iterable[Target], plan: PlannedContact | None = None
) -> list[PlannedContact]:
    """Bring the items a record completes in step with it (the rule in this module's docstring); returns the
    items it completes now. Called inside the record's saving transaction."""
    keys = {_key(t) for t in targets} if record.counts else set()
    linked = list(PlannedContact.objects.filter(record=record))
    covered: set[tuple[str, int]] = set()
    for item in linked:
        if item.team_id != record.team_id or _key(item) not in keys:
            _reopen(item)
        else:
            covered.add(_key(item))
    wanted = keys - covered
    if not wanted:
        return []
    condition = Q(organization_id__in=[pk for kind, pk in wanted if kind == "org"]) | Q(
        scientist_id__in=[pk for kind, pk in wanted if kind == "sci"]
    )
    candidates = list(
        PlannedContact.objects.open()
        .filter(team_id=record.team_id)
        .filter(condition)
        .filter(
            Q(date__lte=record.date + datetime.timedelta(days=MATCH_DAYS_AFTER))
            | Q(pk=plan.pk if plan else None)
        )
        .order_by("date", "id")
    )
    if plan is not None:  # the item the record was logged from comes first for its target
        candidates.sort(key=lambda item: item.pk != plan.pk)
    completed = _match(record, wanted, candidates, plan)
    for item in completed:
        item.save(update_fields=["status", "record", "updated_at"])
    return completed


def _match(
    record: ContactRecord,
    wanted: set[tuple[str, int]],
    candidates: Iterable[PlannedContact],
    plan: PlannedContact | None = None,
) -> list[PlannedContact]:
    """THE choice (the rule in this module's docstring): for each wanted target, the first open candidate of
    the record's team naming it, planned no later than MATCH_DAYS_AFTER days after the record (`plan`
    whatever its date); `candidates` come ordered by date and id, `plan` first. Marks them done, unsaved."""
    last = record.date + datetime.timedelta(days=MATCH_DAYS_AFTER)
    wanted = set(wanted)
    chosen = []
    for item in candidates:
        key = _key(item)
        if (
            key in wanted
            and item.status == PlanStatus.PLANNED
            and item.team_id == record.team_id
            and (item.date <= last or (plan is not None and item.pk == plan.pk))
        ):
            wanted.discard(key)
            item.status, item.record = PlanStatus.DONE, record
            chosen.append(item)
    return chosen


def complete_new_records(records: Sequence[tuple[ContactRecord, Sequence[Target]]]) -> int:
    """sync_record for many new completed records at once (the workbook import's set-wise path,
    reports/workbook/imports/bulk.py): the same choice, record by record in the order given, from the open
    items read in one query; written with one bulk update. Returns how many items it completed."""
    if not records:
        return 0
    teams = {record.team_id for record, _ in records}
    last = max(record.date for record, _ in records) + datetime.timedelta(days=MATCH_DAYS_AFTER)
    # the teams' open items, whatever their target (_match keeps those the records name): a team has a few
    # dozen, where the targets as IN lists were ~40,000 parameters for a 100,000-row import (~0.6 s)
    open_items = list(
        PlannedContact.objects.open().filter(team_id__in=teams, date__lte=last).order_by("date", "id")
    )
    by_team: dict[int, list[PlannedContact]] = {}
    for item in open_items:
        by_team.setdefault(item.team_id, []).append(item)
    done: list[PlannedContact] = []
    for record, targets in records:
        if not record.counts:
            continue
        chosen = _match(record, {_key(t) for t in targets}, by_team.get(record.team_id, []))
        done += chosen
    now = timezone.now()
    for item in done:
        item.version = (item.version or 0) + 1
        item.updated_at = now
    PlannedContact.objects.bulk_update(done, ["status", "record", "version", "updated_at"], batch_size=500)
    return len(done)


def release_record(record: ContactRecord) -> None:
    """A deleted record completes nothing: its items are open again."""
    for item in PlannedContact.objects.filter(record=record):
        _reopen(item)


# --- what is due ---------------------------------------------------------------------------------------------


def week_of(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar week (Monday to Sunday) holding `today`."""
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)


def person_week(staff: Staff, today: datetime.date) -> list[PlannedContact]:
    """本周计划 of 我的工作: the items a person goes on this week (cancelled ones left out) and, before them,
    those still open from earlier (已逾期), each marked `overdue` — two indexed conditions, one query plus
    the goers' prefetch."""
    monday, sunday = week_of(today)
    items = list(
        PlannedContact.objects.filter(goers=staff)
        .filter(
            Q(date__gte=monday, date__lte=sunday, status__in=[PlanStatus.PLANNED, PlanStatus.DONE])
            | overdue_condition(today)
        )
        .for_list()
    )
    for item in items:
        item.overdue = is_overdue(item, today)
    return items


# --- the calendar subscription (订阅) ------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_create(*, staff: Staff) -> str:
    """A new secret address for the person's calendar; the old one, if any, stops working. Returns the
    token (shown once: only its sha256 is kept)."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(staff=staff, defaults={"token_hash": _digest(token)})
    return token


def feed_revoke(*, staff: Staff) -> bool:
    return CalendarFeed.objects.filter(staff=staff).delete()[0] > 0


def feed_owner(token: str) -> Staff | None:
    """Whose calendar a token opens: an active person's with a feed made for this token, else nobody."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("staff").filter(token_hash=_digest(token)).first()
    return feed.staff if feed is not None and feed.staff.is_active else None


def person_items(person: Staff, today: datetime.date) -> QuerySet[PlannedContact]:
    """What a person's .ics holds (the download and the subscription alike): the items they go on, from
    PERSON_ICS_DAYS_BACK days back (a phone needs no older plans)."""
    since = today - datetime.timedelta(days=PERSON_ICS_DAYS_BACK)
    return PlannedContact.objects.filter(goers=person, date__gte=since).for_list()


PERSON_ICS_DAYS_BACK = 90
