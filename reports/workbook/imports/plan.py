"""The year's plan: 专班 (key 年度 + 专班名称) and 联系对象 (key 年度 + 专班名称 + target).

Every write goes through liaison.plans (year_create, team_save, assignment_add, assignment_set_category),
so an imported plan obeys the same rules, with the same messages, as one made on the pages.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS

from experts.models import Scientist
from liaison.compliance import categories
from liaison.models import Assignment, Position, Staff, Team, TeamKind, team_kind_for
from liaison.plan import services as plans
from orgs.models import Organization

from . import cells
from .base import Invalid, Sheet
from .context import Row
from .format import (
    ASSIGNMENTS,
    ORGS,
    SCIENTISTS,
    STAFF,
    TARGET_KINDS,
    TARGET_ORG,
    TEAM_KINDS,
    TEAMS,
    allowed,
    canon,
    quota_categories,
)


class PlanSheet(Sheet):
    def report(self, row, error, fields=None) -> None:
        # A submitted plan is locked (liaison.plans.ensure_editable): say so on the 年度 column.
        if plans.LOCKED_MESSAGE in error.messages:
            self.problem(row, "年度", plans.LOCKED_MESSAGE)
            return
        super().report(row, error, fields)

    def staff(self, row: Row, column: str, username: str) -> Staff:
        found = self.ctx.staff_member(username)
        if found is None:
            raise self.unknown(row, column, STAFF, username.lower(), "用户名", username)
        return found

    def team(self, row: Row, year: int, name: str) -> Team:
        found = self.ctx.team(year, name)
        if found is None:
            failed = self.ctx.failed[TEAMS].get((year, canon(name)))
            if failed is not None:
                raise self.fail(
                    row, "专班名称", f"专班“{name}”在“专班”工作表第 {failed} 行，该行有误未能导入。"
                )
            raise self.fail(
                row, "专班名称", f"{year} 年度没有名为“{name}”的专班：系统中和本文件的“专班”工作表中都没有。"
            )
        return found


class TeamSheet(PlanSheet):
    name = TEAMS
    key_column = "专班名称"
    fields = {"lead": "负责人", "name": "专班名称", "year": "年度", NON_FIELD_ERRORS: "负责人"}
    KIND_ERROR = f"类型应为以下之一：{allowed(TeamKind.choices)}。"

    def run(self) -> None:
        seen: dict[tuple, int] = {}
        for row in self.data.rows:
            key = (cells.text(row.raw("年度")), canon(row.text("专班名称")))
            if all(key) and not self.first_seen(seen, key, row, "专班名称", "同一年度的同名专班"):
                continue
            try:
                self.apply(row)
            except Invalid:
                with contextlib.suppress(cells.CellError):
                    self.ctx.failed[TEAMS][(cells.year(row.raw("年度")), key[1])] = row.number

    def apply(self, row: Row) -> None:
        year, name, kind, lead_name, members = self.checked(
            row,
            [
                lambda: self.required_cell(row, "年度", cells.year),
                lambda: self.required(row, "专班名称"),
                lambda: self.required_cell(row, "类型", cells.choice, TEAM_KINDS, self.KIND_ERROR),
                lambda: self.required(row, "负责人"),
                lambda: self.members(row),
            ],
        )
        lead = self.staff(row, "负责人", lead_name)
        expected = team_kind_for(lead)
        if expected is None:
            raise self.fail(
                row,
                "负责人",
                f"“{lead.name}”是{Position(lead.position).label}，不能牵头专班：负责人须是领导班子成员或部室负责人。",
            )
        if expected != kind:
            raise self.fail(
                row,
                "类型",
                f"负责人“{lead.name}”是{Position(lead.position).label}，牵头的应是{TeamKind(expected).label}。",
            )
        the_year = self.ctx.year(year, create=True)
        team = self.ctx.team(year, name)
        if team is None:
            team = self.call(  # no 成员 column: a new team without members
                row, plans.team_save, team=Team(year=the_year, name=name, lead=lead), members=members or []
            )
            self.ctx.add_team(team)
            self.counts.created += 1
            return
        current = {m.pk for m in team.members.all()}
        wanted = current if members is None else {m.pk for m in members if m.pk != lead.pk}
        if team.lead_id == lead.pk and wanted == current:
            self.counts.unchanged += 1
            return
        team.lead = lead
        keep = list(team.members.all()) if members is None else members
        self.call(row, plans.team_save, team=team, members=keep)
        self.counts.updated += 1

    def members(self, row: Row) -> list[Staff] | None:
        if not row.has("成员"):
            return None
        found, missing = [], []
        for username in cells.split_list(row.raw("成员")):
            member = self.ctx.staff_member(username)
            if member is None:
                missing.append(username)
            else:
                found.append(member)
        if missing:
            names = "、".join(f"“{m}”" for m in missing)
            raise self.fail(row, "成员", f"未知的用户名{names}：系统中和本文件的“干部”工作表中都没有。")
        return found


class AssignmentSheet(PlanSheet):
    name = ASSIGNMENTS
    key_column = "对象名称"
    fields = {
        "note": "说明",
        "category": "联系类别",
        "organization": "对象名称",
        "scientist": "对象名称",
        "start_date": "年度",
        NON_FIELD_ERRORS: "对象名称",
    }
    KIND_ERROR = "对象类型应为“组织”或“科技工作者”。"
    CATEGORY_ERROR = "联系类别应为以下之一：{}；留空则按对象自身类别计。"

    def run(self) -> None:
        self.ctx.load_scientists(
            row.text("对象名称") for row in self.data.rows if row.text("对象类型") != TARGET_ORG
        )
        self.seen: dict[tuple, int] = {}
        self.in_force: dict[int, dict[tuple[str, int], Assignment]] = {}
        self.categories = quota_categories()  # built-in and added (联系类别 is applied before this sheet)
        self.category_error = self.CATEGORY_ERROR.format(
            " · ".join(dict.fromkeys(categories.label(k) for k in self.categories.values()))
        )
        for row in self.data.rows:
            with contextlib.suppress(Invalid):
                self.apply(row)

    def apply(self, row: Row) -> None:
        year, team_name, kind, target_name, category = self.checked(
            row,
            [
                lambda: self.required_cell(row, "年度", cells.year),
                lambda: self.required(row, "专班名称"),
                lambda: self.required_cell(row, "对象类型", cells.choice, TARGET_KINDS, self.KIND_ERROR),
                lambda: self.required(row, "对象名称"),
                lambda: self.optional(row, "联系类别", cells.choice, self.categories, self.category_error),
            ],
        )
        team = self.team(row, year, team_name)
        target = self.target(row, kind, target_name, row.text("工作单位"))
        field = "organization" if isinstance(target, Organization) else "scientist"
        key = (team.pk, field, target.pk)
        if key in self.seen:
            raise self.fail(
                row, "对象名称", f"与第 {self.seen[key]} 行是同一专班的同一联系对象，只能出现一次。"
            )
        self.seen[key] = row.number
        note = row.text("说明")
        existing = self.assignments_of(team).get((field, target.pk))
        if existing is None:
            # The plan being drawn up is the whole year's, so its targets are in force from 1 January; on an
            # approved year an addition is an adjustment, in force from today (the service's default).
            start = None if team.year.is_frozen else team.year.first_day
            added = self.call(
                row,
                plans.assignment_add,
                team=team,
                by=self.ctx.by,
                category=category,
                note=note,
                start_date=start,
                **{field: target},
            )
            self.assignments_of(team)[(field, target.pk)] = added
            self.counts.created += 1
            return
        wanted = category if category is not None else plans.default_category(**{field: target})
        if not row.has("联系类别") or existing.category == wanted:
            self.counts.unchanged += 1
            return
        self.call(row, plans.assignment_set_category, assignment=existing, category=category, note=note)
        self.counts.updated += 1

    def report(self, row, error, fields=None) -> None:
        # On an approved year a change needs a reason, which this sheet takes from its 说明 column.
        messages = getattr(error, "message_dict", {}).get("note", [])
        if plans.FROZEN_NEEDS_REASON in messages:
            self.problem(row, "说明", plans.FROZEN_NEEDS_REASON + "请在“说明”列填写调整原因。")
            return
        super().report(row, error, fields)

    def assignments_of(self, team: Team) -> dict[tuple[str, int], Assignment]:
        if team.pk not in self.in_force:
            rows = (
                Assignment.objects.in_force_at_year_end()
                .filter(team=team)
                .select_related("team__year", "organization", "scientist")
            )
            self.in_force[team.pk] = {
                ("organization" if a.organization_id else "scientist", a.organization_id or a.scientist_id): a
                for a in rows
            }
        return self.in_force[team.pk]

    def target(self, row: Row, kind: str, name: str, employer: str) -> Organization | Scientist:
        if kind == TARGET_ORG:
            found = self.ctx.org(name)
            if found is None:
                raise self.unknown(row, "对象名称", ORGS, canon(name), "组织", name)
            return found
        return find_scientist(self, row, "对象名称", name, employer, employer_column="工作单位")


def find_scientist(
    sheet: Sheet, row: Row, column: str, name: str, employer: str, *, employer_column: str | None = None
) -> Scientist:
    """A scientist by name, with the employer when namesakes need telling apart (spec: 工作单位)."""
    if employer:
        found = sheet.ctx.scientist(name, employer)
        if found is None:
            key: Any = (canon(name), canon(employer))
            failed = sheet.ctx.failed[SCIENTISTS].get(key)
            if failed is not None:
                raise sheet.fail(
                    row, column, f"科技工作者“{name}”在“科技工作者”工作表第 {failed} 行，该行有误未能导入。"
                )
            raise sheet.fail(
                row, column, f"未知的科技工作者“{name}”（工作单位“{employer}”）：系统中和本文件中都没有。"
            )
        return found
    namesakes = sheet.ctx.scientists_named(name)
    if not namesakes:
        failed_rows = [n for (who, _e), n in sheet.ctx.failed[SCIENTISTS].items() if who == canon(name)]
        if failed_rows:
            raise sheet.fail(
                row,
                column,
                f"科技工作者“{name}”在“科技工作者”工作表第 {failed_rows[0]} 行，该行有误未能导入。",
            )
        raise sheet.fail(
            row, column, f"未知的科技工作者“{name}”：系统中和本文件的“科技工作者”工作表中都没有。"
        )
    if len(namesakes) > 1:
        employers = "、".join(sorted(s.employer for s in namesakes))
        hint = f"请在“{employer_column}”列写明工作单位" if employer_column else f"请写成 {name}(工作单位)"
        raise sheet.fail(row, column, f"有 {len(namesakes)} 名科技工作者叫“{name}”（{employers}），{hint}。")
    return namesakes[0]
