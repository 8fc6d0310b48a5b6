"""Next year's plan against this year's, per team: kept, added, removed, replaced, with the reasons; and the
quota check of the plan, so the liaison office sees before submitting which teams would fall short.

Computed from the data (targets in force at each year's end), not from the change log alone, so changes
made anywhere show; the reasons come from the recorded changes (PlanChange), else from the assignment's
own end reason and note. Used by the comparison page and the party-group workbook's sheet of changes.
A fixed number of queries whatever the number of teams.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from common.actors import actor_name
from liaison.compliance import categories, quotas
from liaison.models import Assignment, EndReason, Team, Year
from reports.models import ChangeKind, PlanChange, TeamOrigin


def category_label(category: str) -> str:
    return categories.label(category) if category else "不计入定额"


@dataclass
class TargetChange:
    kind: str  # "added" | "removed" | "replaced"
    category: str
    old: str = ""
    new: str = ""
    reason: str = ""
    by: str = ""
    at: datetime.datetime | None = None

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def kind_label(self) -> str:
        return {"added": "新增", "removed": "移除", "replaced": "替换"}[self.kind]


@dataclass
class TeamComparison:
    team: Team | None  # this year's team; None when the team was closed
    source: Team | None  # last year's team; None for a new team
    kept: list[str] = field(default_factory=list)
    added: list[TargetChange] = field(default_factory=list)
    removed: list[TargetChange] = field(default_factory=list)
    replaced: list[TargetChange] = field(default_factory=list)
    team_changes: list[str] = field(default_factory=list)
    team_reasons: list[PlanChange] = field(default_factory=list)
    check: quotas.PlanCheck | None = None

    @property
    def name(self) -> str:
        return (self.team or self.source).name

    @property
    def status(self) -> str:
        if self.team is None:
            return "closed"
        if self.source is None:
            return "new"
        if self.added or self.removed or self.replaced or self.team_changes:
            return "changed"
        return "same"

    @property
    def status_label(self) -> str:
        return {"closed": "撤销", "new": "新设", "changed": "有调整", "same": "无变化"}[self.status]

    @property
    def target_changes(self) -> list[TargetChange]:
        return [*self.replaced, *self.removed, *self.added]


@dataclass
class Comparison:
    year: Year
    previous: Year | None  # the year before with a plan (teams) to compare with, else None
    teams: list[TeamComparison]

    @property
    def available(self) -> bool:
        """Both years have a plan: a year without teams (a new blank year, or the first year) has nothing to
        set against the other, and shows no comparison rather than every team as closed or as new."""
        return self.previous is not None and any(t.team is not None for t in self.teams)

    @property
    def missing_text(self) -> str:
        """Why there is no comparison, in Chinese (empty when there is one)."""
        if self.available:
            return ""
        if not any(t.team is not None for t in self.teams):
            return f"{self.year.year} 年度还没有专班，暂无与上年度的对照。"
        return f"上一年度无数据：{self.year.year - 1} 年度没有分工，无可对照的内容。"

    def total(self, what: str) -> int:
        return sum(len(getattr(t, what)) for t in self.teams) if self.available else 0

    @property
    def short_teams(self) -> list[TeamComparison]:
        return [t for t in self.teams if t.check is not None and not t.check.compliant]

    @property
    def new_teams(self) -> int:
        return sum(1 for t in self.teams if t.status == "new")

    @property
    def closed_teams(self) -> int:
        return sum(1 for t in self.teams if t.status == "closed")


def _in_force(year: Year) -> dict[int, dict[str, dict]]:
    """{team id: {target key: {"name", "category", "note"}}} of the targets in force at year end."""
    rows = (
        Assignment.objects.in_force_at_year_end()
        .filter(team__year=year)
        .values(
            "team_id", "organization_id", "scientist_id", "organization__name", "scientist__name", "category"
        )
        .order_by("organization__name_pinyin", "scientist__name_pinyin", "id")
    )
    result: dict[int, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        key = f"org:{row['organization_id']}" if row["organization_id"] else f"sci:{row['scientist_id']}"
        name = row["organization__name"] or row["scientist__name"]
        result[row["team_id"]][key] = {"name": name, "category": row["category"]}
    return result


def _ended(year: Year) -> dict[tuple[int, str], tuple[str, str]]:
    """(team id, target key) → (reason, who) of assignments of the year that were ended, latest last."""
    rows = (
        Assignment.objects.filter(team__year=year, end_date__isnull=False)
        .select_related("ended_by__staff")
        .only(
            "team_id",
            "organization_id",
            "scientist_id",
            "end_reason",
            "end_note",
            "ended_by__username",
            "ended_by__staff__name",
        )
        .order_by("ended_at", "id")
    )
    result = {}
    for a in rows:
        key = f"org:{a.organization_id}" if a.organization_id else f"sci:{a.scientist_id}"
        label = EndReason(a.end_reason).label if a.end_reason in EndReason.values else ""
        reason = f"{label}：{a.end_note}" if a.end_note else label
        result[(a.team_id, key)] = (reason, actor_name(a.ended_by))
    return result


def compare_years(year: Year) -> Comparison:
    """This year's plan against the previous year's, team by team (see the module's docstring).

    A year without teams compares with nothing (no row for each of last year's teams as if closed); a year
    whose previous year has no plan keeps its teams (for the quota check) with `previous` None."""
    teams = list(Team.objects.filter(year=year).for_year_list())
    if not teams:
        return Comparison(year=year, previous=None, teams=[])
    previous = Year.objects.filter(year=year.year - 1).first()
    old_teams = list(Team.objects.filter(year=previous).for_year_list()) if previous else []
    if not old_teams:
        checks = quotas.check_teams(teams, year)
        rows = [TeamComparison(team=team, source=None, check=checks.get(team.pk)) for team in teams]
        return Comparison(year=year, previous=None, teams=rows)
    origins = dict(TeamOrigin.objects.filter(team__year=year).values_list("team_id", "source_id"))
    now = _in_force(year)
    before = _in_force(previous) if previous else {}
    ended = _ended(year)
    changes = list(PlanChange.objects.filter(year=year).select_related("by__staff").order_by("at", "id"))
    checks = quotas.check_teams(teams, year)

    by_target: dict[tuple[int | None, str], PlanChange] = {}
    replaces: dict[int | None, list[PlanChange]] = defaultdict(list)
    team_changes: dict[int | None, list[PlanChange]] = defaultdict(list)
    closures: list[PlanChange] = []
    for change in changes:
        if change.kind in (ChangeKind.ADD, ChangeKind.REMOVE) and change.details.get("target"):
            by_target[(change.team_id, change.details["target"])] = change
        elif change.kind == ChangeKind.REPLACE:
            replaces[change.team_id].append(change)
            by_target[(change.team_id, change.details.get("old", ""))] = change
            by_target[(change.team_id, change.details.get("new", ""))] = change
        elif change.kind in (ChangeKind.TEAM_UPDATE, ChangeKind.TEAM_ADD):
            team_changes[change.team_id].append(change)
        elif change.kind == ChangeKind.TEAM_CLOSE:
            closures.append(change)

    old_by_id = {t.pk: t for t in old_teams}
    old_by_lead = {t.lead_id: t for t in old_teams}
    used: set[int] = set()
    result: list[TeamComparison] = []
    for team in teams:
        source = old_by_id.get(origins.get(team.pk)) if team.pk in origins else old_by_lead.get(team.lead_id)
        if source is not None and source.pk in used:
            source = None
        if source is not None:
            used.add(source.pk)
        row = TeamComparison(team=team, source=source, check=checks.get(team.pk))
        current, earlier = now.get(team.pk, {}), before.get(source.pk, {}) if source else {}
        row.kept = [v["name"] for k, v in current.items() if k in earlier]
        added_keys = [k for k in current if k not in earlier]
        removed_keys = [k for k in earlier if k not in current]
        for change in replaces.get(team.pk, []):
            old_key, new_key = change.details.get("old"), change.details.get("new")
            if old_key in removed_keys and new_key in added_keys:
                removed_keys.remove(old_key)
                added_keys.remove(new_key)
                row.replaced.append(
                    TargetChange(
                        "replaced",
                        current[new_key]["category"],
                        old=earlier[old_key]["name"],
                        new=current[new_key]["name"],
                        reason=change.reason,
                        by=actor_name(change.by),
                        at=change.at,
                    )
                )
        for key in added_keys:
            change = by_target.get((team.pk, key))
            row.added.append(
                TargetChange(
                    "added",
                    current[key]["category"],
                    new=current[key]["name"],
                    reason=change.reason if change else "",
                    by=actor_name(change.by) if change else "",
                    at=change.at if change else None,
                )
            )
        for key in removed_keys:
            change = by_target.get((team.pk, key))
            if change is not None:
                reason, who, at = change.reason, actor_name(change.by), change.at
            else:
                reason, who = ended.get((team.pk, key), ("", ""))
                at = None
            row.removed.append(
                TargetChange(
                    "removed",
                    earlier[key]["category"],
                    old=earlier[key]["name"],
                    reason=reason,
                    by=who,
                    at=at,
                )
            )
        if source is not None:
            if source.lead_id != team.lead_id:
                row.team_changes.append(f"负责人：{source.lead.display_title} → {team.lead.display_title}")
            old_members = {m.pk: m.name for m in source.members.all()}
            new_members = {m.pk: m.name for m in team.members.all()}
            joined = [n for pk, n in new_members.items() if pk not in old_members]
            left = [n for pk, n in old_members.items() if pk not in new_members]
            if joined:
                row.team_changes.append("增加成员：" + "、".join(joined))
            if left:
                row.team_changes.append("减少成员：" + "、".join(left))
        row.team_reasons = team_changes.get(team.pk, [])
        result.append(row)

    for source in old_teams:
        if source.pk in used:
            continue
        closure = next(
            (
                c
                for c in reversed(closures)
                if c.details.get("source_team") == source.pk or c.team_name == source.name
            ),
            None,
        )
        row = TeamComparison(team=None, source=source)
        row.removed = [
            TargetChange(
                "removed",
                v["category"],
                old=v["name"],
                reason=closure.reason if closure else "",
                by=actor_name(closure.by) if closure else "",
                at=closure.at if closure else None,
            )
            for v in before.get(source.pk, {}).values()
        ]
        row.team_reasons = [closure] if closure else []
        result.append(row)
    return Comparison(year=year, previous=previous, teams=result)
