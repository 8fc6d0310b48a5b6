"""The policy as data: 联系类别 (categories a city adds, key 名称) and 联系定额 (a year's rules, key 年度 + 专班类型).

Writes go through liaison's plan services (category_save, rules_replace), as on the pages. The rows of one
年度 + 专班类型 are that kind of team's whole rule set: a category not listed has no quota, a missing 下基层
row means no visit minimum. A year that has no 联系定额 rows keeps its rules (a new year gets the policy's
table). Rules of a year already submitted or approved are refused when the rows would change them.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from experts.models import TalentCategory
from liaison.compliance import categories
from liaison.models import (
    TargetType,
    TeamKind,
    is_builtin_category_name,
)
from liaison.plan import services as plans
from orgs.models import OrgKind

from . import cells
from .base import Invalid, Sheet
from .context import Row
from .format import (
    CATEGORIES,
    ORG_KINDS,
    PERSON_VISITS_ITEM,
    RULES,
    TALENTS,
    TARGET_KINDS,
    TARGET_ORG,
    TEAM_KINDS,
    VISITS_ITEM,
    allowed,
    canon,
    quota_categories,
)


class CategorySheet(Sheet):
    name = CATEGORIES
    key_column = "名称"
    fields = {"name": "名称", "target_type": "对象类型", "takes": "计入", NON_FIELD_ERRORS: "名称"}
    TYPE_ERROR = "对象类型应为“组织”或“科技工作者”。"

    def run(self) -> None:
        seen: dict[str, int] = {}
        for row in self.data.rows:
            name = canon(row.text("名称"))
            if name and not self.first_seen(seen, name, row, "名称", "同名的联系类别"):
                continue
            with contextlib.suppress(Invalid):
                self.apply(row)

    def apply(self, row: Row) -> None:
        name, kind = self.checked(
            row,
            [
                lambda: self.required(row, "名称"),
                lambda: self.required_cell(row, "对象类型", cells.choice, TARGET_KINDS, self.TYPE_ERROR),
            ],
        )
        if is_builtin_category_name(canon(name)):
            raise self.fail(row, "名称", f"“{name}”是内置的联系类别，不能重新定义。")
        target_type = TargetType.ORGANIZATION if kind == TARGET_ORG else TargetType.SCIENTIST
        table, choices = (
            (ORG_KINDS, OrgKind.choices) if kind == TARGET_ORG else (TALENTS, TalentCategory.choices)
        )
        takes = []
        for item in cells.split_list(row.raw("计入")):
            value = table.get(canon(item))
            if value is None:
                raise self.fail(row, "计入", f"“{item}”不是{kind}的类别：应从以下选取：{allowed(choices)}。")
            takes.append(value)
        _category, outcome = self.call(
            row, plans.category_save, name=canon(name), target_type=target_type, takes=takes
        )
        setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)


class RuleSheet(Sheet):
    name = RULES
    key_column = "项目"
    fields = {
        "minimum": "最少",
        "maximum": "最多",
        "contact_interval_days": "联系间隔天数",
        NON_FIELD_ERRORS: "项目",
    }
    KIND_ERROR = f"专班类型应为以下之一：{allowed(TeamKind.choices)}。"

    def run(self) -> None:
        self.categories = quota_categories()
        self.new_years: set[int] = set()  # years this import creates: all their rules count as created
        groups: dict[tuple[int, str], list[tuple[Row, str, int, int | None, int | None]]] = defaultdict(list)
        seen: dict[tuple, int] = {}
        bad_groups: set[tuple[int, str]] = set()
        for row in self.data.rows:
            try:
                year, kind, item, low, high, interval = self.parse(row)
            except Invalid:
                with contextlib.suppress(cells.CellError):
                    year = cells.year(row.raw("年度"))
                    kind = TEAM_KINDS.get(canon(row.text("专班类型")))
                    bad_groups.add((year, kind))
                continue
            if not self.first_seen(seen, (year, kind, item), row, "项目", "同一年度同类专班的同一项目"):
                bad_groups.add((year, kind))
                continue
            groups[(year, kind)].append((row, item, low, high, interval))
        for key, rows in groups.items():
            if key not in bad_groups:
                with contextlib.suppress(Invalid):
                    self.apply(key, rows)

    def parse(self, row: Row) -> tuple[int, str, str, int, int | None, int | None]:
        year, kind, item, low, high, interval = self.checked(
            row,
            [
                lambda: self.required_cell(row, "年度", cells.year),
                lambda: self.required_cell(row, "专班类型", cells.choice, TEAM_KINDS, self.KIND_ERROR),
                lambda: self.item(row),
                lambda: self.required_cell(row, "最少", cells.integer),
                lambda: self.optional(row, "最多", cells.integer),
                lambda: self.optional(row, "联系间隔天数", cells.integer),
            ],
        )
        if low < 0:
            raise self.fail(row, "最少", "最少不能是负数。")
        if item in (VISITS_ITEM, PERSON_VISITS_ITEM):
            return year, kind, item, low, None, None  # a visit minimum has no maximum or interval
        if high is not None and high < low:
            raise self.fail(row, "最多", f"最多（{high}）不能小于最少（{low}）。")
        if interval is not None and interval < 1:
            raise self.fail(row, "联系间隔天数", "联系间隔天数须为正整数（不要求请留空）。")
        return year, kind, item, low, high, interval

    def item(self, row: Row) -> str:
        text = self.required(row, "项目")
        if canon(text) in (VISITS_ITEM, PERSON_VISITS_ITEM):
            return canon(text)
        key = self.categories.get(canon(text))
        if key is None:
            names = " · ".join(dict.fromkeys(categories.label(k) for k in self.categories.values()))
            raise self.fail(row, "项目", f"项目应为联系类别、“下基层”或“个人下基层”；联系类别有：{names}。")
        return key

    def apply(self, key: tuple[int, str], rows: list) -> None:
        number, kind = key
        first = rows[0][0]
        specs = [
            plans.RuleSpec(category=item, minimum=low, maximum=high, interval_days=interval)
            for _row, item, low, high, interval in rows
            if item not in (VISITS_ITEM, PERSON_VISITS_ITEM)
        ]
        visits = next((low for _row, item, low, _h, _i in rows if item == VISITS_ITEM), None)
        person_visits = next((low for _row, item, low, _h, _i in rows if item == PERSON_VISITS_ITEM), None)
        year = self.ctx.year(number)
        new_year = year is None or number in self.new_years
        year = self.ctx.year(number, create=True)
        if new_year:
            self.new_years.add(number)
        try:
            done = self.call(
                first,
                plans.rules_replace,
                year=year,
                team_kind=kind,
                rules=specs,
                visit_minimum=visits,
                person_visit_minimum=person_visits,
            )
        except Invalid:
            return
        if new_year:  # every rule of a year this import creates is new, whatever the policy's table held
            self.counts.created += len(rows)
            return
        self.counts.created += done["created"]
        self.counts.updated += done["updated"] + done["deleted"]
        self.counts.unchanged += done["unchanged"]

    def report(self, row, error: ValidationError, fields=None) -> None:
        if not hasattr(error, "message_dict"):  # the year's plan is submitted or approved
            self.problem(row, "年度", "；".join(error.messages))
            return
        super().report(row, error, fields)
