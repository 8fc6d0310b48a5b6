"""Changes to the year's plan: years, teams and assignments. One function per change, each atomic.

Views, the admin and (later) the importer and the yearly adjustment call these; none of them writes plan
rows directly. Each runs full_clean() so that a rule broken anywhere gets the same Chinese message.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, When
from django.utils import timezone

from common.concurrency import lock
from experts.models import Scientist
from liaison.compliance.categories import ORG_KIND_CATEGORIES, default_category
from liaison.models import (
    Assignment,
    ContactCategory,
    ContactRecord,
    EndReason,
    Position,
    QuotaRule,
    Staff,
    Team,
    VisitQuota,
    Year,
    YearStatus,
)
from orgs.models import Organization

SEED_RULES_FILE = Path(settings.BASE_DIR) / "fixtures" / "seed_quota_rules.json"

FROZEN_NEEDS_REASON = "本年度分工已审定，调整联系对象须填写调整原因。"
LOCKED_MESSAGE = "本年度分工已报审，处于锁定状态，不能修改；如需修改，请组织联络部先撤回报审。"


def ensure_editable(year: Year) -> None:
    """A submitted plan (已报审) is locked: nothing in it changes until the liaison office takes it back."""
    if year.status == YearStatus.SUBMITTED:
        raise ValidationError(LOCKED_MESSAGE)


# --- years ----------------------------------------------------------------------------------------------


@transaction.atomic
def year_create(*, year: int) -> Year:
    """A new year with the rules of the latest earlier year, or the seed's table when there is none."""
    if Year.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year} 年度已存在。"})
    new = Year(year=year)
    new.full_clean()
    new.save()
    previous = Year.objects.filter(year__lt=year).order_by("-year").first()
    if previous is None:
        previous = Year.objects.filter(year__gt=year).order_by("year").first()
    if previous is not None:
        copy_rules(source=previous, target=new)
    else:
        load_seed_rules(target=new)
    return new


def copy_rules(*, source: Year, target: Year) -> None:
    QuotaRule.objects.bulk_create(
        QuotaRule(
            year=target,
            team_kind=r.team_kind,
            category=r.category,
            minimum=r.minimum,
            maximum=r.maximum,
            contact_interval_days=r.contact_interval_days,
        )
        for r in source.quota_rules.all()
    )
    VisitQuota.objects.bulk_create(
        VisitQuota(year=target, team_kind=v.team_kind, minimum=v.minimum, person_minimum=v.person_minimum)
        for v in source.visit_quotas.all()
    )


def leads_without_team(year: Year) -> list[Staff]:
    """Active 领导班子成员 and 部室负责人 who lead no team in the year (seed 000 §五: every one of them leads a
    专班), in the staff list's order: one query."""
    leading = Team.objects.filter(year=year).values("lead_id")
    return list(
        Staff.objects.active()
        .filter(position__in=[Position.LEADERSHIP, Position.DEPARTMENT_HEAD])
        .exclude(pk__in=leading)
        .select_related("department")
        .order_by(
            Case(When(position=Position.LEADERSHIP, then=0), default=1), "department__order", "order", "id"
        )
    )


RULES_FROZEN = "{year}分工{status}，联系定额随分工一并报审，不能再修改。"


@dataclass(frozen=True)
class RuleSpec:
    """One line of a kind of team's rule set: a category's range and interval."""

    category: str
    minimum: int
    maximum: int | None = None
    interval_days: int | None = None


@transaction.atomic
def rules_replace(
    *,
    year: Year,
    team_kind: str,
    rules: list[RuleSpec],
    visit_minimum: int | None,
    person_visit_minimum: int | None = None,
) -> dict[str, int]:
    """Make `rules` (and the visit minimums) the whole rule set of one kind of team for the year
    (docs/workbook.md, 联系定额): a category not listed has no quota, no visit minimum means none. Only a
    draft year's rules change; the same rules as stored are accepted as they are on any year. Returns how
    many rules were created, updated, deleted and left unchanged."""
    existing = {r.category: r for r in QuotaRule.objects.filter(year=year, team_kind=team_kind)}
    writes: list[tuple[str, QuotaRule | VisitQuota]] = []  # ("save" | "delete", row), decided before any
    unchanged = 0
    for spec in rules:
        rule = existing.pop(spec.category, None) or QuotaRule(
            year=year, team_kind=team_kind, category=spec.category
        )
        values = (spec.minimum, spec.maximum, spec.interval_days)
        if rule.pk and (rule.minimum, rule.maximum, rule.contact_interval_days) == values:
            unchanged += 1
            continue
        rule.minimum, rule.maximum, rule.contact_interval_days = values
        writes.append(("save", rule))
    writes += [("delete", rule) for rule in existing.values()]
    visit = VisitQuota.objects.filter(year=year, team_kind=team_kind).first()
    wanted = (visit_minimum, person_visit_minimum)
    if visit is None and wanted != (None, None):
        writes.append(
            ("save", VisitQuota(year=year, team_kind=team_kind, minimum=wanted[0], person_minimum=wanted[1]))
        )
    elif visit is not None and wanted == (None, None):
        writes.append(("delete", visit))
    elif visit is not None and (visit.minimum, visit.person_minimum) != wanted:
        visit.minimum, visit.person_minimum = wanted
        writes.append(("save", visit))
    elif visit is not None:
        unchanged += sum(minimum is not None for minimum in wanted)  # one per 下基层 / 个人下基层 line
    if writes and year.status != YearStatus.DRAFT:
        raise ValidationError(RULES_FROZEN.format(year=year, status=year.get_status_display()))
    done = {"created": 0, "updated": 0, "deleted": 0, "unchanged": unchanged}
    for action, row in writes:
        if action == "delete":
            row.delete()
            done["deleted"] += 1
            continue
        done["updated" if row.pk else "created"] += 1
        row.full_clean()
        row.save()
    return done


@transaction.atomic
def category_save(*, name: str, target_type: str, takes: list[str]) -> tuple[ContactCategory, str]:
    """Add a quota category (docs/workbook.md, 联系类别), or change what an added one takes: (category,
    "created" | "updated" | "unchanged"). The seven built-in categories cannot be redefined."""
    category = ContactCategory.objects.filter(name=name.strip()).first() or ContactCategory(name=name)
    if category.pk and (category.target_type, list(category.takes)) == (target_type, list(takes)):
        return category, "unchanged"
    outcome = "updated" if category.pk else "created"
    category.target_type, category.takes = target_type, list(takes)
    category.full_clean()
    category.save()
    return category, outcome


def load_seed_rules(*, target: Year) -> None:
    data = json.loads(SEED_RULES_FILE.read_text(encoding="utf-8"))
    QuotaRule.objects.bulk_create(
        QuotaRule(year=target, team_kind=kind, category=category, minimum=bounds[0], maximum=bounds[1])
        for kind, categories in data["categories"].items()
        for category, bounds in categories.items()
    )
    VisitQuota.objects.bulk_create(
        VisitQuota(year=target, team_kind=kind, minimum=minimum)
        for kind, minimum in data["grassroots_visits"].items()
    )


def default_start_date(year: Year) -> datetime.date:
    """Today inside the year; the year's first day for a year being planned ahead or in the past."""
    today = timezone.localdate()
    if year.first_day <= today <= year.last_day:
        return today
    return year.first_day


# --- teams ----------------------------------------------------------------------------------------------


@transaction.atomic
def team_save(*, team: Team, members: list[Staff] | QuerySet) -> Team:
    ensure_editable(team.year)
    team.full_clean()
    team.save()
    team.members.set([m for m in members if m.pk != team.lead_id])
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    """Close a team that has no contact records: the team and its assignments go (the caller records why)."""
    ensure_editable(team.year)
    if ContactRecord.objects.filter(team=team).exists():
        raise ValidationError("该专班已有联系记录，不能撤销；可终止其联系对象，或更换专班负责人。")
    for assignment in team.assignments.all():
        assignment.delete()
    team.delete()


@transaction.atomic
def team_carry_over(*, source: Team, year: Year, by: User | None, note: str) -> tuple[Team, list[Assignment]]:
    """Copy a team into another year (the yearly adjustment): lead, name, notes, the members still in post,
    and the targets in force at the source's year end that are still active, from the new year's first day.

    Returns the new team and the source assignments left behind because their target was deactivated.
    """
    ensure_editable(year)
    team = team_save(
        team=Team(year=year, lead=source.lead, name=source.name, notes=source.notes),
        members=[m for m in source.members.all() if m.is_active],
    )
    carried, left = [], []
    for a in source.assignments.in_force_at_year_end().select_related("organization", "scientist"):
        if not a.target.is_active:
            left.append(a)
            continue
        carried.append(
            Assignment(
                team=team,
                organization=a.organization,
                scientist=a.scientist,
                category=a.category,
                category_overridden=a.category_overridden,
                start_date=year.first_day,
                note=note,
                created_by=by,
            )
        )
    Assignment.objects.bulk_create(carried)
    return team, left


# --- assignments ----------------------------------------------------------------------------------------


@transaction.atomic
def assignment_add(
    *,
    team: Team,
    by: User | None,
    organization: Organization | None = None,
    scientist: Scientist | None = None,
    category: str | None = None,
    start_date: datetime.date | None = None,
    note: str = "",
) -> Assignment:
    """Assign a target to a team; on a frozen (approved) year only as an adjustment with a reason."""
    ensure_editable(team.year)
    if team.year.is_frozen and not note.strip():
        raise ValidationError({"note": FROZEN_NEEDS_REASON})
    derived = default_category(organization=organization, scientist=scientist)
    chosen = derived if category is None else category
    assignment = Assignment(
        team=team,
        organization=organization,
        scientist=scientist,
        category=chosen,
        category_overridden=chosen != derived,
        start_date=start_date or default_start_date(team.year),
        note=note.strip(),
        created_by=by,
    )
    if not (team.year.first_day <= assignment.start_date <= team.year.last_day):
        raise ValidationError({"start_date": f"起始日期须在 {team.year.year} 年内。"})
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_set_category(*, assignment: Assignment, category: str | None, note: str = "") -> Assignment:
    """Change the quota category a target in force counts under (None: back to its default category).

    Used by the workbook import when a re-imported 联系对象 row names another 联系类别; on a frozen year it
    is an adjustment and needs a reason, like adding a target.
    """
    ensure_editable(assignment.team.year)
    if assignment.team.year.is_frozen and not note.strip():
        raise ValidationError({"note": FROZEN_NEEDS_REASON})
    derived = default_category(organization=assignment.organization, scientist=assignment.scientist)
    chosen = derived if category is None else category
    assignment.category = chosen
    assignment.category_overridden = chosen != derived
    if note.strip():
        assignment.note = note.strip()
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_end(
    *,
    assignment: Assignment,
    by: User | None,
    reason: str,
    end_date: datetime.date | None = None,
    note: str = "",
) -> Assignment:
    """End an assignment with a reason (调离 · 退休 · 撤销 · 调整 · 其他); the row stays as history."""
    ensure_editable(assignment.team.year)
    current = lock(assignment)  # one-way, once: two people ending it at the same moment can't both succeed
    if current.end_date is not None:
        raise ValidationError("该联系对象已终止。")
    assignment.version = current.version
    if reason not in EndReason.values:
        raise ValidationError({"end_reason": "请选择终止原因。"})
    if reason == EndReason.OTHER and not note.strip():
        raise ValidationError({"end_note": "原因为“其他”时请填写说明。"})
    assignment.end_date = end_date or default_start_date(assignment.team.year)
    assignment.end_reason = reason
    assignment.end_note = note.strip()
    assignment.ended_by = by
    assignment.ended_at = timezone.now()
    assignment.full_clean()
    assignment.save()
    return assignment


# --- checks across teams --------------------------------------------------------------------------------


def shared_targets(year: Year, team: Team | None = None) -> dict[tuple[str, int], list[str]]:
    """Targets in force in two or more teams of the same kind this year: allowed, shown as a warning.

    Returns {("organization"|"scientist", id): [team names]} in two queries per kind of target. With `team`,
    only that team's targets, each with the names of the *other* teams of its kind that have it (the
    warning beside the target on the team's adjustment page); the same definition, asked of one team.
    """
    in_force = Assignment.objects.in_force_at_year_end().filter(team__year=year)
    result: dict[tuple[str, int], list[str]] = {}
    for field in ("organization", "scientist"):
        candidates = in_force.filter(**{f"{field}__isnull": False})
        if team is not None:
            mine = in_force.filter(team=team, **{f"{field}__isnull": False}).values(field)
            candidates = candidates.filter(team__kind=team.kind, **{f"{field}__in": mine})
        doubled = (
            candidates.values(field, "team__kind")
            .annotate(n=Count("team", distinct=True))
            .filter(n__gt=1)
            .order_by()
        )
        keys = {(row[field], row["team__kind"]) for row in doubled}
        if not keys:
            continue
        rows = in_force.filter(**{f"{field}__in": {k[0] for k in keys}}).values_list(
            field, "team__kind", "team__name", "team_id"
        )
        for target_id, kind, team_name, team_id in rows.order_by("team__lead__order", "team_id"):
            if (target_id, kind) in keys and (team is None or team_id != team.pk):
                result.setdefault((field, target_id), []).append(team_name)
    return result


def shared_target_count(year: Year) -> int:
    """How many targets `shared_targets` lists (in force in two or more teams of the same kind), in one
    grouped query without the teams' names. An assignment names exactly one organisation or scientist, so
    the pair is the target; a target is in force at most once per team (a constraint), so counting rows
    counts teams, and PostgreSQL can hash instead of sorting for COUNT(DISTINCT) (25 ms instead of 80 ms
    on 50,000 assignments).

    The teams list shows it on every view while the plan changes seldom: the count is kept in the cache
    under the year's plan version (Year.plan_version), which every added, ended, moved or deleted
    assignment, every saved or deleted team and every merge of two scientists raises
    (liaison/compliance/signals.py). A stamp aggregated over the year's 50,000 assignments cost 8–40 ms
    a view; the version is read with the year."""
    in_year = Assignment.objects.filter(team__year=year)
    version = Year.objects.filter(pk=year.pk).values_list("plan_version", flat=True).first()
    key = f"shared-targets:{year.pk}:{version}"
    count = cache.get(key)
    if count is None:
        doubled = (
            in_year.in_force_at_year_end()
            .values("organization", "scientist", "team__kind")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .order_by()
            .values_list("organization", "scientist")
        )
        count = len(set(doubled))
        cache.set(key, count, 3600)
    return count


def coverage_gaps(year: Year) -> QuerySet[Organization]:
    """Active organisations of the quota kinds that no team of the year has as a target in force."""
    covered = Assignment.objects.in_force_at_year_end().filter(team__year=year, organization=OuterRef("pk"))
    return (
        Organization.objects.active()
        .filter(kind__in=list(ORG_KIND_CATEGORIES))
        .annotate(covered=Exists(covered))
        .filter(covered=False)
        .select_related("county")
        .order_by("kind", "name_pinyin")
    )


def teams_of(staff: Staff) -> QuerySet[Team]:
    """The teams a person leads or belongs to, newest year first. Each half is its own indexed subquery:
    "lead or member" in one WHERE joined every team to its members and needed DISTINCT (3 ms at 2,000 teams,
    on every 我的工作)."""
    members = Team.members.through.objects.filter(staff=staff).values("team_id")
    return (
        Team.objects.filter(Q(lead=staff) | Q(pk__in=members))
        .select_related("year", "lead")
        .order_by("-year__year", "kind", "name")
    )
